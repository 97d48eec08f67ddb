"""Job folders: private, owned by the job's uid, removed even when the job tried to prevent it.

Layout (created by the trusted side, preferably on a tmpfs, see :func:`jobs_root`)::

    <root>/                          0711, the grader's: nobody else can list it
        lib-<kit>/                   symlinks to the kit's packages (Landlock backend's sys.path entry),
                                     one folder per installation of the kit
        uids/                        lock files of the uids leased to running sandboxes (root only)
        w-<pid>-<start>-<random>/    one sandbox's area, 0700, owned by the sandbox's uid
            <job>/                   one job: student.py, inputs.pay, job.json, then results

``<pid>-<start>`` names the grader process that made the area (its pid and start time), so
:func:`sweep_stale` can remove the areas of graders that died (``kill -9``) without touching those
of graders still running. :func:`remove_tree` removes a folder whatever its content: no recursion
(a chain of 100,000 nested directories is fine), a bounded number of open descriptors (deep
subtrees are moved up before descending further), no symlink followed, and modes reset where the
job made its own folders unreadable.
"""
from __future__ import annotations

import errno
import functools
import os
import re
import secrets
import stat
import tempfile

__all__ = ["jobs_root", "new_area", "remove_tree", "sweep_stale", "lib_dir", "process_start"]

_AREA = re.compile(r"w-(\d+)-(\d+)-[0-9a-f]{12}\Z")
_MAX_OPEN = 32


class JobFolderError(OSError):
    """The jobs folder is unusable (wrong owner or mode): the message says which and how to fix it."""


def process_start(pid: int) -> int | None:
    """The start time of process ``pid`` (clock ticks since boot), or None when it does not run: it
    does not exist, or it has ended and waits to be reaped (a zombie holds nothing, and one whose
    parent was killed may wait for a slow init a long time)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return None if fields[0] in (b"Z", b"X") else int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def _private_dir(path: str, mode: int) -> bool:
    """Create ``path`` with ``mode``, or accept it if it exists as our own real directory; else False."""
    try:
        os.mkdir(path, mode)
    except FileExistsError:
        pass
    st = os.lstat(path)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
        return False
    if stat.S_IMODE(st.st_mode) != mode:
        os.chmod(path, mode)
    return True


def _on_tmpfs(path: str) -> bool:
    """Whether ``path`` (existing or not) lies on a tmpfs (job folders there cost no disk I/O)."""
    path = os.path.realpath(path)
    best, kind = "", ""
    try:
        with open("/proc/self/mounts") as f:
            for line in f:
                fields = line.split()
                if len(fields) >= 3:
                    point = fields[1].replace("\\040", " ")
                    if (path == point or path.startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
                        best, kind = point, fields[2]
    except OSError:
        return False
    return kind == "tmpfs"


@functools.lru_cache(maxsize=None)
def jobs_root() -> str:
    """The folder holding every sandbox area of this user (created 0711 as root, else 0700, on first use).

    ``$AUTOGRADER_JOBS_DIR`` if set; else the first usable of ``/run/autograder`` (root) or
    ``$XDG_RUNTIME_DIR/autograder``, ``/dev/shm/autograder-<uid>`` and ``/tmp/autograder-<uid>``,
    preferring one on a tmpfs (a job writes and removes dozens of small files: on a disk with
    ``discard``, that cost more than the grading). A folder someone else made is never used.
    """
    uid = os.geteuid()
    mode = 0o711 if uid == 0 else 0o700
    own = os.environ.get("AUTOGRADER_JOBS_DIR")
    candidates = ["/run/autograder"] if uid == 0 else []
    if uid != 0 and os.environ.get("XDG_RUNTIME_DIR"):
        candidates.append(os.path.join(os.environ["XDG_RUNTIME_DIR"], "autograder"))
    candidates += [f"/dev/shm/autograder-{uid}", os.path.join(tempfile.gettempdir(), f"autograder-{uid}")]
    candidates = ([own] if own else []) + sorted(candidates, key=lambda c: not _on_tmpfs(os.path.dirname(c)))
    for c in candidates:
        try:
            if not os.path.isdir(os.path.dirname(c)):
                continue
            if _private_dir(c, mode):
                return os.path.realpath(c)
        except OSError:
            continue
    try:  # every usual place is taken by someone else's folder: a fresh one (not swept by later runs)
        d = tempfile.mkdtemp(prefix=f"autograder-{uid}-")
        os.chmod(d, mode)
        return os.path.realpath(d)
    except OSError as exc:
        raise JobFolderError(f"no usable folder for sandbox jobs (tried {', '.join(candidates)}): {exc}; set "
                             "AUTOGRADER_JOBS_DIR to a folder of your own.") from None


def lib_dir() -> str:
    """``<root>/lib-<kit>``: symlinks to the kit's packages and nothing else (see the module docstring).

    ``<kit>`` names the packages' folders (a hash): graders of two installations of the kit running at
    once as one user (two course versions, a checkout beside an installed kit) each keep their own
    links. With one shared folder, each re-pointed the links to its own packages, and a sandbox of
    the other, whose Landlock rules allow only its own packages, could not read its modules."""
    import hashlib

    from autograder.isolation.layout import package_dirs

    kit = hashlib.sha256(repr(package_dirs()).encode()).hexdigest()[:12]
    d = os.path.join(jobs_root(), f"lib-{kit}")
    os.makedirs(d, mode=0o755, exist_ok=True)
    os.chmod(d, 0o755)
    for name, src in package_dirs():
        link = os.path.join(d, name)
        if not (os.path.islink(link) and os.readlink(link) == src):
            tmp = f"{link}.{secrets.token_hex(4)}"
            os.symlink(src, tmp)
            os.replace(tmp, link)
    return d


def new_area(owner: int | None = None) -> str:
    """A fresh private area for one sandbox (0700; chowned to ``owner`` when running as root)."""
    pid = os.getpid()
    path = os.path.join(jobs_root(), f"w-{pid}-{process_start(pid) or 0}-{secrets.token_hex(6)}")
    os.mkdir(path, 0o700)
    if owner is not None and os.geteuid() == 0:
        os.chown(path, owner, owner)
    return path


def sweep_stale(root: str | None = None) -> int:
    """Remove the areas of grader processes that no longer run; returns how many were removed."""
    root = root or jobs_root()
    removed = 0
    try:
        names = os.listdir(root)
    except OSError:
        return 0
    for name in names:
        m = _AREA.match(name)
        if m and process_start(int(m.group(1))) != int(m.group(2)):
            try:
                remove_tree(os.path.join(root, name))
            except OSError:  # its processes are still ending and writing (no pid namespace): the next sweep
                continue
            removed += 1
    return removed


def _open_dir(name: str, parent_fd: int) -> int:
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        return os.open(name, flags, dir_fd=parent_fd)
    except PermissionError:  # a folder the job made unreadable (as an ordinary user: our own)
        os.chmod(name, 0o700, dir_fd=parent_fd)
        return os.open(name, flags, dir_fd=parent_fd)


def _scan(fd: int) -> list[str]:
    """Unlink every non-directory in the open directory ``fd``; return the names of its subdirectories."""
    if os.geteuid() != 0:
        os.fchmod(fd, 0o700)  # so that its entries can be removed
    subdirs = []
    with os.scandir(fd) as it:
        for entry in it:
            if entry.is_dir(follow_symlinks=False):
                subdirs.append(entry.name)
            else:
                try:
                    os.unlink(entry.name, dir_fd=fd)
                except FileNotFoundError:  # removed meanwhile (another grader sweeping the same stale area)
                    pass
    return subdirs


def _gone_ok(op, *args, **kwargs) -> bool:
    """``op(*args, **kwargs)``; False when what it acts on was removed meanwhile (another grader sweeping
    the same stale area: both want it gone)."""
    try:
        op(*args, **kwargs)
    except FileNotFoundError:
        return False
    return True


def _empty(top: int) -> None:
    """Delete everything inside the open directory ``top``, iteratively, with at most ``_MAX_OPEN``
    descriptors: below that depth, a subtree is moved up into ``top`` and finished from there."""
    stack = [(top, None, None, _scan(top))]  # (dir fd, parent fd, name, subdirectories left)
    try:
        while stack:
            cur, parent, name, pending = stack[-1]
            if not pending:
                pending.extend(_scan(cur))  # nothing may remain (and spilled subtrees land in top)
                if not pending:
                    stack.pop()
                    if parent is not None:
                        os.close(cur)
                        _gone_ok(os.rmdir, name, dir_fd=parent)
                    continue
            sub = pending.pop()
            if len(stack) >= _MAX_OPEN:
                moved = f".spill-{secrets.token_hex(8)}"
                if _gone_ok(os.rename, sub, moved, src_dir_fd=cur, dst_dir_fd=top):
                    stack[0][3].append(moved)
                continue
            try:
                fd = _open_dir(sub, cur)
            except FileNotFoundError:  # removed meanwhile
                continue
            stack.append((fd, cur, sub, _scan(fd)))
    finally:
        for cur, parent, _, _ in stack:
            if parent is not None:
                os.close(cur)


def remove_tree(path: str) -> None:
    """Remove ``path`` and everything in it (see the module docstring); a missing path is fine, and so is
    a part of it that another process removes at the same time."""
    path = os.path.abspath(path)
    parent, name = os.path.split(path)
    try:
        pfd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:
        return
    try:
        try:
            top = _open_dir(name, pfd)
        except FileNotFoundError:
            return
        except OSError as exc:
            if isinstance(exc, NotADirectoryError) or exc.errno == errno.ELOOP:  # a file or a symlink
                os.unlink(name, dir_fd=pfd)
                return
            raise
        try:
            _empty(top)
        finally:
            os.close(top)
        _gone_ok(os.rmdir, name, dir_fd=pfd)
    finally:
        os.close(pfd)
