"""Hostile notebook files against the reader: `extract.read_submission` (no link followed below the
submission folder, type and size from the descriptor before a byte is read) and
`bounded` (parsing and extraction in a child with CPU, memory and wall limits).

Each attack asserts its real effect: the error names the problem, nothing is read that should not
be, and the grader's own peak memory stays small (measured in a fresh process)."""

from __future__ import annotations

import json
import os
import resource
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from autograder.grading import bounded
from autograder.grading import extract as extract_module
from autograder.grading.extract import (StudentCode, SubmissionError, check_submission_file, decode_notebook,
                                        extract_code, read_submission)

REPO = Path(__file__).resolve().parents[3]
SOLUTION = REPO / "solutions" / "01_logistic_regression" / "logistic_regression.ipynb"


def notebook(*sources: str) -> bytes:
    cells = [{"cell_type": "code", "metadata": {}, "source": s, "outputs": [], "execution_count": None} for s in sources]
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}).encode()


def refused(fn, *args, **kw) -> str:
    with pytest.raises(SubmissionError) as info:
        fn(*args, **kw)
    return str(info.value)


@pytest.fixture
def submission(tmp_path):
    """``submitted/ann/a1/`` holding a notebook, and the instructor's solution outside it."""
    folder = tmp_path / "submitted" / "ann" / "a1"
    folder.mkdir(parents=True)
    (folder / "nb.ipynb").write_bytes(notebook("def f():\n    return 1\n"))
    secret = tmp_path / "solutions" / "nb.ipynb"
    secret.parent.mkdir()
    secret.write_bytes(notebook("def f():\n    return 'the solution'\n"))
    return {"root": tmp_path / "submitted", "folder": folder, "solution": secret}


# ----------------------------------------------------------------------------- opening without following links
def test_a_regular_notebook_inside_the_folder_is_read(submission):
    raw = read_submission(submission["folder"] / "nb.ipynb", within=submission["root"])
    assert b"return 1" in raw
    assert check_submission_file(submission["folder"] / "nb.ipynb", within=submission["root"]) == len(raw)


def test_link_to_a_file_outside_is_refused(submission):
    link = submission["folder"] / "linked.ipynb"
    link.symlink_to(submission["solution"])
    msg = refused(read_submission, link, within=submission["root"])
    assert "ann/a1/linked.ipynb is a symbolic link" in msg and "Submit a copy of the notebook" in msg
    assert refused(read_submission, link) == msg.replace("ann/a1/", "")  # without a folder: the file itself


def test_link_to_a_file_inside_the_same_folder_is_refused_too(submission):
    (submission["folder"] / "inside.ipynb").symlink_to("nb.ipynb")
    assert "is a symbolic link" in refused(read_submission, submission["folder"] / "inside.ipynb",
                                           within=submission["root"])


def test_a_linked_folder_on_the_way_is_refused(submission, tmp_path):
    elsewhere = tmp_path / "elsewhere" / "a1"
    elsewhere.mkdir(parents=True)
    (elsewhere / "nb.ipynb").write_bytes(notebook("def f():\n    return 2\n"))
    (submission["root"] / "bob").symlink_to(tmp_path / "elsewhere")
    msg = refused(read_submission, submission["root"] / "bob" / "a1" / "nb.ipynb", within=submission["root"])
    assert "bob/a1/nb.ipynb is a symbolic link (its folder bob/ is)" in msg


def test_a_path_outside_the_submission_folder_is_refused(submission):
    msg = refused(read_submission, submission["solution"], within=submission["root"])
    assert "outside the submission folder" in msg


@pytest.mark.parametrize("make, kind", [
    (lambda p: p.mkdir(), "a folder"),
    (lambda p: os.mkfifo(p), "a named pipe"),
    (lambda p: os.mknod(p, stat.S_IFCHR | 0o600, os.makedev(1, 3)), "a device"),
])
def test_what_is_not_a_regular_file_is_refused_before_opening(submission, make, kind):
    path = submission["folder"] / "odd.ipynb"
    try:
        make(path)
    except PermissionError:
        pytest.skip("creating a device needs privileges")
    opened = []
    real = os.open

    def spy(name, *args, **kw):
        opened.append(name)
        return real(name, *args, **kw)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(extract_module.os, "open", spy)
        done = {}
        t = threading.Thread(target=lambda: done.setdefault("msg", refused(read_submission, path,
                                                                            within=submission["root"])), daemon=True)
        t.start()
        t.join(10)
    assert not t.is_alive(), "reading a special file blocked"
    assert f"it is not a regular file ({kind})" in done["msg"]
    assert "odd.ipynb" not in opened  # refused from lstat: a device or pipe is never even opened


def test_sparse_file_is_refused_by_size_before_a_byte_is_read(submission, monkeypatch):
    path = submission["folder"] / "big.ipynb"
    with open(path, "wb") as fh:
        fh.truncate(3 << 29)  # 1.5 GiB, all holes
    reads = []
    monkeypatch.setattr(extract_module.os, "read", lambda *a: reads.append(a) or b"")
    msg = refused(read_submission, path, within=submission["root"])
    assert "big.ipynb is 1536 MiB, above the 64 MiB limit" in msg and "Clear Outputs" in msg
    assert reads == []


def test_a_file_that_grows_while_read_stops_at_the_limit(submission, monkeypatch):
    path = submission["folder"] / "nb.ipynb"
    chunks = iter([b"x" * 600, b"y" * 600, b"z" * 600])  # fstat said 300 bytes; the reads say more
    monkeypatch.setattr(extract_module.os, "read", lambda fd, n: next(chunks, b"")[:n])
    assert "nb.ipynb grew above the" in refused(read_submission, path, within=submission["root"], max_bytes=1000)


def test_the_reader_leaves_no_descriptor_open(submission):
    link = submission["folder"] / "linked.ipynb"
    link.symlink_to(submission["solution"])
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(50):
        read_submission(submission["folder"] / "nb.ipynb", within=submission["root"])
        refused(read_submission, link, within=submission["root"])
        bounded.extract_bytes(notebook("def g():\n    return 2\n"), "nb.ipynb")
    assert len(os.listdir("/proc/self/fd")) == before


# ----------------------------------------------------------------------------- bounded extraction
def test_bounded_extraction_equals_extraction_in_the_grader():
    raw = SOLUTION.read_bytes()
    assert bounded.extract_bytes(raw, SOLUTION.name) == extract_code(decode_notebook(raw, SOLUTION.name))
    nb = json.loads(raw)
    snapshot = json.dumps(nb)
    assert bounded.extract_parsed(nb, SOLUTION.name) == extract_code(decode_notebook(raw))
    assert json.dumps(nb) == snapshot  # the caller's dict (nbgrader's) is left as it was


def test_errors_of_the_file_come_back_as_submission_errors():
    assert "is not valid notebook JSON" in refused(bounded.extract_bytes, b"{ not json", "nb.ipynb")
    assert "nesting too deep" in refused(bounded.extract_bytes, b"[" * 200_000 + b"]" * 200_000, "nb.ipynb")
    assert "not valid UTF-8" in refused(bounded.extract_bytes, b'{"a": "\xff"}', "nb.ipynb")


def test_a_huge_literal_cell_exceeds_the_memory_limit_and_names_the_cell():
    raw = notebook("def f():\n    return 1\n", "x = [" + "0," * 1_700_000 + "]\n")
    msg = refused(bounded.extract_bytes, raw, "nb.ipynb", bounded.ExtractionLimits(memory_mib=256))
    assert msg.startswith("Cell 2 is too large or too complex to read (")
    assert "memory" in msg and "Split it into smaller cells" in msg


def test_a_cell_of_magics_exceeds_the_cpu_limit_and_names_the_cell():
    # magics inside expressions go through IPython's own translation, which is slow on thousands of lines
    raw = notebook("def f():\n    return 1\n", "".join(f"x = %time {i}\n" for i in range(480)))
    msg = refused(bounded.extract_bytes, raw, "nb.ipynb", bounded.ExtractionLimits(cpu_s=1))
    assert msg.startswith("Cell 2 is too large or too complex to read (reading it needs more than 1 s of CPU time)")


def test_whole_line_magics_are_dropped_without_ipython():
    """%matplotlib inline and friends define nothing: they become blank lines, at no cost, however many."""
    raw = notebook("%matplotlib inline\n!pip list\ndef f():\n    return 1\n",
                   "".join(f"%time x = {i}\n" for i in range(5000)))
    code = bounded.extract_bytes(raw, "nb.ipynb", bounded.ExtractionLimits(cpu_s=1))
    assert "f" in code.defined and "def f():" in code.source


def test_a_child_that_never_answers_is_killed_at_the_wall_deadline():
    def sleeper(progress):
        progress("cell 4")
        time.sleep(60)  # asleep: no CPU limit would ever stop it

    msg = refused(bounded.run_bounded, sleeper, bounded.ExtractionLimits(wall_s=1.0))
    assert msg.startswith("Cell 4 is too large or too complex to read (reading it did not finish within 1 s)")


def test_a_reading_started_early_gives_what_extract_file_gives_and_keeps_its_deadline(submission):
    """``start_file`` (``autograder check`` reads the notebook while it imports numpy): the same code, the
    same errors, raised by ``result()``; the wall deadline counts from the start, not from ``result()``."""
    good = submission["folder"] / "nb.ipynb"
    reading = bounded.start_file(good, within=submission["root"])
    assert reading.name == "nb.ipynb"
    assert reading.result() == bounded.extract_file(good, within=submission["root"])
    assert reading.result() == bounded.extract_file(good, within=submission["root"])  # (asked twice: the same)
    link = submission["folder"] / "link.ipynb"
    link.symlink_to(submission["solution"])
    early = bounded.start_file(link, within=submission["root"])  # refused before any child starts
    assert refused(early.result) == refused(bounded.extract_file, link, within=submission["root"])
    bad = submission["folder"] / "bad.ipynb"
    bad.write_bytes(b"{ not json")
    assert "is not valid notebook JSON" in refused(bounded.start_file(bad).result)

    def sleeper(progress):
        progress("cell 2")
        time.sleep(60)

    done_in_time = bounded.start_file(good, within=submission["root"], limits=bounded.ExtractionLimits(wall_s=1.0))
    reading = bounded.Reading("nb.ipynb", sleeper, bounded.ExtractionLimits(wall_s=1.0))
    time.sleep(1.5)  # the caller's own work, past the readers' deadline
    assert done_in_time.result() == bounded.extract_file(good, within=submission["root"])  # answered in time
    asked = time.monotonic()
    msg = refused(reading.result)
    assert msg.startswith("Cell 2 is too large or too complex to read (reading it did not finish within 1 s)")
    assert time.monotonic() - asked < 0.9  # the deadline had passed: no second deadline of 1 s from result()


def test_definitions_above_the_code_limit_are_refused():
    raw = notebook("DATA = '" + "a" * 5000 + "'\n")
    msg = refused(bounded.extract_bytes, raw, "nb.ipynb", bounded.ExtractionLimits(max_code_bytes=2048))
    assert "The definitions in your notebook are 5 KiB of code, above the 2 KiB limit" in msg


def test_a_bug_in_the_reader_is_not_blamed_on_the_student():
    def broken(progress):
        raise KeyError("a bug")

    with pytest.raises(RuntimeError, match="stopped at file without an answer"):
        bounded.run_bounded(broken)


def test_limits_are_checked():
    with pytest.raises(ValueError, match="cpu_s >= 1"):
        bounded.ExtractionLimits(cpu_s=0)


# ----------------------------------------------------------------------------- the grader's own memory
PEAK = textwrap.dedent("""
    import json, resource, sys
    from autograder.grading import bounded
    from autograder.grading.extract import SubmissionError
    raw = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": "x = [" + "0," * 1_700_000 + "]\\n"}]}).encode()
    with open("/proc/self/status") as fh:
        vm = next(int(line.split()[1]) for line in fh if line.startswith("VmSize:"))
    try:
        bounded.extract_bytes(raw, "nb.ipynb")
        outcome = "extracted"
    except SubmissionError as exc:
        outcome = str(exc)
    with open("/proc/self/status") as fh:  # VmHWM: this process's own peak (ru_maxrss would include its parent's)
        hwm = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    print(json.dumps({"outcome": outcome, "self_kib": hwm,
                      "child_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "vm_kib": vm}))
""")


def test_the_graders_peak_memory_stays_small_on_a_notebook_that_took_1_6_gib():
    """Extracting this 3.2 MiB notebook in the grader itself peaked at 1.6 GiB (measured before the
    bounded reader); now the grader stays near its own size and the child within its budget."""
    proc = subprocess.run([sys.executable, "-c", PEAK], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert "Cell 1 is too large or too complex to read" in got["outcome"]
    assert got["self_kib"] < 300 << 10  # the grader: its own size plus the notebook's bytes
    budget = got["vm_kib"] + (bounded.LIMITS.memory_mib << 10)
    assert got["child_kib"] <= budget < 1200 << 10  # the child cannot exceed its address-space budget
