"""nbgrader integration: the trusted engine in place of nbgrader's in-kernel test execution.

``nbgrader autograde`` normally executes the whole student notebook in a Jupyter kernel and scores
each test cell by whether it raised; student code in that kernel can switch the tests off (see the
README's "Grades nobody can forge"). With :func:`configure`, the autograde pipeline keeps
nbgrader's sanitizing steps (restoring deleted or edited test cells from the gradebook) but
replaces ``Execute`` with :class:`TrustedAutograde`: it grades the notebook with
:mod:`autograder.grading.engine` (student code in a sandbox, results compared here) and writes each
exercise's verdict into its test cell, a printed message when it passed, an error output when it
failed. nbgrader's own ``SaveAutoGrades`` then stores the scores in the gradebook, and
``generate_feedback`` renders the messages, with hidden tests and tracebacks removed, and every
text a student controls made inert (:mod:`autograder.frontends.nbgrader_outputs`).

Hostile submissions: nbgrader reads ``submitted/<student>/<assignment>/<notebook>.ipynb`` itself,
following links and reading whole files. :func:`submission_guard`, the ``Autograde.pre_convert_hook``
set by :func:`configure`, checks each notebook before nbgrader opens it: a symbolic link (e.g. to
the instructor's solution), a file reached through a linked folder, a named pipe, a device, a
folder named ``*.ipynb`` or a file above the size limit is taken out of nbgrader's list, its grades
are set to 0 in the gradebook and the reason is logged for the instructor. :class:`TrustedAutograde`
checks again (should the hook not be configured) and grades such a notebook 0 with the reason in
every test cell, its other cells emptied so that no linked file's content reaches the feedback.
The hidden inputs are drawn from the course secret (``<course>/.autograder/secret``, see
:mod:`autograder.frontends.secret`), read by this process and passed to nothing.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor, OverwriteCells
from traitlets import Instance, List, Unicode

from autograder.assignments import ASSIGNMENT_NAMES, get_assignment
from autograder.frontends import secret as course_secret
from autograder.frontends.feedback_math import TEMPLATE_DIR, TEMPLATE_NAME, MathToMathML
from autograder.frontends.safe_text import terminal_text
from autograder.grading.engine import grade
from autograder.grading.extract import SubmissionError, check_submission_file

__all__ = ["TrustedAutograde", "StripTracebacks", "RestoreMissingCells", "submission_guard", "unsafe_submission",
           "configure"]

CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"


def _nbgrader_md(cell) -> dict:
    md = cell.get("metadata", {}).get("nbgrader", {})
    return md if isinstance(md, dict) else {}


def _log() -> logging.Logger:
    from traitlets.config import Application

    return Application.instance().log if Application.initialized() else logging.getLogger("autograder")


def unsafe_submission(path: str | Path, submitted: str | Path) -> str | None:
    """Why the submitted notebook ``path`` must not be read (None: it may be), without reading it.

    No name below ``submitted`` down to the notebook may be a link, and the notebook must be a
    regular file within the size limit (see :func:`autograder.grading.extract.check_submission_file`).
    """
    try:
        check_submission_file(path, within=submitted)
    except SubmissionError as exc:
        return str(exc)
    return None


def _record_zero(db_url: str, course_id: str, student: str, assignment: str, notebook: str) -> None:
    """Score every grade of one refused notebook 0 (not "needs manual grading"), with the reason."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id) as gb:
        try:
            gb.find_notebook(notebook, assignment)
        except MissingEntry:  # not a notebook of this assignment: nbgrader skips it anyway
            return
        gb.update_or_create_student(student)
        gb.update_or_create_submission(assignment, student)
        sub = gb.find_submission_notebook(notebook, assignment, student)
        for g in sub.grades:
            g.auto_score, g.needs_manual_grade = 0.0, False
        for c in sub.comments:  # a fixed text: the reason quotes names the student chose (see the log)
            c.auto_comment = "Not graded: the submitted notebook was refused (a link, a special file or too large)."
        gb.db.commit()


def submission_guard(course_root: str, db_url: str, course_id: str, submitted: str = "submitted"):
    """The ``Autograde.pre_convert_hook`` of a course: refuse unsafe notebooks before nbgrader opens them.

    nbgrader calls it with its own list of the notebooks about to be converted; a refused one is
    removed from that list (so nbgrader never reads it), scored 0 and logged.
    """
    folder = Path(course_root) / submitted

    def hook(assignment=None, student=None, notebooks=None, **kw):
        for path in list(notebooks or []):
            why = unsafe_submission(path, folder)
            if why is None:
                continue
            notebooks.remove(path)
            parts = Path(os.path.abspath(path)).relative_to(os.path.abspath(folder)).parts \
                if os.path.abspath(path).startswith(os.path.abspath(folder) + os.sep) else ()
            # names the student chose reach the instructor's terminal: control characters shown, not acted on
            _log().error("Refused %s: %s It scores 0.", terminal_text(path), terminal_text(why))
            if len(parts) == 3:
                try:
                    _record_zero(db_url, course_id, parts[0], parts[1], Path(parts[2]).stem)
                except Exception:  # noqa: BLE001 (the refusal stands; only the zero could not be written)
                    _log().exception("Could not record the score 0 of %s in the gradebook", terminal_text(path))
    return hook


def _refuse(nb, why: str, empty: bool = True) -> None:
    """Score every test cell 0 with ``why``; with ``empty``, also empty every other cell (a linked
    file's content, e.g. the instructor's solution, must not reach the feedback)."""
    for cell in nb.cells:
        md = _nbgrader_md(cell)
        if cell.cell_type == "code" and md.get("grade") and not md.get("solution"):
            cell.outputs = [_error("SubmissionRefused" if empty else "SubmissionError", why)]
            cell.execution_count = None
        elif empty and not md.get("locked"):
            cell.source = ""
            if cell.cell_type == "code":
                cell.outputs = []


class WarmSandboxes:
    """A warm sandbox pool (:func:`autograder.grading.engine.sandbox_pool`) handed to :class:`TrustedAutograde`
    through nbgrader's configuration, which deep-copies every value it passes on: this one is shared, never copied.
    ``autograder autograde``'s workers grade one student after another in it."""

    def __init__(self, pool):
        self.pool = pool

    def __deepcopy__(self, memo):
        return self


class TrustedAutograde(NbGraderPreprocessor):
    """Grade the notebook with the sandboxed engine and write the verdicts into the test cells."""

    course_root = Unicode("", help="The course folder: its .autograder/secret seeds the hidden inputs, and the "
                                   "submitted notebooks under it are checked before grading.").tag(config=True)
    submitted_directory = Unicode("submitted", help="nbgrader's folder of submissions, under course_root.").tag(config=True)
    report_dir = Unicode("", help="If set, the engine's JSON report of every notebook is written here.").tag(config=True)
    backend = Unicode("auto", help="Sandbox backend: auto (the strongest that works; refuses to grade when the "
                      "strongest this machine should give fails), bwrap, landlock, or auto+weak to allow a weaker "
                      "one (see `autograder doctor`).").tag(config=True)
    sandboxes = Instance(WarmSandboxes, allow_none=True, help="Warm sandboxes to grade in (the same engine, without "
                         "starting a sandbox per notebook); None: a new sandbox of `backend` per notebook.").tag(config=True)

    def _secret(self) -> str:
        root = Path(self.course_root or os.getcwd())
        return course_secret.load_secret(root / course_secret.SECRET_DIR / course_secret.SECRET_FILE).value

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        assignment_id, student = info.get("assignment", ""), info.get("student", "")
        if assignment_id not in ASSIGNMENT_NAMES:
            raise ValueError(f"No grading spec for assignment {assignment_id!r}: known assignments are "
                             f"{', '.join(ASSIGNMENT_NAMES)} (autograder/assignments/).")
        assignment = get_assignment(assignment_id)
        submitted = Path(self.course_root or os.getcwd()) / self.submitted_directory
        original = submitted / student / assignment_id / f"{info.get('notebook', '')}.ipynb"
        why = unsafe_submission(original, submitted) if os.path.lexists(original) else None
        if why is not None:  # the pre-convert hook was not configured: refuse here
            self.log.error("Refused %s: %s Scored 0.", terminal_text(original), terminal_text(why))
            _refuse(nb, why)
            return nb, resources
        # nbgrader names the notebook by its file stem; each notebook grades its own exercises
        report = grade(nb, assignment, notebook_name=info.get("notebook", ""), key=f"{self._secret()}/{student}",
                       backend=self.sandboxes.pool if self.sandboxes is not None else self.backend)
        if report.status == "error":  # e.g. a cell too large or too complex to read: every test scores 0, saying why
            self.log.error("Could not grade %s/%s: %s", terminal_text(student), assignment_id,
                           terminal_text(report.error))
            _refuse(nb, report.error or "the notebook could not be read", empty=False)
            return nb, resources
        verdicts = {f"test_{e.name}": e for e in report.exercises}
        for cell in nb.cells:
            md = _nbgrader_md(cell)
            if cell.cell_type != "code" or not md.get("grade") or md.get("solution"):
                continue
            verdict = verdicts.get(md.get("grade_id"))
            if verdict is None:
                # A test cell the engine does not know would otherwise get full marks for having no error.
                cell.outputs = [_error("NotGraded", f"Test cell {md.get('grade_id')!r} has no grading spec.")]
                self.log.warning("Test cell %s of %s has no grading spec: scored 0", md.get("grade_id"), assignment_id)
            elif verdict.passed:
                cell.outputs = [new_output("stream", name="stdout", text=f"✔ {verdict.feedback}\n")]
            else:
                cell.outputs = [_error("ExerciseFailed", verdict.feedback)]
            cell.execution_count = None
        self.log.info("Trusted grade of %s/%s: %.1f / %.1f (sandbox: %s)", terminal_text(student), assignment_id,
                      report.score, report.max_score, report.backend)
        if report.flags:  # not mistakes: for the instructor to look at (who called the reference, who tried what)
            self.log.warning("Integrity flags for %s/%s: %s", terminal_text(student), assignment_id,
                             terminal_text("; ".join(report.flags)))
        if str(report.backend).startswith("unconfined"):
            self.log.warning("student code ran WITHOUT filesystem isolation (backend unconfined); "
                             "`autograder doctor` says what this machine can give instead.")
        if self.report_dir:
            out = Path(self.report_dir) / f"{student}-{assignment_id}-{info.get('notebook', '')}.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(report.to_dict(), indent=2))
        return nb, resources


class ClearHiddenTestsQuietly(ClearHiddenTests):
    """nbgrader's ``ClearHiddenTests``, with the trait nbconvert's HTML exporter configures declared
    configurable (else every generate_feedback warns that the option is not recognized)."""

    display_data_priority = List(config=True)


def _without_hidden_tests(source: str) -> str:
    """The text of a test cell as the release shows it (nbgrader's ClearHiddenTests)."""
    out, hidden = [], False
    for line in source.splitlines():
        if line.strip().startswith("### BEGIN HIDDEN TESTS"):
            hidden = True
        elif line.strip().startswith("### END HIDDEN TESTS"):
            hidden = False
        elif not hidden:
            out.append(line)
    return "\n".join(out)


class RestoreMissingCells(OverwriteCells):
    """nbgrader's ``OverwriteCells`` with an ``add_missing_cells`` that works on this kit's notebooks.

    nbgrader 0.9.6 puts a deleted grade cell back after the cell that precedes it in the source,
    but looks that cell up among the submitted grade and solution cells only: when it is a locked
    markdown cell (as before every test cell here) autograde fails with ``KeyError`` and the
    student gets no score at all. Here the cell goes back after the nearest earlier source cell
    still in the notebook (or first), and cells that lost their grade_id are skipped.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        self._submitted = cell.source  # what the student's file holds, before it is restored
        return super().preprocess_cell(cell, resources, cell_index)

    def report_change(self, name, attr, old, new):
        """nbgrader warns that every test cell's checksum "has changed": expected here, since the
        release holds the visible tests only (the cell comes back, hidden tests included, from the
        gradebook). That is said at debug level; a locked cell whose text differs from the release the
        student was given was edited, which still warns, saying so; every other change warns as before."""
        if attr == "checksum":
            source = self.gradebook.find_source_cell(name, self.notebook_id, self.assignment_id).source
            if _without_hidden_tests(source).strip() == str(getattr(self, "_submitted", "")).strip():
                self.log.debug("Test cell %s restored from the gradebook with its hidden tests.", name)
            else:
                self.log.warning("The locked cell %s was edited in this submission; it is restored from the "
                                 "gradebook (an integrity matter: the grade does not depend on it).", name)
            return
        super().report_change(name, attr, old, new)

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        sources = {cell.name: cell for cell in source_nb.source_cells}
        order = list(sources)
        solutions = {cell.name for cell in source_nb.solution_cells}

        def position(grade_id):
            for i, cell in enumerate(nb.cells):
                if _nbgrader_md(cell).get("grade_id") == grade_id:
                    return i
            return None

        for grade_cell in source_nb.grade_cells:
            name = grade_cell.name
            if position(name) is not None or name not in sources:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", name)
            cell = self.missing_cell_transform(sources[name], grade_cell.max_score, is_solution=name in solutions)
            at = 0
            for prev in reversed(order[:order.index(name)]):
                i = position(prev)
                if i is not None:
                    at = i + 1
                    break
            nb.cells.insert(at, cell)
        return nb, resources


def _error(ename: str, message: str):
    return new_output("error", ename=ename, evalue=message, traceback=[f"{ename}: {message}"])


class StripTracebacks(Preprocessor):
    """Reduce every error output to ``ename: evalue`` so feedback never quotes hidden test lines."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.enabled = True  # nbconvert preprocessors default to disabled

    def preprocess_cell(self, cell, resources, index):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                out["traceback"] = [f"{out.get('ename', '')}: {out.get('evalue', '')}"]
        return cell, resources


def configure(c, *, course_root: str, course_id: str = "nnkit", db_url: str | None = None,
              exchange: str | None = None) -> None:
    """Fill an nbgrader config ``c`` for this kit (see the repository's ``nbgrader_config.py``)."""
    from autograder.frontends.nbgrader_outputs import InertStudentContent, SafeCsvExportPlugin
    from autograder.frontends.nbgrader_resume import ResumableAutogradeExporter, autograde_hooks

    root = str(Path(course_root).resolve())
    c.CourseDirectory.root = root
    c.CourseDirectory.course_id = course_id
    c.CourseDirectory.source_directory = "solutions"
    c.CourseDirectory.release_directory = "assignments"
    c.CourseDirectory.db_url = db_url or f"sqlite:///{root}/gradebook.db?timeout=60"
    # The exchange (release, fetch, submit, collect) lives in the course, which the instructor owns,
    # not in nbgrader's default /srv/nbgrader/exchange; NNKIT_EXCHANGE points elsewhere (e.g. a shared folder).
    c.Exchange.root = exchange or os.environ.get("NNKIT_EXCHANGE") or f"{root}/exchange"
    # Unsafe notebooks (links, pipes, devices, huge files) are refused before nbgrader reads them; the
    # hidden inputs come from <course>/.autograder/secret.
    # An autograde killed while grading a student never leaves that student "done" without scores: the
    # next run grades it again, and every run reports missing scores (autograder.frontends.nbgrader_resume).
    c.Autograde.pre_convert_hook, c.Autograde.post_convert_hook = autograde_hooks(
        root, guard=submission_guard(root, c.CourseDirectory.db_url, course_id))
    c.Autograde.exporter_class = ResumableAutogradeExporter
    c.TrustedAutograde.course_root = root
    # Feedback pages carry no live markup from students; the CSV export is quoted and formula-safe.
    c.ExportApp.plugin_class = SafeCsvExportPlugin
    c.ClearSolutions.code_stub = {"python": CODE_STUB}
    # Deleted test cells come back from the gradebook instead of silently scoring nothing.
    c.OverwriteCells.add_missing_cells = True
    c.Autograde.sanitize_preprocessors = [
        "nbgrader.preprocessors.ClearOutput",
        "nbgrader.preprocessors.DeduplicateIds",
        "nbgrader.preprocessors.OverwriteKernelspec",
        RestoreMissingCells,
        "nbgrader.preprocessors.CheckCellMetadata",
    ]
    c.Autograde.autograde_preprocessors = [
        TrustedAutograde,
        "nbgrader.preprocessors.LimitOutput",
        "nbgrader.preprocessors.SaveAutoGrades",
        "nbgrader.preprocessors.AssignLatePenalties",
        "nbgrader.preprocessors.CheckCellMetadata",
    ]
    c.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        ClearHiddenTestsQuietly,
        StripTracebacks,
        InertStudentContent,
        MathToMathML,  # after InertStudentContent: only the instructor's markdown is left to typeset
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
    # The feedback page fetches nothing from the network: math arrives as MathML (feedback_math).
    c.HTMLExporter.extra_template_basedirs = [TEMPLATE_DIR]
    c.HTMLExporter.template_name = TEMPLATE_NAME
