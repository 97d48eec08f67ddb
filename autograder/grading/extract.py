"""Read a submitted notebook defensively and extract the student's code to grade.

The grader does not run the notebook: it runs the student's *definitions* in a sandbox. From every
code cell that is not an nbgrader test cell, in order, it keeps the top-level ``import`` statements,
``def`` and ``class`` definitions, and assignments of literal constants; everything else
(training runs, plots, prints) is left out, so grading is fast and a stray cell cannot stop it.
IPython syntax (``%matplotlib inline``, ``!pip``) is translated first. A cell that does not parse
is reported with its number and line, and the functions it holds count as missing.

Every problem with the file itself (not JSON, not UTF-8, not a notebook, too big) raises
:class:`SubmissionError` with a message saying what is wrong and how to fix it; it never raises
anything else.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SubmissionError", "StudentCode", "load_notebook", "extract_code", "MAX_NOTEBOOK_BYTES"]

#: Larger files are refused before parsing (notebooks with huge outputs are usually far below).
MAX_NOTEBOOK_BYTES = 64 << 20


class SubmissionError(Exception):
    """The submission cannot be graded at all (the message says why and how to fix it)."""


@dataclass
class StudentCode:
    """The code extracted from a notebook: ``source`` to run, what it defines, and problems found."""

    source: str
    defined: list[str]
    problems: list[str] = field(default_factory=list)
    #: name -> "cell N" where the name was (last) defined, for messages
    where: dict[str, str] = field(default_factory=dict)
    #: line k of ``source`` (1-based) came from ``line_map[k - 1] = (cell number, line in cell)``
    line_map: list[tuple[int, int]] = field(default_factory=list)

    def locate(self, lineno: int | None) -> str:
        """``"cell N, line K"`` for a line of ``source`` (empty if unknown)."""
        if lineno and 0 < lineno <= len(self.line_map) and self.line_map[lineno - 1][0]:
            cell, line = self.line_map[lineno - 1]
            return f"cell {cell}, line {line}"
        return ""

    def missing_message(self, name: str) -> str:
        """Why ``name`` is not there, with the closest defined name if it looks renamed."""
        close = difflib.get_close_matches(name, self.defined, n=1, cutoff=0.6)
        msg = f"No function named `{name}` was found in your notebook."
        if close:
            msg += f" Did you rename it? `{close[0]}` is defined in {self.where.get(close[0], 'your notebook')}: name it `{name}` again."
        else:
            msg += " Define it (with exactly this name) in its answer cell and make sure the cell has no syntax error."
        if self.problems:
            msg += " Problems found: " + "; ".join(self.problems)
        return msg


def load_notebook(path: str | Path) -> dict:
    """Parse a notebook file into a dict (nbformat 4), or raise :class:`SubmissionError`."""
    path = Path(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise SubmissionError(f"Cannot read {path.name}: {exc.strerror}.") from None
    if not stat.S_ISREG(st.st_mode):  # a folder, or a FIFO that would block the grader
        raise SubmissionError(f"Cannot read {path.name}: it is not a regular file. Submit the .ipynb file itself.")
    size = st.st_size
    if size > MAX_NOTEBOOK_BYTES:
        raise SubmissionError(
            f"{path.name} is {size / 2**20:.0f} MiB, above the {MAX_NOTEBOOK_BYTES >> 20} MiB limit: clear the "
            "outputs (Edit > Clear Outputs of All Cells), save and submit again."
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SubmissionError(f"Cannot read {path.name}: {exc.strerror}.") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SubmissionError(
            f"{path.name} is not valid UTF-8 text (byte {exc.start}): it was probably saved by another "
            "program or damaged. Open the original in JupyterLab, save it, and submit that file."
        ) from None
    return parse_notebook(text, path.name)


def parse_notebook(text: str, name: str = "notebook") -> dict:
    """Parse notebook JSON text, checking the structure this grader relies on."""
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SubmissionError(
            f"{name} is not valid notebook JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
            "It was probably edited as text or truncated; restore it from JupyterLab (File > Revert) "
            "or download a fresh copy and paste your answers back in."
        ) from None
    except (ValueError, RecursionError) as exc:  # e.g. nesting too deep, an integer of 5000 digits
        what = "nesting too deep" if isinstance(exc, RecursionError) else str(exc)[:80]
        raise SubmissionError(
            f"{name} is not valid notebook JSON ({what}). It was probably damaged; restore it from JupyterLab "
            "(File > Revert) or download a fresh copy and paste your answers back in."
        ) from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise SubmissionError(f"{name} is JSON but not a Jupyter notebook (no list of cells).")
    if nb.get("nbformat") != 4:
        raise SubmissionError(
            f"{name} uses notebook format {nb.get('nbformat')!r}; format 4 is required. Open and save it "
            "with JupyterLab 3 or later."
        )
    for i, cell in enumerate(nb["cells"], 1):
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            raise SubmissionError(f"{name}: cell {i} is damaged (not a code, markdown or raw cell).")
        src = cell.get("source", "")
        if isinstance(src, list) and all(isinstance(s, str) for s in src):
            cell["source"] = "".join(src)
        elif not isinstance(src, str):
            raise SubmissionError(f"{name}: cell {i} has damaged source text.")
    return nb


def _is_test_cell(cell: dict) -> bool:
    md = cell.get("metadata", {})
    md = md.get("nbgrader", {}) if isinstance(md, dict) else {}
    return isinstance(md, dict) and bool(md.get("grade")) and not md.get("solution")


def _to_python(source: str) -> str:
    """Translate IPython-only syntax (magics, shell escapes) into plain Python."""
    if "%" not in source and "!" not in source and "?" not in source:
        return source
    from IPython.core.inputtransformer2 import TransformerManager

    # %%time and %%capture run the rest of the cell as ordinary code (its defs count); the magic
    # line becomes blank so line numbers still match the cell
    first, nl, rest = source.partition("\n")
    if re.match(r"%%(time|capture)\b", first):
        return "\n" + _to_python(rest) if nl else ""
    return TransformerManager().transform_cell(source)


def _is_literal(node: ast.AST) -> bool:
    try:
        ast.literal_eval(node)
        return True
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False


def _keep(stmt: ast.stmt) -> bool:
    if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets):
        return _is_literal(stmt.value)
    return False


def _bound_names(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [stmt.name]
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in stmt.names]
    if isinstance(stmt, ast.Assign):
        return [t.id for t in stmt.targets]
    return []


def extract_code(nb: dict) -> StudentCode:
    """Extract the definitions of a parsed notebook (see the module docstring)."""
    out_lines: list[str] = []
    line_map: list[tuple[int, int]] = []
    defined, problems, where = [], [], {}
    for i, cell in enumerate(nb["cells"], 1):
        if cell.get("cell_type") != "code" or _is_test_cell(cell):
            continue
        try:
            source = _to_python(cell["source"])
            tree = ast.parse(source)
        except SyntaxError as exc:
            problems.append(f"cell {i} has a syntax error on line {exc.lineno}: {exc.msg}")
            continue
        except (ValueError, RecursionError, MemoryError):
            problems.append(f"cell {i} could not be read as Python")
            continue
        lines = source.splitlines()
        for stmt in tree.body:
            if not _keep(stmt):
                continue
            start = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])
            for k in range(start, stmt.end_lineno + 1):
                out_lines.append(lines[k - 1])
                line_map.append((i, k))
            out_lines.append("")
            line_map.append((0, 0))
            for name in _bound_names(stmt):
                defined.append(name)
                where[name] = f"cell {i}"
    return StudentCode("\n".join(out_lines) + "\n", sorted(set(defined)), problems, where, line_map)
