"""What a sandbox may see: the Python installation, the system libraries and the kit's two packages.

Never the repository itself (``solutions/``, the gradebook, tests), the course folder, ``$HOME`` or
another job's folder. The same lists serve both backends: bwrap binds them into an empty root (the
packages at ``/opt/autograder-lib``), and the Landlock backend allows them read-only where they are.
:func:`carve` removes the kit's packages from a list of readable paths (for student code, which
must not read nnkit's or the grader's sources: everything it may use from them is imported before
it runs).
"""
from __future__ import annotations

import functools
import os
import sys

__all__ = ["SANDBOX_LIB", "carve", "etc_files", "package_dirs", "python_paths", "system_dirs", "View"]

#: Where bwrap mounts the kit's packages inside the sandbox.
SANDBOX_LIB = "/opt/autograder-lib"
_ETC = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/alternatives")


def dedupe_nested(paths) -> list[str]:
    """Real, existing paths without the ones inside another (``/`` is refused)."""
    ps = sorted({os.path.realpath(p) for p in paths if p and os.path.exists(p)})
    out: list[str] = []
    for p in ps:
        if p == "/":
            raise ValueError("refusing to expose '/' to a sandbox")
        if not any(p == q or p.startswith(q + "/") for q in out):
            out.append(p)
    return out


@functools.lru_cache(maxsize=None)
def python_paths() -> tuple[str, ...]:
    """The interpreter's installation and the environment (venv) it runs in."""
    exe = os.path.realpath(sys.executable)
    return tuple(dedupe_nested([sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix,
                                os.path.dirname(os.path.dirname(exe))]))


@functools.lru_cache(maxsize=None)
def system_dirs() -> tuple[tuple[str, str], ...]:
    """``(kind, path)`` for ``/usr``, ``/bin``, ``/sbin``, ``/lib*``: ``"dir"``, or ``"symlink"`` (merged /usr)."""
    out = []
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            out.append(("symlink", top))
        elif os.path.isdir(top):
            out.append(("dir", top))
    return tuple(out)


def etc_files() -> tuple[str, ...]:
    """The few files of ``/etc`` the dynamic loader and the C library read."""
    return tuple(f for f in _ETC if os.path.exists(f))


@functools.lru_cache(maxsize=None)
def package_dirs() -> tuple[tuple[str, str], ...]:
    """``(name, real directory)`` of the packages the harness and student code import: autograder, nnkit."""
    import autograder
    import nnkit

    return tuple((mod.__name__, os.path.dirname(os.path.realpath(mod.__file__))) for mod in (autograder, nnkit))


@functools.lru_cache(maxsize=None)
def compile_packages() -> bool:
    """Write the bytecode of the kit's packages (``__pycache__`` beside their sources) where it is missing
    or stale, once per process. A sandbox reads it but never writes it (``python -B`` on a read-only
    view), so without it every sandbox compiles the kit again as it boots, and so does every process
    when ``PYTHONDONTWRITEBYTECODE`` is set (0.1-0.3 s per ``autograder check``). Up to date, this
    costs a stat and a 16-byte read per module (~3 ms for ~130 modules; ``compileall`` took ~25 ms,
    on the path of every ``autograder check`` before its sandbox starts). The bytecode is the one a
    sandbox loads (no ``-O``, whatever this process runs with). False when some of it could not be
    written (a read-only install: it has its bytecode from pip) or does not compile."""
    ok = True
    for _, folder in package_dirs():
        for top, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in files:
                if name.endswith(".py") and not _bytecode_current(os.path.join(top, name)):
                    ok = _compile(os.path.join(top, name)) and ok
    return ok


def _bytecode_current(source: str) -> bool:
    """Whether the cached bytecode of ``source`` is what the import system would accept unchanged: this
    interpreter's magic number and, for timestamp-based bytecode, the source's mtime and size (see PEP 552)."""
    import importlib.util

    try:
        st = os.stat(source)
        with open(importlib.util.cache_from_source(source, optimization=""), "rb") as f:
            header = f.read(16)
    except OSError:
        return False
    if len(header) < 16 or header[:4] != importlib.util.MAGIC_NUMBER:
        return False
    if int.from_bytes(header[4:8], "little") != 0:  # hash-based bytecode: the import system checks it itself
        return True
    return (int.from_bytes(header[8:12], "little") == int(st.st_mtime) & 0xFFFFFFFF
            and int.from_bytes(header[12:16], "little") == st.st_size & 0xFFFFFFFF)


def _compile(source: str) -> bool:
    import importlib.util
    import py_compile

    try:
        py_compile.compile(source, importlib.util.cache_from_source(source, optimization=""), doraise=True,
                           optimize=0)
    except (OSError, py_compile.PyCompileError):
        return False
    return True


def _under(path: str, top: str) -> bool:
    return path == top or path.startswith(top.rstrip("/") + "/")


def carve(allowed, denied) -> tuple[list[str], list[str]]:
    """Split readable paths so that nothing beneath ``denied`` stays readable.

    Returns ``(read, list_only)``: paths readable beneath, and directories that may only be listed
    (an allowed directory holding a denied one is replaced by its other entries, recursively,
    plus the right to list it, so imports from it keep working).
    """
    denied = [os.path.realpath(d) for d in denied]
    read, list_only = [], []
    todo = [os.path.realpath(a) for a in allowed]
    while todo:
        a = todo.pop()
        if any(_under(a, d) for d in denied):
            continue
        inner = [d for d in denied if _under(d, a)]
        if not inner:
            read.append(a)
            continue
        list_only.append(a)
        try:
            names = os.listdir(a)
        except OSError:
            continue
        todo.extend(os.path.join(a, n) for n in names)
    return read, list_only


class View:
    """The paths of one sandbox, as seen from inside it (they differ between the backends).

    ``read``: readable (and executable) trees; ``packages``: the kit's package directories (read
    by the harness, never by student code); ``lib``: the directory put first on ``sys.path``;
    ``area``: the folder holding this sandbox's jobs (read-write).
    """

    def __init__(self, read: list[str], packages: list[str], lib: str, area: str):
        self.read, self.packages, self.lib, self.area = list(read), list(packages), lib, area

    def to_dict(self) -> dict:
        return {"read": self.read, "packages": self.packages, "lib": self.lib, "area": self.area}

    @classmethod
    def from_dict(cls, d: dict) -> "View":
        return cls(d["read"], d["packages"], d["lib"], d["area"])


def host_read_paths() -> list[str]:
    """Readable trees on the host for the Landlock backend: system, /etc files, the Python installation."""
    return [p for _, p in system_dirs()] + list(etc_files()) + list(python_paths())
