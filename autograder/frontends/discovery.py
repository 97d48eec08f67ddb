"""Finding and reading the submissions under a folder, treating everything in it as hostile.

:func:`discover` finds the submissions (nbgrader's ``submitted/<student>/<assignment>/*.ipynb``, a
folder of ``<student>/<notebook>.ipynb``, or a flat folder of ``<student>.ipynb``); a submission is
one student's notebooks of one assignment. Discovery never follows a symbolic link: a linked
student folder or notebook, a named pipe, a device or a folder named ``*.ipynb`` makes that
submission an error with a message (a link could point at the instructor's solution or another
student's work). Two students whose ids map to the same file name (``a b`` and ``a_b``) are both
graded, under names made distinct by a short hash of the id, with a warning for the instructor.

:func:`read_contents` reads a submission's notebooks through
:func:`autograder.grading.extract.read_submission`: no name below the submissions folder, down to
the notebook, may be a link, and the size is checked on the open descriptor before a byte is read.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from autograder.assignments import ASSIGNMENT_NAMES, get_assignment, notebook_files
from autograder.frontends import safe_text
from autograder.grading.extract import SubmissionError, read_submission

__all__ = ["Submission", "UsageError", "discover", "infer_assignment", "read_contents"]


class UsageError(Exception):
    """Bad usage (a path that does not exist, notebooks of an unknown assignment): the message says what to do."""


@dataclass
class Submission:
    """One student's notebooks of one assignment. ``paths`` maps each notebook file of the assignment
    that was found to the file (its name may differ, see ``notes``); ``problem`` is set when discovery
    itself found the submission ungradable."""

    student: str
    assignment: str
    paths: dict[str, Path] = field(default_factory=dict)
    problem: str | None = None
    notes: list[str] = field(default_factory=list)
    #: the folder the submissions were found in: no name below it, to each notebook, may be a link
    #: (None: only the notebook itself may not be one)
    root: Path | None = None
    #: the student's name in output file names, when it had to be made unique (see :func:`discover`)
    stem: str | None = None
    #: for the instructor (printed by the command line), e.g. that two ids map to one file name
    warning: str | None = None
    #: the notebooks' bytes while the submission is graded (read once: hashed, then parsed)
    contents: dict[str, bytes | SubmissionError] | None = field(default=None, repr=False, compare=False)

    @property
    def key(self) -> str:
        return f"{self.student}__{self.assignment}"

    @property
    def file_stem(self) -> str:
        """The student's part of this submission's output file names."""
        return self.stem or safe_text.safe_name(self.student)

    @property
    def note(self) -> str | None:
        """The notes as one sentence (None when there are none)."""
        return " ".join(self.notes) or None

    @property
    def path(self) -> Path | None:
        """The first notebook (the only one, for single-notebook assignments)."""
        return next(iter(self.paths.values()), None)


# ----------------------------------------------------------------------------- discovery
def _notebook_names() -> dict[str, str]:
    """notebook file name -> assignment, for the notebooks whose name belongs to exactly one assignment."""
    seen: dict[str, list[str]] = {}
    for a in ASSIGNMENT_NAMES:
        for file in notebook_files(a):  # without building every assignment's specs
            seen.setdefault(file, []).append(a)
    return {file: names[0] for file, names in seen.items() if len(names) == 1}


def infer_assignment(notebook: str | Path) -> str | None:
    """The assignment a notebook belongs to, from where it is and what it is called, or None.

    Tried in order: a parent folder named like an assignment (nbgrader's
    ``submitted/<student>/<assignment>/`` or a course's ``assignments/<assignment>/``), then the
    file name matching an assignment's notebook. The notebook's own metadata is not used: a
    student's copy may carry none, and nbgrader does not store the assignment id in it.
    """
    path = Path(os.path.abspath(notebook))  # not resolved: a link's target says nothing about the submission
    for parent in list(path.parents)[:3]:
        if parent.name in ASSIGNMENT_NAMES:
            return parent.name
    if path.stem in ASSIGNMENT_NAMES:
        return path.stem
    return _notebook_names().get(path.name)


def _pick(student: str, assignment: str, files: list[Path], loc: str) -> Submission:
    """Match the notebooks found in one submission folder with the assignment's notebooks."""
    expected = get_assignment(assignment).notebook_files
    by_name = {f.name: f for f in files}
    sub = Submission(student, assignment, {name: by_name[name] for name in expected if name in by_name})
    if sub.paths:
        missing = [n for n in expected if n not in sub.paths]
        if missing:
            sub.notes.append(f"{', '.join(missing)} not found in {loc}: its functions count as missing.")
        return sub
    if len(files) == 1:
        sub.paths[files[0].name] = files[0]
        sub.notes.append(f"graded {files[0].name}, although the notebook should be named "
                         f"{' or '.join(expected)}.")
        return sub
    names = ", ".join(sorted(f.name for f in files))
    sub.problem = (f"{loc} holds {len(files)} notebooks ({names}) and none is named {' or '.join(expected)}: "
                   "keep only the notebooks to grade, or rename them.")
    return sub


def _what(entry: os.DirEntry) -> str | None:
    """What is wrong with a directory entry that would be a student folder or a notebook (None: nothing)."""
    try:
        st = entry.stat(follow_symlinks=False)
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    if stat.S_ISLNK(st.st_mode):
        return "a symbolic link"
    for test, what in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(st.st_mode):
            return what
    return None


def _scan(root: Path, exclude: Path | None) -> tuple[dict[tuple, list[Path]], list[tuple[tuple, str]]]:
    """The notebooks below ``root`` (at most three levels, never through a link), by folder, and the
    entries refused: ``(path parts, what it is)`` for a linked folder or notebook, a pipe, a device, a
    folder named ``*.ipynb``. Hidden names (``.ipynb_checkpoints``) hold copies, not submissions."""
    found: dict[tuple, list[Path]] = {}
    refused: list[tuple[tuple, str]] = []

    def walk(folder: Path, rel: tuple) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for e in entries:
            parts = rel + (e.name,)
            if e.name.startswith(".") or (exclude is not None and Path(e.path) == exclude):
                continue
            notebook = e.name.endswith(".ipynb")
            wrong = _what(e)
            if wrong is not None:
                # a link is refused where a student folder or a notebook would be (other files are ignored)
                if notebook or (len(parts) < 3 and wrong == "a symbolic link" and os.path.isdir(e.path)):
                    refused.append((parts, wrong))
                continue
            if e.is_dir(follow_symlinks=False):
                if notebook:
                    refused.append((parts, "a folder"))
                elif len(parts) < 3:
                    walk(Path(e.path), parts)
            elif notebook:
                found.setdefault(rel, []).append(Path(e.path))

    walk(root, ())
    return found, refused


def _refusal(parts: tuple, what: str, default: str | None, by_nb_name: dict[str, str]) -> tuple[str, str, str]:
    """(student, assignment, message) of an entry refused by :func:`_scan`."""
    name = parts[-1]
    student = parts[0][:-len(".ipynb")] if len(parts) == 1 and name.endswith(".ipynb") else parts[0]
    if len(parts) == 3:
        assignment = parts[1]
    elif len(parts) == 2 and parts[1] in ASSIGNMENT_NAMES:
        assignment = parts[1]
    else:
        assignment = default or by_nb_name.get(name) or "unknown"
    shown = "/".join(parts)
    message = (f"{shown} is {what}: only regular notebook files inside the submission folder are graded (a link "
               "could point at the instructor's or another student's files). Submit the notebook file itself.")
    return student, assignment, message


def _unique_stems(subs: list[Submission]) -> None:
    """Give the students whose ids map to the same file name (``a b`` and ``a_b``, or ``Ada`` and
    ``ada`` on a case-insensitive disk) distinct names with a short hash of the id, and a warning."""
    groups: dict[str, set[str]] = {}
    for s in subs:
        groups.setdefault(safe_text.safe_name(s.student).casefold(), set()).add(s.student)
    stems: dict[str, str] = {}
    for ids in groups.values():
        for student in ids:
            stems[student] = safe_text.safe_name(student) if len(ids) == 1 else \
                f"{safe_text.safe_name(student)}-{hashlib.sha256(student.encode()).hexdigest()[:8]}"
    taken: set[str] = set()
    for student in sorted(stems):  # a crafted id equal to another's hashed name: number it
        stem, n = stems[student], 2
        while stem.casefold() in taken:
            stem, n = f"{stems[student]}-{n}", n + 1
        stems[student] = stem
        taken.add(stem.casefold())
    for s in subs:
        clash = sorted(groups[safe_text.safe_name(s.student).casefold()])
        if len(clash) > 1 or stems[s.student] != safe_text.safe_name(s.student):
            s.stem = stems[s.student]
            s.warning = (f"the student ids {', '.join(repr(c) for c in clash)} map to the same file name; "
                         f"{s.student!r} is written as {s.stem!r}.")


def discover(path: str | Path, assignment: str | None = None, exclude: Path | None = None
             ) -> tuple[list[Submission], Path]:
    """Find the submissions under ``path``; returns them and the folder they were found in.

    Layouts (by depth below the submissions folder): ``<student>/<assignment>/<notebook>.ipynb``
    (nbgrader; ``path`` may be the course, whose ``submitted/`` is used), ``<student>/<notebook>.ipynb``
    and ``<student>.ipynb``. For the last two the assignment comes from ``assignment``, the folder's
    name, or (``<student>/<notebook>``) the notebooks' names; :class:`UsageError` when it cannot be told.
    Links, pipes and devices where a student folder or a notebook would be make that submission an
    error (see the module docstring).
    """
    root = Path(path)
    if not os.path.lexists(root):
        raise UsageError(f"{safe_text.terminal_text(root)} does not exist.")
    if not root.is_dir():
        if root.suffix != ".ipynb":
            raise UsageError(f"{safe_text.terminal_text(root)} is not a notebook (.ipynb) nor a folder of submissions.")
        name = assignment or infer_assignment(root)
        if name is None:
            raise UsageError(f"cannot tell which assignment {safe_text.terminal_text(root.name)} belongs to: "
                             "pass --assignment NAME.")
        sub = _pick(root.stem, name, [root], root.name)
        sub.root = root.parent
        return [sub], root.parent
    if (root / "submitted").is_dir():
        root = root / "submitted"
    elif (root / "nbgrader_config.py").exists():
        raise UsageError(f"{safe_text.terminal_text(root)} is an nbgrader course without a submitted/ folder: collect the "
                         "submissions first.")
    exclude = Path(os.path.abspath(exclude)) if exclude is not None else None
    default = assignment or next((p.name for p in (root, root.parent) if p.name in ASSIGNMENT_NAMES), None)
    by_folder, refused = _scan(root, exclude)
    subs: list[Submission] = []
    unknown: list[str] = []
    by_nb_name = _notebook_names()
    for folder, files in sorted(by_folder.items()):
        if len(folder) == 0:  # flat: <student>.ipynb
            for f in files:
                if default is None:
                    unknown.append(f.name)
                else:
                    subs.append(_pick(f.stem, default, [f], f.name))
        elif len(folder) == 1:  # <student>/<notebook>.ipynb
            student = folder[0]
            if default is not None:
                subs.append(_pick(student, default, files, f"{student}/"))
                continue
            groups: dict[str, list[Path]] = {}
            for f in files:
                if f.name in by_nb_name:
                    groups.setdefault(by_nb_name[f.name], []).append(f)
            if not groups:
                unknown.append(f"{student}/{files[0].name}")
            subs.extend(_pick(student, a, fs, f"{student}/") for a, fs in sorted(groups.items()))
        elif len(folder) == 2:  # <student>/<assignment>/<notebook>.ipynb
            student, name = folder
            if assignment is not None and name != assignment:
                continue
            if name not in ASSIGNMENT_NAMES:
                subs.append(Submission(student, name, problem=(
                    f"there is no grading spec for assignment {name!r} (known: {', '.join(ASSIGNMENT_NAMES)}); "
                    "grade another assignment with --assignment NAME.")))
                continue
            subs.append(_pick(student, name, files, f"{student}/{name}/"))
        # deeper files are not submissions (e.g. data files copied into a submission folder)
    if unknown:
        raise UsageError(f"cannot tell which assignment {len(unknown)} notebook(s) belong to (e.g. "
                         f"{safe_text.terminal_text(unknown[0])}): pass --assignment NAME, one of: {', '.join(ASSIGNMENT_NAMES)}.")
    for parts, what in refused:  # the whole submission is refused, whatever else it holds
        student, name, message = _refusal(parts, what, default, by_nb_name)
        if assignment is not None and name != assignment:
            continue
        sub = next((s for s in subs if (s.student, s.assignment) == (student, name)), None)
        if sub is None:
            subs.append(Submission(student, name, problem=message))
        elif sub.problem is None or "only regular notebook files" not in sub.problem:
            sub.problem = message
    for s in subs:
        s.root = root
    _unique_stems(subs)
    return sorted(subs, key=lambda s: (s.student, s.assignment)), root


def read_contents(sub: Submission) -> dict[str, bytes | SubmissionError]:
    """Each notebook's bytes, or why it cannot be read (a link, too big, not a file), never raising.

    No name below ``sub.root`` (the submissions folder), down to the notebook, may be a link, and
    the size is checked before a byte is read (:func:`autograder.grading.extract.read_submission`).
    """
    out: dict[str, bytes | SubmissionError] = {}
    for file, path in sorted(sub.paths.items()):
        try:
            out[file] = read_submission(path, within=sub.root if sub.root is not None else path.parent)
        except SubmissionError as exc:
            out[file] = exc
    return out
