"""What student code was seen trying, for the instructor (integrity flags; never a grade).

Inside a graded function's process, after the sandbox is in force and before student.py runs,
:func:`start` installs a Python audit hook (it cannot be removed from Python) and notes the
comparison functions of numpy. What the hook sees is noted in a few words: opening a file outside
the function's folder and the Python installation (the gradebook, the solutions, another student),
listing a folder there, writing outside its folder, opening a socket, starting a process, loading a C library with ctypes,
importing ``sqlite3``; :func:`report` adds the numpy comparisons that student code replaced
(``np.allclose = lambda *a: True``). The sandbox denies all of it anyway; these notes only tell the
instructor who tried. They cross back as plain data, and are claims like everything written inside
the sandbox: a student can hide their own attempts, never create someone else's.
"""
from __future__ import annotations

import os
import sys

__all__ = ["start", "report", "MAX_NOTES"]

#: notes kept per process (and characters per note)
MAX_NOTES, _NOTE_CHARS = 20, 160

_WATCHED = (("numpy", "allclose"), ("numpy", "isclose"), ("numpy", "array_equal"), ("numpy", "array_equiv"),
            ("numpy.testing", "assert_allclose"), ("numpy.testing", "assert_array_equal"),
            ("numpy.testing", "assert_array_almost_equal"), ("builtins", "isinstance"), ("builtins", "abs"))
_PROCESS_EVENTS = {"subprocess.Popen": "started a process", "os.system": "ran a shell command",
                   "os.exec": "replaced its process (os.exec)", "os.posix_spawn": "started a process",
                   "os.spawn": "started a process", "pty.spawn": "started a process"}


class _State:
    notes: list[str] = []
    allowed: tuple[str, ...] = ()
    folder = ""
    originals: dict = {}


def _note(text: str) -> None:
    text = text[:_NOTE_CHARS]
    if text not in _State.notes and len(_State.notes) < MAX_NOTES:
        _State.notes.append(text)


def _outside(path) -> str | None:
    """The path if it is outside what student code may touch, else None."""
    try:
        p = os.path.abspath(os.fsdecode(path))
    except Exception:
        return None
    if p == "/dev/null" or any(p == a or p.startswith(a.rstrip("/") + "/") for a in _State.allowed):
        return None
    return p


def _hook(event: str, args: tuple) -> None:
    try:
        if event == "open" and args and isinstance(args[0], (str, bytes)):
            mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
            path = os.path.abspath(os.fsdecode(args[0]))
            if any(c in mode for c in "wax+"):
                if path != "/dev/null" and not (path == _State.folder or path.startswith(_State.folder + "/")):
                    _note(f"tried to write {path}")
            elif _outside(path) is not None:
                _note(f"tried to open {path}")
        elif event in ("os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes)):
            path = os.path.abspath(os.fsdecode(args[0]))
            if _outside(path) is not None:
                _note(f"tried to list {path}")
        elif event == "socket.__new__":
            _note("tried to open a network socket")
        elif event in _PROCESS_EVENTS:
            _note(_PROCESS_EVENTS[event])
        elif event == "ctypes.dlopen":
            _note("loaded a C library with ctypes")
        elif event == "import" and args and args[0] in ("sqlite3", "_sqlite3"):
            _note("imported sqlite3 (a gradebook is an SQLite file)")
    except Exception:  # a hook must never change what the student's code does
        pass


def start(folder: str, allowed: tuple[str, ...]) -> None:
    """Begin watching (once, in the process that will run student code)."""
    _State.folder = os.path.abspath(folder)
    _State.allowed = tuple(os.path.abspath(a) for a in allowed) + (_State.folder,)
    for module, name in _WATCHED:
        mod = sys.modules.get(module)
        if mod is not None and hasattr(mod, name):
            _State.originals[(module, name)] = getattr(mod, name)
    sys.addaudithook(_hook)


def report() -> list[str]:
    """The notes so far, with every watched numpy/builtin function that student code replaced."""
    for (module, name), original in _State.originals.items():
        mod = sys.modules.get(module)
        try:
            if mod is not None and getattr(mod, name) is not original:
                _note(f"replaced {module}.{name}")
        except Exception:
            pass
    return list(_State.notes)
