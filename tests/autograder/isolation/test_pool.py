"""The warm pool: a job stopped at its wall time costs that job only, and the next job runs in a clean
sandbox; several threads share a pool; a closed pool refuses work."""
from __future__ import annotations

import threading
import textwrap

import pytest
from sandbox_helpers import BACKENDS, STUBS, USABLE, Call

from autograder.isolation import Job, Limits, Pool
from autograder.isolation.pool import PoolClosed

SLOW = textwrap.dedent("""\
    import time

    def stuck():
        time.sleep(60)       # its own limit (30 s) is far: the job's wall time stops it

    def later():
        return "never started"

    def quick(x):
        return x * 2
""")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_job_stopped_at_its_wall_time_costs_that_job_only(backend):
    with Pool(1, backend=backend, stub_modules=STUBS) as pool:
        res = pool.run(Job(SLOW, (Call("s", "stuck", timeout_s=30), Call("l", "later"))), Limits(wall_s=2))
        assert res.timed_out and "wall-time limit of 2 s" in res.killed_reason
        (stuck,) = [e for e in res.results if e["id"] == "s"]
        assert stuck["status"] == "crashed" and "wall-time" in stuck["error_message"]
        assert res.unreported == ("l",)  # never started: for the caller to run again
        again = pool.run(Job(SLOW, (Call("q", "quick", (21,)),)))
        assert again.results[0]["value"] == 42


@pytest.mark.parametrize("backend", BACKENDS)
def test_threads_share_a_pool_and_a_closed_pool_refuses_work(backend):
    pool = Pool(2, backend=backend, stub_modules=STUBS)
    out: dict = {}

    def one(i):
        out[i] = pool.run(Job(SLOW, (Call("q", "quick", (i,)),))).results[0]["value"]

    threads = [threading.Thread(target=one, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == {i: 2 * i for i in range(6)}
    assert len(pool._all) <= 2
    pool.close()
    with pytest.raises(PoolClosed):
        pool.run(Job(SLOW, (Call("q", "quick", (1,)),)))


MARKS = textwrap.dedent("""\
    import os, time

    def mark():
        open("running", "w").close()   # in this function's folder of the job
        time.sleep(0.5)
        return "done"
""")


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_callers_own_work_runs_while_the_sandbox_boots_or_runs_the_job(backend):
    """``run(job, meanwhile=f)`` calls ``f`` once: while no worker is ready (one boots), before the job; else
    while the job runs, once it is sent (the job's process has started when ``f`` looks for its mark)."""
    import glob
    import os
    import time

    with Pool(1, backend=backend, stub_modules=STUBS) as pool:
        seen = []
        res = pool.run(Job(MARKS, (Call("m", "mark"),)), meanwhile=lambda: seen.append([w.ready for w in pool._all]))
        assert seen == [[None]] or seen == [[]]  # no worker was ready yet when it ran
        assert res.results[0]["value"] == "done"

        def wait_for_mark():
            deadline = time.monotonic() + 20
            while not glob.glob(os.path.join(pool._all[0].area, "j*", "f_mark", "running")):
                assert time.monotonic() < deadline, "the job did not run while the caller worked"
                time.sleep(0.01)
            seen.append("mark seen")

        res = pool.run(Job(MARKS, (Call("m", "mark"),)), meanwhile=wait_for_mark)
        assert seen[-1] == "mark seen" and res.results[0]["value"] == "done"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_worker_lost_while_another_caller_waits_is_replaced(backend, monkeypatch):
    """A worker that ends with its job (killed, or its harness failed) is replaced at once: a caller already
    waiting for an idle worker gets the new one instead of waiting forever."""
    import time

    from autograder.isolation.supervisor import Worker

    real, entered, failed = Worker.run, threading.Event(), []

    def flaky(self, job, limits, meanwhile=None):
        if not failed:
            failed.append(self)
            entered.set()
            time.sleep(0.5)  # the other caller is waiting for this worker meanwhile
            raise RuntimeError("the worker was lost")
        return real(self, job, limits, meanwhile)

    monkeypatch.setattr(Worker, "run", flaky)
    with Pool(1, backend=backend, stub_modules=STUBS) as pool:
        pool.check()
        out = {}

        def first():
            with pytest.raises(RuntimeError):
                pool.run(Job(SLOW, (Call("q", "quick", (1,)),)))

        def second():
            out["value"] = pool.run(Job(SLOW, (Call("q", "quick", (2,)),))).results[0]["value"]

        a = threading.Thread(target=first)
        a.start()
        assert entered.wait(30)
        b = threading.Thread(target=second, daemon=True)
        b.start()
        a.join(30)
        b.join(60)
        assert not b.is_alive() and out == {"value": 4}
        assert pool._all and failed[0] not in pool._all


LEAVE = textwrap.dedent("""\
    import os

    def leave(name):
        for d in ("/tmp", "/dev/shm"):
            with open(os.path.join(d, name), "w") as f:
                f.write("left by the previous student")
        return sorted(os.listdir("/tmp"))

    def look(name):
        return [d for d in ("/tmp", "/dev/shm") if os.path.exists(os.path.join(d, name))]
""")


@pytest.mark.skipif(not USABLE["bwrap"], reason="bwrap does not start here")
def test_without_landlock_the_private_tmp_is_emptied_between_jobs(monkeypatch):
    """Where Landlock is missing, student code can write bwrap's private /tmp and /dev/shm: the worker
    empties them after each job, so the next student finds nothing."""
    from dataclasses import replace

    from autograder.isolation import probe

    real = probe.facts()
    monkeypatch.setattr(probe, "facts", lambda: replace(real, landlock_abi=0))
    with Pool(1, backend="bwrap", stub_modules=STUBS) as pool:
        first = pool.run(Job(LEAVE, (Call("l", "leave", ("mark",)),)))
        assert first.protections.landlock_abi == 0 and "mark" in first.results[0]["value"]
        second = pool.run(Job(LEAVE, (Call("k", "look", ("mark",)),)))
        assert second.results[0]["value"] == []


def test_the_kit_is_compiled_for_the_sandboxes_that_cannot_write_its_bytecode():
    """A sandbox reads the kit's bytecode but never writes it (python -B, a read-only view): the grader
    writes what is missing or stale, once per process, before the first sandbox starts."""
    import importlib.util
    import os

    from autograder.isolation import layout

    source = os.path.join(dict(layout.package_dirs())["nnkit"], "schedules.py")
    cached = importlib.util.cache_from_source(source)
    if not os.access(os.path.dirname(source), os.W_OK):
        pytest.skip("the kit's folders are read-only here (an installed kit has its bytecode from pip)")
    if os.path.exists(cached):
        os.unlink(cached)
    layout.compile_packages.cache_clear()
    assert layout.compile_packages()
    with open(cached, "rb") as f:
        header = f.read(16)
    st = os.stat(source)
    assert int.from_bytes(header[8:12], "little") == int(st.st_mtime) & 0xFFFFFFFF  # the source it was made from
    assert int.from_bytes(header[12:16], "little") == st.st_size & 0xFFFFFFFF
    # stale: bytecode of another version of the source (its recorded mtime differs) is written again
    with open(cached, "r+b") as f:
        f.seek(8)
        f.write((int(st.st_mtime) - 7 & 0xFFFFFFFF).to_bytes(4, "little"))
    layout.compile_packages.cache_clear()
    assert layout.compile_packages()
    with open(cached, "rb") as f:
        assert f.read(16) == header
