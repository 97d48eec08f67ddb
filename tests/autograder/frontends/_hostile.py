"""Hostile submissions for the attack tests of the front ends (links, sparse files, pipes, crafted
notebooks, lookup tables), and the probes that watch the grader while it runs (its peak memory,
the command lines and environments of every process it starts)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

from autograder.assignments import get_assignment
from autograder.frontends.samples import build_submission, load_notebooks
from autograder.grading.engine import case_calls
from autograder.grading.spec import Scenario

REPO = Path(__file__).resolve().parents[3]
A1 = get_assignment("01_logistic_regression")
NOTEBOOK = "logistic_regression.ipynb"
SPARSE_BYTES = 3 << 29  # 1.5 GiB of holes: a grader that reads it allocates that much
#: a student id that retitles and clears the terminal it is printed to
CONTROL_ID = "ctl\x1b]0;pwned\x07\x1b[2J"
LITERAL_VALUES = 1_700_000  # a 3.2 MiB cell `x = [0, 0, ...]`: 1.6 GiB and 23 s in the grader, unbounded

#: Runs ``python -m MODULE ARGS`` and writes its peak memory at exit: VmHWM, the high-water mark of
#: this process's own memory (ru_maxrss would also count what the process that started it had used
#: before the exec), and the largest peak of its children (forked readers and sandboxes).
RUSAGE_WRAPPER = """
import atexit, json, resource, runpy, sys
out = sys.argv[1]
def dump():
    with open("/proc/self/status") as fh:
        hwm = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    with open(out, "w") as fh:
        json.dump({"self_kib": hwm, "children_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}, fh)
atexit.register(dump)
sys.argv = sys.argv[2:]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


# ----------------------------------------------------------------------------- notebooks
def releases_and_answers(root: Path = REPO):
    return load_notebooks(A1, root)


def notebook_bytes(answers: dict[str, str] | None = None, root: Path = REPO, extra_cells: list[dict] = ()) -> bytes:
    """Assignment 1's release filled with the solution, some answers replaced, cells appended."""
    releases, solution = releases_and_answers(root)
    data = build_submission(A1, Scenario("custom", "", dict(answers or {})), releases, solution)[NOTEBOOK]
    if not extra_cells:
        return data
    nb = json.loads(data)
    nb["cells"].extend(extra_cells)
    return (json.dumps(nb, indent=1) + "\n").encode()


def code_cell(source: str) -> dict:
    return {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None}


def literal_cell() -> dict:
    return code_cell("x = [" + "0," * LITERAL_VALUES + "]\n")


def magics_cell(lines: int = 480) -> dict:
    """Hundreds of magics whose results are assigned: IPython's translator (which they need, unlike a
    whole-line magic, which reads as a blank line) re-tokenizes the cell after each one (8 s here)."""
    return code_cell("".join(f"x{i} = %time {i}\n" for i in range(lines)))


def sparse_file(path: Path, size: int = SPARSE_BYTES) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.truncate(size)
    return path


# ----------------------------------------------------------------------------- the lookup-table attack
def _encode(v):
    if isinstance(v, np.ndarray):
        return ["nd", v.tolist(), str(v.dtype)]
    if isinstance(v, np.floating):
        return ["f64", float(v)]
    if isinstance(v, (bool, np.bool_)):
        return ["b", bool(v)]
    if isinstance(v, float):
        return ["f", v]
    if isinstance(v, (int, np.integer)):
        return ["i", int(v)]
    if isinstance(v, dict):
        return ["d", {k: _encode(x) for k, x in v.items()}]
    if isinstance(v, (tuple, list)):
        return ["t" if isinstance(v, tuple) else "l", [_encode(x) for x in v]]
    raise TypeError(f"cannot encode {type(v).__name__}")


def fingerprint(args) -> str:
    h = hashlib.sha256()
    for a in args:
        h.update(np.ascontiguousarray(a, dtype=float).tobytes())
    return h.hexdigest()


def lookup_table_answer(name: str, key: str) -> str:
    """The answer cell of a function that is only a table of the answers precomputed for the hidden
    cases drawn with ``key`` (``"<secret>/<student>"``): right on those inputs, wrong on any other."""
    table = {fingerprint(c.case.args): _encode(c.expected) for c in case_calls(A1, A1.exercise(name), "hidden", key)}
    return f'''import hashlib
import numpy as np

ANSWERS = {table!r}


def _fingerprint(args):
    h = hashlib.sha256()
    for a in args:
        h.update(np.ascontiguousarray(a, dtype=float).tobytes())
    return h.hexdigest()


def _decode(v):
    tag, x = v[0], v[1]
    if tag == "nd":
        return np.array(x, dtype=v[2])
    if tag == "f64":
        return np.float64(x)
    if tag in ("f", "i", "b"):
        return {{"f": float, "i": int, "b": bool}}[tag](x)
    if tag == "d":
        return {{k: _decode(y) for k, y in x.items()}}
    return (tuple if tag == "t" else list)(_decode(y) for y in x)


def {name}(*args):
    found = ANSWERS.get(_fingerprint(args))
    return None if found is None else _decode(found)
'''


# ----------------------------------------------------------------------------- watching the grader
class ProcessWatch:
    """Records the command line and environment of every descendant of ``pid`` while it runs."""

    def __init__(self, pid: int):
        self.pid, self.seen, self._stop = pid, {}, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _children(self) -> set[int]:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", "rb") as fh:
                        parents[int(entry)] = int(fh.read().rsplit(b")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    pass
        found, frontier = set(), {self.pid}
        while frontier:
            frontier = {p for p, pp in parents.items() if pp in frontier} - found
            found |= frontier
        return found

    def _run(self):
        while not self._stop.is_set():
            for pid in self._children():
                if pid in self.seen:
                    continue
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as fh:
                        cmdline = fh.read()
                    with open(f"/proc/{pid}/environ", "rb") as fh:
                        environ = fh.read()
                except OSError:
                    continue
                self.seen[pid] = (cmdline, environ)
            time.sleep(0.005)

    def stop(self) -> dict[int, tuple[bytes, bytes]]:
        self._stop.set()
        self._thread.join(5)
        return self.seen


def run_watched(cmd: list[str], *, cwd: Path, env: dict, timeout: float, rusage: Path | None = None):
    """Run ``cmd`` (``[python, -m, module, ...]`` when ``rusage`` is given: its peak memory is written
    there) and watch its descendants; returns (CompletedProcess, {pid: (cmdline, environ)})."""
    if rusage is not None:
        assert cmd[1] == "-m", cmd
        cmd = [cmd[0], "-c", RUSAGE_WRAPPER, str(rusage), cmd[2], *cmd[3:]]
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watch = ProcessWatch(proc.pid)
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        seen = watch.stop()
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err), seen


def python() -> str:
    return sys.executable
