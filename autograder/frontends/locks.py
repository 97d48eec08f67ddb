"""The output folder of a class run: claimed by one run at a time, checked writable before any grading.

:func:`claim_output` is called by ``autograder grade`` (and ``autograder autograde``) before the
first submission is graded:

1. the folder is created if needed and a small file is written, flushed and removed in it
   (:func:`check_writable`), so a read-only folder, one that cannot be created, or a full disk stops
   the run at once with :class:`OutputUnwritable` instead of after hours of grading;
2. an advisory lock (:class:`OutputLock`: ``fcntl.flock`` on ``<out>/.autograder.lock``, which holds
   the owner's pid) is taken. The kernel releases it when the process ends, however it ends (exit,
   Ctrl-C, ``kill -9``): a crashed run never blocks the next one. A second run on the same folder
   while the first holds it stops with :class:`OutputBusy`, naming the first run's pid.

A save that fails later (the disk filled up during the run) is :class:`SaveFailed`: class grading
stops at the first one (:mod:`autograder.frontends.batch`), every result saved before it is kept.
"""

from __future__ import annotations

import errno
import fcntl
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["OutputError", "OutputBusy", "OutputUnwritable", "SaveFailed", "OutputLock", "check_writable",
           "claim_output", "LOCK_NAME"]

LOCK_NAME = ".autograder.lock"
#: Bytes written by the writability probe: a disk with less room than this is as good as full.
PROBE_BYTES = 64 * 1024


class OutputError(Exception):
    """The output folder cannot be used; the message says why and what to do."""


class OutputBusy(OutputError):
    """Another run holds the output folder's lock (``pid``: its process id, if it could be read)."""

    def __init__(self, message: str, pid: int | None = None):
        super().__init__(message)
        self.pid = pid


class OutputUnwritable(OutputError):
    """The output folder cannot be created or written (read-only, missing and uncreatable, full)."""


class SaveFailed(OutputError):
    """Saving a graded result failed (e.g. the disk became full during the run); the run must stop."""

    def __init__(self, path: Path, cause: OSError):
        super().__init__(f"could not save {path}: {_reason(cause)}. The results saved before this one are kept; "
                         f"{_fix(cause)}, then run the same command again (saved results are reused).")
        self.path, self.cause = Path(path), cause


def _reason(exc: OSError) -> str:
    return {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exceeded",
            errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
            errno.EPERM: "operation not permitted", errno.ENOTDIR: "a file stands where a folder is needed",
            errno.ENOENT: "a folder on the way does not exist"}.get(exc.errno, exc.strerror or str(exc))


def _fix(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free some space (or choose another folder with --out)"
    return "make the folder writable (or choose another folder with --out)"


def check_writable(folder: str | Path) -> Path:
    """Create ``folder`` (and its parents) if needed and prove it writable by writing, flushing and
    removing :data:`PROBE_BYTES` bytes in it. Returns the folder; raises :class:`OutputUnwritable`."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputUnwritable(f"cannot create the output folder {folder}: {_reason(exc)}; {_fix(exc)}.") from None
    if not folder.is_dir():
        raise OutputUnwritable(f"the output folder {folder} is not a folder; choose another one with --out.")
    probe = folder / f".autograder-write-test-{os.getpid()}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        try:
            os.write(fd, b"\0" * PROBE_BYTES)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise OutputUnwritable(f"cannot write in the output folder {folder}: {_reason(exc)}; {_fix(exc)}. "
                               "Nothing was graded.") from None
    finally:
        try:
            probe.unlink()
        except OSError:
            pass
    return folder


@dataclass
class OutputLock:
    """An advisory lock on one output folder, held from :meth:`acquire` to :meth:`release` (or the
    process's end). Use as a context manager."""

    folder: Path
    #: the lock file's name in ``folder``
    name: str = LOCK_NAME
    #: what a second run is told to do
    hint: str = ("wait for it to finish, or choose another folder with --out (two runs on one folder would grade the "
                 "same submissions twice)")
    fd: int | None = None

    @property
    def path(self) -> Path:
        return Path(self.folder) / self.name

    def holder(self) -> int | None:
        """The pid written in the lock file by its last owner (None if unreadable)."""
        try:
            return int(self.path.read_text(encoding="utf-8").split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def acquire(self) -> "OutputLock":
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise OutputUnwritable(f"cannot create the lock file {self.path}: {_reason(exc)}; {_fix(exc)}.") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise OutputUnwritable(f"cannot lock {self.path}: {_reason(exc)}.") from None
            pid = self.holder()
            who = f"pid {pid}" if pid else "a process whose pid could not be read"
            raise OutputBusy(f"another run ({who}) holds {self.path}: {self.hint}.", pid) from None
        # Ours now: say who holds it (for the message of a second run), in place, flushed.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {socket.gethostname()} {time.strftime('%Y-%m-%dT%H:%M:%S%z')}\n".encode(), 0)
        self.fd = fd
        return self

    def release(self) -> None:
        """Unlock (the file stays: removing it could race a run that just opened it)."""
        if self.fd is not None:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            finally:
                os.close(self.fd)
                self.fd = None

    def __enter__(self) -> "OutputLock":
        return self if self.fd is not None else self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def claim_output(folder: str | Path) -> OutputLock:
    """Check ``folder`` writable (creating it), then lock it for this run: see the module docstring.

    Raises :class:`OutputUnwritable` or :class:`OutputBusy`; release the returned lock when done
    (it is released anyway when the process ends).
    """
    return OutputLock(check_writable(folder)).acquire()
