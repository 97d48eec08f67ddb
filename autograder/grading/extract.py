"""Read a submitted notebook defensively and extract the student's code to grade.

The grader does not run the notebook: it runs the student's *definitions* in a sandbox. From every
code cell that is not an nbgrader test cell, in order, it keeps the top-level ``import`` statements,
``def`` and ``class`` definitions, and assignments of literal constants; everything else
(training runs, plots, prints) is left out, so grading is fast and a stray cell cannot stop it.
IPython syntax (``%matplotlib inline``, ``!pip``) is translated first. A cell that does not parse
is reported with its number and line, and the functions it holds count as missing.

Everything in a submission is hostile. :func:`read_submission` opens a notebook without following
symbolic links, component by component below the submission's folder (so a link to the
instructor's solution, or a path out of the folder, is refused), and checks the file type and size
on the open descriptor BEFORE anything is read: a named pipe cannot block the grader, and a sparse
file of gigabytes is refused without reading a byte. The parsing itself (JSON, IPython, ``ast``)
can still be made to take minutes or gigabytes by a crafted file; :mod:`autograder.grading.bounded`
runs it in a child process with limits, and is what the engine calls.

Every problem with the file itself (a link, not JSON, not UTF-8, not a notebook, too big, too
complex) raises :class:`SubmissionError` with a message saying what is wrong and how to fix it;
nothing else is raised for a bad file.
"""

from __future__ import annotations

import ast
import difflib
import errno
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

__all__ = ["SubmissionError", "StudentCode", "read_submission", "check_submission_file", "decode_notebook",
           "load_notebook", "parse_notebook", "check_notebook", "extract_code", "too_complex", "MAX_NOTEBOOK_BYTES"]

#: Larger files are refused before reading (notebooks with huge outputs are usually far below).
MAX_NOTEBOOK_BYTES = 64 << 20

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link"))


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


# ----------------------------------------------------------------------------- opening a submitted file
def _kind(mode: int) -> str:
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _components(path: Path, within: Path | None) -> tuple[Path, list[str]]:
    """The folder trusted as given, and the names below it that must not be links."""
    if within is None:
        return path.parent, [path.name]
    try:
        rel = Path(os.path.abspath(path)).relative_to(os.path.abspath(within))
    except ValueError:
        raise SubmissionError(f"{path.name} is outside the submission folder {within}: only files inside "
                              "it are graded.") from None
    parts = list(rel.parts)
    if not parts or any(p in ("", ".", "..") for p in parts):
        raise SubmissionError(f"{path} is not a file inside the submission folder {within}.")
    return Path(within), parts


def _open_checked(path: str | Path, within: str | Path | None, max_bytes: int | None) -> tuple[int, int]:
    """Open ``path`` read-only, refusing links at every step below ``within``; returns (fd, size).

    The type and size come from ``fstat`` on the descriptor opened with ``O_NOFOLLOW | O_NONBLOCK``
    (a FIFO opens at once and is then refused), before a single byte is read.
    """
    path = Path(path)
    base, parts = _components(path, Path(within) if within is not None else None)
    limit = MAX_NOTEBOOK_BYTES if max_bytes is None else max_bytes
    shown = "/".join(parts)
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    flags = os.O_RDONLY | nofollow | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    dir_flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | nofollow | getattr(os, "O_CLOEXEC", 0)
    fds: list[int] = []
    try:
        try:
            fds.append(os.open(base, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)))
        except OSError as exc:
            raise SubmissionError(f"Cannot read {shown}: {exc.strerror}.") from None
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            # lstat first: a link (or a FIFO, a device) is refused by what it is, whatever it points to
            try:
                st = os.stat(part, dir_fd=fds[-1], follow_symlinks=False)
            except OSError as exc:
                raise SubmissionError(f"Cannot read {shown}: {exc.strerror}.") from None
            if stat.S_ISLNK(st.st_mode):
                where = "" if last else f" (its folder {part}/ is)"
                raise SubmissionError(
                    f"{shown} is a symbolic link{where}: only the notebook file itself is graded, never a "
                    "file it points to. Submit a copy of the notebook (File > Save Notebook As...), not a link.")
            if not last and not stat.S_ISDIR(st.st_mode):
                raise SubmissionError(f"Cannot read {shown}: {part} is not a folder.")
            if last and not stat.S_ISREG(st.st_mode):  # refused before opening: opening a device can act
                raise SubmissionError(f"Cannot read {path.name}: it is not a regular file ({_kind(st.st_mode)}). "
                                      "Submit the .ipynb file itself.")
            try:
                fds.append(os.open(part, dir_flags if not last else flags, dir_fd=fds[-1]))
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.EMLINK):  # replaced by a link since the lstat
                    raise SubmissionError(f"{shown} is a symbolic link: submit the notebook file itself.") from None
                raise SubmissionError(f"Cannot read {shown}: {exc.strerror}.") from None
        fd = fds.pop()
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # a folder, or a FIFO that would block the grader
            os.close(fd)
            raise SubmissionError(f"Cannot read {path.name}: it is not a regular file ({_kind(st.st_mode)}). "
                                  "Submit the .ipynb file itself.")
        if st.st_size > limit:
            os.close(fd)
            raise SubmissionError(
                f"{path.name} is {st.st_size / 2**20:.0f} MiB, above the {limit >> 20} MiB limit: clear the "
                "outputs (Edit > Clear Outputs of All Cells), save and submit again.")
        return fd, st.st_size
    finally:
        for d in fds:
            os.close(d)


def check_submission_file(path: str | Path, *, within: str | Path | None = None,
                          max_bytes: int | None = None) -> int:
    """Check, without reading it, that ``path`` is a regular file of acceptable size reached without
    links below ``within`` (default: its own folder); returns its size or raises :class:`SubmissionError`."""
    fd, size = _open_checked(path, within, max_bytes)
    os.close(fd)
    return size


def read_submission(path: str | Path, *, within: str | Path | None = None, max_bytes: int | None = None) -> bytes:
    """The bytes of a submitted file, opened as :func:`check_submission_file` checks it.

    ``within`` is the submission's own folder: no name between it and the file may be a symbolic
    link. Reading stops past the size limit even if the file grows while it is read.
    """
    limit = MAX_NOTEBOOK_BYTES if max_bytes is None else max_bytes
    fd, size = _open_checked(path, within, limit)
    try:
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise SubmissionError(f"{Path(path).name} grew above the {limit >> 20} MiB limit while it was "
                                      "read: submit it again once it is saved.")
    except OSError as exc:
        raise SubmissionError(f"Cannot read {Path(path).name}: {exc.strerror}.") from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def load_notebook(path: str | Path, *, within: str | Path | None = None) -> dict:
    """Read and parse a notebook file into a dict (nbformat 4), or raise :class:`SubmissionError`.

    Parsing here is not bounded: the engine uses :mod:`autograder.grading.bounded` instead.
    """
    return decode_notebook(read_submission(path, within=within), Path(path).name)


def decode_notebook(raw: bytes, name: str = "notebook") -> dict:
    """UTF-8 bytes of a notebook file into a checked dict (see :func:`parse_notebook`)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SubmissionError(
            f"{name} is not valid UTF-8 text (byte {exc.start}): it was probably saved by another "
            "program or damaged. Open the original in JupyterLab, save it, and submit that file."
        ) from None
    return parse_notebook(text, name)


# ----------------------------------------------------------------------------- parsing
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
    return check_notebook(nb, name)


def check_notebook(nb, name: str = "notebook") -> dict:
    """Check a parsed notebook's structure (nbformat 4, a list of cells with text sources); list
    sources are joined into one string, in place. Returns ``nb``."""
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


# ----------------------------------------------------------------------------- extraction
def _is_test_cell(cell: dict) -> bool:
    md = cell.get("metadata", {})
    md = md.get("nbgrader", {}) if isinstance(md, dict) else {}
    return isinstance(md, dict) and bool(md.get("grade")) and not md.get("solution")


#: a whole line that is a line magic or a shell escape, at the cell's top level
_MAGIC_LINE = re.compile(r"^(?:%(?!%)|!)[^\n]*$", re.M)


def _parse_cell(source: str) -> tuple[str, ast.Module]:
    """The cell as plain Python and its tree, parsed once when it is plain Python already ("%" in a
    format string, "!=", "?" in a comment: IPython would leave it as it is), else after translating
    its IPython-only syntax. Running out of memory or stack is the caller's to report."""
    try:
        return source, ast.parse(source)
    except (SyntaxError, ValueError):
        python = _to_python(source)
        if python == source:
            raise
        return python, ast.parse(python)


def _to_python(source: str) -> str:
    """Translate IPython-only syntax (magics, shell escapes) into plain Python."""
    if "%" not in source and "!" not in source and "?" not in source:
        return source
    # %%time and %%capture run the rest of the cell as ordinary code (its defs count); the magic
    # line becomes blank so line numbers still match the cell
    first, nl, rest = source.partition("\n")
    if re.match(r"%%(time|capture)\b", first):
        if not nl:
            return ""
        try:
            return "\n" + _parse_cell(rest)[0]
        except (SyntaxError, ValueError):  # reported by the caller, at its line in the whole cell
            return "\n" + rest
    # The usual case, a whole-line magic or shell escape (%matplotlib inline, !pip ...): such lines
    # never define anything, so they become blank lines, without importing IPython (0.1 s per
    # process). Anything else IPython-only (x = !ls, f?, a magic inside a block) still goes to IPython.
    blanked = _MAGIC_LINE.sub("", source)
    if blanked != source and not first.startswith("%%"):
        try:
            ast.parse(blanked)
            return blanked
        except (SyntaxError, ValueError):
            pass
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def _is_literal(node: ast.AST) -> bool:
    try:
        ast.literal_eval(node)
        return True
    except (ValueError, TypeError, SyntaxError, RecursionError):
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


def too_complex(where: str, why: str) -> SubmissionError:
    """The error of a notebook (``where="file"``) or cell (``"cell N"``) that exceeds a reading limit."""
    if where == "file":
        return SubmissionError(
            f"The notebook is too large or too complex to read ({why}). Clear the outputs (Edit > Clear Outputs "
            "of All Cells), remove large data pasted into cells, save and submit again.")
    return SubmissionError(
        f"{where[:1].upper()}{where[1:]} is too large or too complex to read ({why}). Split it into smaller "
        "cells, or remove generated code or data from it (a literal of thousands of values, hundreds of % "
        "magic lines), save and submit again.")


def extract_code(nb: dict, progress: Callable[[str], None] | None = None) -> StudentCode:
    """Extract the definitions of a parsed notebook (see the module docstring).

    ``progress("cell N")`` is called before each code cell is read, so that a reader that runs out
    of time can say which cell it was reading. Running out of memory raises :class:`SubmissionError`.
    """
    out_lines: list[str] = []
    line_map: list[tuple[int, int]] = []
    defined, problems, where = [], [], {}
    for i, cell in enumerate(nb["cells"], 1):
        if cell.get("cell_type") != "code" or _is_test_cell(cell):
            continue
        if progress is not None:
            progress(f"cell {i}")
        try:
            source, tree = _parse_cell(cell["source"])
            lines = source.splitlines()
            kept = [stmt for stmt in tree.body if _keep(stmt)]
        except SyntaxError as exc:
            problems.append(f"cell {i} has a syntax error on line {exc.lineno}: {exc.msg}")
            continue
        except MemoryError:
            raise too_complex(f"cell {i}", "it needs more memory than the grader allows") from None
        except (ValueError, RecursionError, RuntimeError):  # RuntimeError: IPython gave up translating magics
            problems.append(f"cell {i} could not be read as Python")
            continue
        for stmt in kept:
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
