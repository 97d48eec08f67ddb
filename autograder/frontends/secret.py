"""The course secret: what makes each student's hidden test cases unpredictable.

The hidden inputs of an exercise are drawn from a generator seeded by the assignment, the
exercise and a key ``"<course secret>/<student id>"`` (see
:func:`autograder.grading.engine.case_rng`). Without a secret the key is public, and a function
that is only a table of answers precomputed for those inputs would score full marks. So the
secret is created at first use, 256 random bits, and used by default everywhere:

- in an nbgrader course (a folder with ``nbgrader_config.py``, or the parent of a ``submitted/``
  folder) it is ``<course>/.autograder/secret``: beside, never inside, the folders students
  write or receive (``submitted/``, ``autograded/``, ``feedback/``, the release);
- for a folder of submissions outside any course, it is the grader's own
  ``$XDG_STATE_HOME/nnkit-autograder/secret`` (default ``~/.local/state/nnkit-autograder/secret``).

The file is created with mode 0600 in a 0700 folder, opened without following links, and
refused if anyone but its owner can read it. The secret is never passed on a command line or
in an environment variable, never printed or written anywhere else: outputs show only its
fingerprint, a digest that tells two secrets apart. ``autograder secret rotate [COURSE]``
replaces it; every cached result then no longer matches its key and is graded again.

``autograder check`` (a student grading their own notebook) has no secret: it runs the public
hidden cases, and says that the instructor's differ.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["CourseSecret", "SecretError", "course_root", "user_secret_path", "secret_path", "load_secret",
           "rotate_secret", "SECRET_DIR", "SECRET_FILE"]

SECRET_DIR = ".autograder"
SECRET_FILE = "secret"
#: Folders whose content students write or receive: a course root is never looked for inside them.
STUDENT_FOLDERS = frozenset({"submitted", "autograded", "feedback"})
_FORMAT = re.compile(r"[0-9a-f]{64}")


class SecretError(Exception):
    """The secret cannot be used safely (the message says why and what to run)."""


@dataclass(frozen=True)
class CourseSecret:
    """The secret (``value``, never shown) and where it is kept."""

    path: Path
    value: str = field(repr=False)

    @property
    def fingerprint(self) -> str:
        """A short digest that tells two secrets apart without revealing them."""
        return hashlib.sha256(f"nnkit-secret-fingerprint/{self.value}".encode()).hexdigest()[:12]

    def __str__(self) -> str:
        return f"course secret {self.fingerprint} ({self.path})"


# ----------------------------------------------------------------------------- where it lives
def _inside_student_folder(folder: Path) -> bool:
    return any(part in STUDENT_FOLDERS for part in folder.parts)


def course_root(path: str | Path) -> Path | None:
    """The course folder that ``path`` (a file or folder to grade) belongs to, or None.

    The parent of the ``submitted/`` folder that ``path`` is in (nbgrader's layout), or ``path``
    itself if it holds one; else the nearest folder from ``path`` up with ``nbgrader_config.py``
    or an initialized ``.autograder/``. A folder inside ``submitted/``, ``autograded/`` or
    ``feedback/`` is never a course root, so a student cannot make their own folder the course
    (and choose the secret) by placing those files in it. Links are not followed.
    """
    start = Path(os.path.abspath(path))
    chain = [start, *start.parents]
    for folder in chain:
        if folder.name == "submitted" and not _inside_student_folder(folder.parent):
            return folder.parent
    if (start / "submitted").is_dir() and not _inside_student_folder(start):
        return start
    for folder in chain:
        if not _inside_student_folder(folder) and ((folder / "nbgrader_config.py").is_file()
                                                   or (folder / SECRET_DIR).is_dir()):
            return folder
    return None


def user_secret_path() -> Path:
    """The grader's own secret, for submissions outside any course."""
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(state) / "nnkit-autograder" / SECRET_FILE


def secret_path(path: str | Path | None) -> Path:
    """Where the secret for grading ``path`` is kept (see the module docstring)."""
    root = course_root(path) if path is not None else None
    return root / SECRET_DIR / SECRET_FILE if root is not None else user_secret_path()


# ----------------------------------------------------------------------------- reading and writing
def _private_dir(folder: Path) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(folder)
    except OSError as exc:
        raise SecretError(f"cannot create {folder} for the course secret: {exc.strerror}.") from None
    if not stat.S_ISDIR(st.st_mode):
        raise SecretError(f"{folder} is not a folder (a link?): remove it, and the secret is created again.")


def _read(path: Path) -> str:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):
            raise SecretError(f"{path} is a symbolic link: the course secret must be a file of its own. Remove "
                              f"the link and run `autograder secret rotate`.") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > 4096:
            raise SecretError(f"{path} is not a secret file: remove it and run `autograder secret rotate`.")
        if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
            raise SecretError(f"{path} belongs to another user (uid {st.st_uid}): the grader's secret must be the "
                              "grader's own file. Grade as its owner, or run `autograder secret rotate`.")
        if st.st_mode & 0o077:
            raise SecretError(
                f"{path} can be read by other users (mode {stat.S_IMODE(st.st_mode):04o}): run `chmod 600 {path}`, "
                "and if students could have read it, `autograder secret rotate` to draw new hidden cases.")
        text = os.read(fd, 4096).decode("ascii", "replace").strip()
    finally:
        os.close(fd)
    if not _FORMAT.fullmatch(text):
        raise SecretError(f"{path} is damaged (not 64 hexadecimal digits): run `autograder secret rotate`.")
    return text


def _write_new(path: Path) -> str:
    """A new secret in a private temporary file beside ``path``; returns its name and value."""
    _private_dir(path.parent)
    value = secrets.token_hex(32)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        os.write(fd, value.encode() + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    return str(tmp), value


def load_secret(path: str | Path, *, create: bool = True) -> CourseSecret:
    """The secret kept in ``path``, created there (atomically, 0600) if it does not exist yet."""
    path = Path(path)
    try:
        return CourseSecret(path, _read(path))
    except FileNotFoundError:
        if not create:
            raise SecretError(f"there is no course secret at {path} yet: it is created by the first "
                              "`autograder grade` or `nbgrader autograde`.") from None
    tmp, value = _write_new(path)
    try:
        os.link(tmp, path)  # fails if another grader created it meanwhile: then use theirs
    except FileExistsError:
        return CourseSecret(path, _read(path))
    finally:
        os.unlink(tmp)
    return CourseSecret(path, value)


def rotate_secret(path: str | Path) -> CourseSecret:
    """Replace the secret in ``path`` by a new one (atomically); returns the new one."""
    path = Path(path)
    tmp, value = _write_new(path)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        os.unlink(tmp)
        raise SecretError(f"cannot replace {path}: {exc.strerror}.") from None
    return CourseSecret(path, value)
