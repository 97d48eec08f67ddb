"""nbgrader integration: the trusted engine in place of nbgrader's in-kernel test execution.

``nbgrader autograde`` normally executes the whole student notebook in a Jupyter kernel and scores
each test cell by whether it raised; student code in that kernel can switch the tests off (see the
README's "Grades nobody can forge"). With :func:`configure`, the autograde pipeline keeps
nbgrader's sanitizing steps (restoring deleted or edited test cells from the gradebook) but
replaces ``Execute`` with :class:`TrustedAutograde`: it grades the notebook with
:mod:`autograder.grading.engine` (student code in a sandbox, results compared here) and writes each
exercise's verdict into its test cell, a printed message when it passed, an error output when it
failed. nbgrader's own ``SaveAutoGrades`` then stores the scores in the gradebook, and
``generate_feedback`` renders the messages, with hidden tests and tracebacks removed.
"""

from __future__ import annotations

import json
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor, OverwriteCells
from traitlets import Unicode

from autograder.assignments import ASSIGNMENT_NAMES, get_assignment
from autograder.grading.engine import grade

__all__ = ["TrustedAutograde", "StripTracebacks", "RestoreMissingCells", "configure"]

CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"


def _nbgrader_md(cell) -> dict:
    md = cell.get("metadata", {}).get("nbgrader", {})
    return md if isinstance(md, dict) else {}


class TrustedAutograde(NbGraderPreprocessor):
    """Grade the notebook with the sandboxed engine and write the verdicts into the test cells."""

    secret = Unicode("", help="Mixed into the seeds of the hidden test inputs (keep it private).").tag(config=True)
    report_dir = Unicode("", help="If set, the engine's JSON report of every notebook is written here.").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        assignment_id, student = info.get("assignment", ""), info.get("student", "")
        if assignment_id not in ASSIGNMENT_NAMES:
            raise ValueError(f"No grading spec for assignment {assignment_id!r}: known assignments are "
                             f"{', '.join(ASSIGNMENT_NAMES)} (autograder/assignments/).")
        assignment = get_assignment(assignment_id)
        # nbgrader names the notebook by its file stem; each notebook grades its own exercises
        report = grade(nb, assignment, notebook_name=info.get("notebook", ""), key=f"{self.secret}/{student}")
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
        self.log.info("Trusted grade of %s/%s: %.1f / %.1f (sandbox: %s)", student, assignment_id,
                      report.score, report.max_score, report.backend)
        if report.backend == "fallback":
            self.log.warning("bubblewrap is not usable here: student code ran in the weaker fallback sandbox "
                             "(no hidden files, no network isolation). Install bubblewrap for full isolation.")
        if self.report_dir:
            out = Path(self.report_dir) / f"{student}-{assignment_id}-{info.get('notebook', '')}.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(report.to_dict(), indent=2))
        return nb, resources


class RestoreMissingCells(OverwriteCells):
    """nbgrader's ``OverwriteCells`` with an ``add_missing_cells`` that works on this kit's notebooks.

    nbgrader 0.9.6 puts a deleted grade cell back after the cell that precedes it in the source,
    but looks that cell up among the submitted grade and solution cells only: when it is a locked
    markdown cell (as before every test cell here) autograde fails with ``KeyError`` and the
    student gets no score at all. Here the cell goes back after the nearest earlier source cell
    still in the notebook (or first), and cells that lost their grade_id are skipped.
    """

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


def configure(c, *, course_root: str, course_id: str = "nnkit", db_url: str | None = None) -> None:
    """Fill an nbgrader config ``c`` for this kit (see the repository's ``nbgrader_config.py``)."""
    root = str(Path(course_root).resolve())
    c.CourseDirectory.root = root
    c.CourseDirectory.course_id = course_id
    c.CourseDirectory.source_directory = "solutions"
    c.CourseDirectory.release_directory = "assignments"
    c.CourseDirectory.db_url = db_url or f"sqlite:///{root}/gradebook.db?timeout=60"
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
        "nbgrader.preprocessors.ClearHiddenTests",
        StripTracebacks,
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
