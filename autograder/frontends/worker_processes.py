"""Class grading in worker processes: what ``autograder grade --jobs N`` (N > 1) runs on this machine.

Each of the N worker processes holds one warm sandbox and grades one submission at a time, trusted
work included (the notebook read in a bounded child, the hidden inputs and the references, the
verdicts). In one process, the trusted work of every submission in flight would share one
interpreter lock, and a core would sit idle whenever two of them wanted it at once; in N processes
it runs on N cores. The grading process keeps everything else, exactly as with one job: it reads
and hashes the notebooks, reuses unchanged results, writes every result file and report
(:func:`autograder.frontends.batch.grade_class`, to which :class:`WorkerProcesses` is the ``engine``,
as :class:`autograder.frontends.dask_executor.DaskEngine` is for a Dask cluster).

- Workers start when the first submission needs grading (a rerun that reuses every result starts
  none). They are *spawned* (a fresh interpreter, never a fork of a process with threads) from one
  long-lived thread, and die with it (``PR_SET_PDEATHSIG``): a ``kill -9`` of ``autograder grade``
  leaves no worker behind, and each worker's sandbox dies with its worker.
- Ctrl-C is the grading process's to handle (workers ignore SIGINT). :meth:`WorkerProcesses.close`
  lets each worker finish its submission, or, for an interrupted run, stops them at once (SIGTERM:
  a worker ends its sandbox, removes its folder and exits; SIGKILL after a grace period).
- A worker that dies (the OOM killer, say) costs nothing graded: new workers grade its submission
  again, once; if that fails too, it is this submission's internal error, and the run goes on.
- A sandbox that cannot start (isolation refused) raises :class:`SandboxUnavailable` with the
  reason, as the in-process pool does.

A worker's sandbox lives in :data:`_WORKER`, the one piece of state of a worker process (set by its
initializer; the grading process never touches it).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from autograder.frontends.discovery import Submission

__all__ = ["WorkerProcesses"]

#: In a worker process only: ``{"pool": its warm sandbox pool}`` (see the module docstring).
_WORKER: dict = {}
#: Seconds a stopped worker has to end its sandbox before it is killed.
_GRACE_S = 5.0


def _start_worker(parent: int, assignments: tuple[str, ...], backend: str | None) -> None:
    """Initializer of a worker process: die with the grading process, leave Ctrl-C to it, hold a sandbox."""
    from multiprocessing import util

    from autograder.grading.sandboxes import sandbox_pool
    from autograder.isolation import procs

    procs.die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    pool = _WORKER["pool"] = sandbox_pool(assignments, 1, backend)
    util.Finalize(pool, pool.close, exitpriority=10)  # a worker told to end (no atexit in these processes)
    signal.signal(signal.SIGTERM, _on_term)
    pool.prestart()  # it boots while the other workers start


def _on_term(signum, frame) -> None:
    """Stopped mid-submission: end the sandbox (its folder goes with it) and leave at once."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once (the executor terminates a broken pool's workers again)
    try:
        _WORKER["pool"].close(now=True)
    finally:
        os._exit(0)


def _ready() -> None:
    """A worker's first task: its sandbox has started (or this raises why not)."""
    _WORKER["pool"].check()


def _grade(sub: Submission, key: str) -> dict:
    from autograder.frontends.batch import grade_submission

    return grade_submission(sub, key, _WORKER["pool"])


class WorkerProcesses:
    """``jobs`` worker processes, each with a warm sandbox for ``assignments``; call it as the
    ``engine`` of :func:`~autograder.frontends.batch.grade_class` (see the module docstring)."""

    def __init__(self, jobs: int, assignments: tuple[str, ...], backend: str | None):
        self.jobs, self.assignments, self.backend = jobs, tuple(assignments), backend
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._failed: BaseException | None = None
        self._closed = False
        # workers die with the thread that spawned them: one that lives as long as they are needed
        self._launcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="grade-workers")

    def _start(self) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_start_worker,
                                       initargs=(os.getpid(), self.assignments, self.backend))
        try:  # every worker is spawned now, from this thread, and its sandbox started
            for f in [executor.submit(_ready) for _ in range(self.jobs)]:
                f.result()
        except BaseException:
            self._stop(executor, kill=True)
            raise
        return executor

    def _running(self, broken: ProcessPoolExecutor | None = None) -> ProcessPoolExecutor:
        """The workers, started if none run yet (or if ``broken`` is the set that runs)."""
        with self._lock:
            if self._closed:
                raise KeyboardInterrupt  # the run is stopping: start nothing new
            if self._executor is not None and self._executor is broken:
                self._stop(self._executor, kill=True)
                self._executor = None
            if self._executor is None:
                if self._failed is not None:
                    raise self._failed
                try:
                    self._executor = self._launcher.submit(self._start).result()
                except BaseException as exc:
                    self._failed = exc
                    raise
            return self._executor

    def __call__(self, sub: Submission, key: str, backend=None) -> dict:
        executor = self._running()
        try:
            return executor.submit(_grade, sub, key).result()
        except BrokenProcessPool:  # a worker died: new workers grade this submission again, once
            return self._running(broken=executor).submit(_grade, sub, key).result()

    def _stop(self, executor: ProcessPoolExecutor, kill: bool) -> None:
        processes = list(getattr(executor, "_processes", {}).values())
        if kill:
            for p in processes:
                if p.is_alive():
                    p.terminate()  # SIGTERM: the worker ends its sandbox and exits
            deadline = time.monotonic() + _GRACE_S
            for p in processes:
                p.join(max(0.0, deadline - time.monotonic()))
                if p.is_alive():
                    p.kill()
        executor.shutdown(wait=True, cancel_futures=True)

    def close(self, kill: bool = False) -> None:
        """Stop the workers: after their current submission, or at once (``kill``, for an interrupted run)."""
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
        if executor is not None:
            self._stop(executor, kill)
        self._launcher.shutdown(wait=True)
