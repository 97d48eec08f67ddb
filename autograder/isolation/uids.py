"""As root: a distinct unprivileged uid for every sandbox running at the same time.

Two sandboxes sharing a uid could read and write each other's folders, signal each other's
processes and share one ``RLIMIT_NPROC`` budget, so each sandbox leases its own uid from
``FIRST_UID`` on (61000-61999, a range Debian and Ubuntu leave unassigned). A lease is an exclusive
``flock`` on ``<jobs root>/uids/<uid>.lock``: held for the sandbox's life by this process, released
by the kernel when the process ends however it ends, and visible to every other grader process on
the machine. A uid is skipped when it has a passwd entry or still owns a process.
"""
from __future__ import annotations

import fcntl
import os
import pwd

__all__ = ["FIRST_UID", "UidLease", "lease_uid"]

FIRST_UID = 61000
COUNT = 1000


class UidLease:
    """An exclusive claim on ``uid`` (and the group of the same number); :meth:`release` ends it."""

    def __init__(self, uid: int, fd: int | None):
        self.uid, self.gid, self._fd = uid, uid, fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None

    def __enter__(self) -> "UidLease":
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"UidLease(uid={self.uid}, held={self._fd is not None})"


def _owns_processes(uid: int) -> bool:
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.stat(f"/proc/{name}").st_uid == uid:
                    return True
            except OSError:
                pass
    return False


def _has_account(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
        return True
    except KeyError:
        return False


def lease_uid(lock_dir: str, first: int = FIRST_UID, count: int = COUNT) -> UidLease:
    """Lease the first free uid of ``[first, first + count)``; raises RuntimeError when none is free."""
    os.makedirs(lock_dir, mode=0o700, exist_ok=True)
    for uid in range(first, first + count):
        fd = os.open(os.path.join(lock_dir, f"{uid}.lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        if _has_account(uid) or _owns_processes(uid):
            os.close(fd)
            continue
        return UidLease(uid, fd)
    raise RuntimeError(f"no free sandbox uid in {first}-{first + count - 1}: {count} sandboxes already run on this "
                       "machine, or their uids still own processes; wait for them to finish.")
