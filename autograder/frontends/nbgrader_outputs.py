"""What nbgrader writes for people to read, made safe from what students write: the feedback HTML
and the CSV export.

**Feedback.** ``nbgrader generate_feedback`` renders the autograded notebook to HTML, and its
template passes markdown through a renderer that keeps raw HTML, and raw cells through as HTML: a
``<script>``, an ``onerror=`` handler, a ``javascript:`` link, an iframe or an SVG written by a
student would be live in the page the student (or the instructor, in formgrader) opens.
:class:`InertStudentContent` runs last in the feedback pipeline and keeps only what the kit
itself wrote as markup:

- markdown cells are rendered (with their math) only when they are the instructor's: the cell's
  ``grade_id`` names a source cell in the gradebook and its text is exactly that cell's text;
  every other markdown cell, and every raw cell, becomes escaped plain text in a ``<pre>`` (math
  renderers skip ``<pre>``, so student text cannot reach MathJax either);
- outputs keep only text: streams, errors (the verdicts the trusted grader wrote), and the
  ``text/plain`` form of results; HTML, SVG, JavaScript, markdown and LaTeX outputs are dropped;
- cell metadata keeps only nbgrader's fields (with a well-formed ``grade_id``), attachments are
  dropped, ids and execution counts are checked, and the notebook metadata keeps only the kernel
  and language (widget state, which the template embeds in a script tag, is dropped).

Code cells are shown as highlighted source, which the highlighter escapes. Any text a student
wrote is cut at :data:`MAX_SHOWN` characters: highlighting one 3 MiB cell took generate_feedback
over ten minutes.

**CSV export.** nbgrader's own ``CsvExportPlugin`` joins fields with commas without quoting:
a name with a comma or a line break breaks the file, and a student id starting with ``=`` is a
formula for the spreadsheet that opens it. :class:`SafeCsvExportPlugin` writes the same columns
through :func:`autograder.frontends.safe_text.csv_writer`, every text cell through
:func:`~autograder.frontends.safe_text.csv_cell`.
"""

from __future__ import annotations

import html
import re

from nbformat.v4 import new_raw_cell
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import List

from autograder.frontends.safe_text import csv_cell, csv_writer

__all__ = ["InertStudentContent", "SafeCsvExportPlugin", "inert_text"]

_NBGRADER_KEYS = ("schema_version", "grade", "solution", "locked", "task", "grade_id", "points", "score", "comment",
                  "cell_type", "checksum")
_GRADE_ID = re.compile(r"[A-Za-z0-9_\-]{0,200}")
_CELL_ID = re.compile(r"[A-Za-z0-9_\-]{1,64}")
#: Longest text of one cell (source or output) shown in the feedback.
MAX_SHOWN = 20_000


def _cut(text: str, comment: str = "") -> str:
    if len(text) <= MAX_SHOWN:
        return text
    return text[:MAX_SHOWN] + f"\n{comment}... {len(text) - MAX_SHOWN} more characters are not shown here\n"


def inert_text(text: str, label: str = "") -> str:
    """``text`` as escaped HTML in a ``<pre>``: shown as typed, never interpreted."""
    # only elements nbconvert's cleaner keeps in a raw cell (div, pre, em)
    head = f'<div class="nnkit-student-label"><em>{html.escape(label)}</em></div>' if label else ""
    return f'<div class="nnkit-student-text">{head}<pre>{html.escape(text, quote=True)}</pre></div>'


def _clean_nbgrader(md) -> dict:
    nbg = md.get("nbgrader") if isinstance(md, dict) else None
    if not isinstance(nbg, dict):
        return {}
    out = {k: nbg[k] for k in _NBGRADER_KEYS if k in nbg}
    if not (isinstance(out.get("grade_id", ""), str) and _GRADE_ID.fullmatch(out.get("grade_id", ""))):
        out.pop("grade_id", None)
    for key in ("points", "score"):  # the template formats them as numbers
        if key in out and not isinstance(out[key], (int, float)):
            out.pop(key)
    return {"nbgrader": out} if out else {}


def _clean_output(out) -> dict | None:
    kind = out.get("output_type")
    if kind == "stream":
        return {"output_type": "stream", "name": "stderr" if out.get("name") == "stderr" else "stdout",
                "text": _cut(_text(out.get("text")))}
    if kind == "error":
        tb = out.get("traceback")
        return {"output_type": "error", "ename": _cut(_text(out.get("ename"))),
                "evalue": _cut(_text(out.get("evalue"))),
                "traceback": [_cut(_text(t)) for t in tb[:50]] if isinstance(tb, list) else []}
    if kind in ("execute_result", "display_data"):
        data = out.get("data")
        plain = data.get("text/plain") if isinstance(data, dict) else None
        if plain is None:
            return None
        return {"output_type": "stream", "name": "stdout", "text": _cut(_text(plain))}
    return None


def _text(value) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return "" if value is None else str(value)


class InertStudentContent(NbGraderPreprocessor):
    """Turn every markup a student controls into inert text before the feedback is rendered (see
    the module docstring)."""

    # nbconvert's HTML exporter configures this for every converter step; declared configurable so
    # that generate_feedback does not warn "Config option display_data_priority not recognized"
    display_data_priority = List(config=True)

    def __init__(self, **kw):
        super().__init__(**kw)
        self.enabled = True  # nbconvert preprocessors default to disabled

    def _instructor_markdown(self, resources) -> dict[str, str]:
        """grade_id -> text of the instructor's markdown cells of this notebook (from the gradebook)."""
        info = resources.get("nbgrader", {})
        try:
            with Gradebook(info["db_url"]) as gb:
                nb = gb.find_notebook(info["notebook"], info["assignment"])
                return {c.name: c.source for c in nb.source_cells if c.cell_type == "markdown"}
        except (KeyError, MissingEntry):
            return {}  # nothing is trusted: every markdown cell is shown as text

    def preprocess(self, nb, resources):
        trusted = self._instructor_markdown(resources)
        kernel = nb.metadata.get("kernelspec") if isinstance(nb.metadata.get("kernelspec"), dict) else {}
        nb.metadata = {"kernelspec": {k: str(kernel.get(k, d)) for k, d in
                                      (("name", "python3"), ("display_name", "Python 3"), ("language", "python"))},
                       "language_info": {"name": "python", "pygments_lexer": "ipython3"}}
        nb.cells = [self._clean(cell, i, trusted) for i, cell in enumerate(nb.cells)]
        return nb, resources

    def _clean(self, cell, index: int, trusted: dict[str, str]):
        md = _clean_nbgrader(cell.get("metadata"))
        cell_id = cell.get("id") if isinstance(cell.get("id"), str) and _CELL_ID.fullmatch(cell["id"]) else None
        source = _text(cell.get("source"))
        if cell.get("cell_type") == "code":
            cell.metadata = md
            cell.source = _cut(source, "# ")
            cell.pop("attachments", None)
            cell.outputs = [o for o in (_clean_output(out) for out in (cell.get("outputs") or [])[:100]
                                        if isinstance(out, dict)) if o is not None]
            if not (cell.get("execution_count") is None or type(cell.get("execution_count")) is int):
                cell.execution_count = None
            cell.id = cell_id or f"cell-{index}"
            return cell
        grade_id = md.get("nbgrader", {}).get("grade_id")
        if cell.get("cell_type") == "markdown" and grade_id in trusted and trusted[grade_id] == source:
            cell.metadata = md
            cell.pop("attachments", None)
            cell.id = cell_id or f"cell-{index}"
            return cell
        label = "Text written in the notebook (shown as typed)" if source.strip() else ""
        raw = new_raw_cell(inert_text(_cut(source), label), metadata={"raw_mimetype": "text/html"})
        raw.id = cell_id or f"cell-{index}"
        return raw


class SafeCsvExportPlugin(ExportPlugin):
    """nbgrader's CSV export (same columns), with quoting and formula-safe text cells."""

    KEYS = ("assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email", "raw_score",
            "late_submission_penalty", "score", "max_score")
    TEXT = {"assignment", "student_id", "last_name", "first_name", "email"}

    def export(self, gradebook: Gradebook) -> None:
        dest = self.to or "grades.csv"
        students = {str(s) for s in self.student}
        assignments = {str(a) for a in self.assignment}
        self.log.info("Exporting grades to %s (formula-safe CSV)", dest)
        with open(dest, "w", encoding="utf-8", newline="") as fh:
            w = csv_writer(fh)
            w.writerow(self.KEYS)
            for assignment in gradebook.assignments:
                if assignments and assignment.name not in assignments:
                    continue
                for student in gradebook.students:
                    if students and student.id not in students:
                        continue
                    row = {"assignment": assignment.name, "duedate": assignment.duedate, "student_id": student.id,
                           "last_name": student.last_name, "first_name": student.first_name, "email": student.email,
                           "max_score": assignment.max_score}
                    try:
                        sub = gradebook.find_submission(assignment.name, student.id)
                    except MissingEntry:  # nothing submitted: 0, as nbgrader's own export
                        row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0, score=0.0)
                    else:
                        penalty = sub.late_submission_penalty
                        row.update(timestamp=sub.timestamp, raw_score=sub.score, late_submission_penalty=penalty,
                                   score=max(0.0, sub.score - (penalty or 0.0)))
                    w.writerow([csv_cell(row[k]) if k in self.TEXT else ("" if row[k] is None else str(row[k]))
                                for k in self.KEYS])
