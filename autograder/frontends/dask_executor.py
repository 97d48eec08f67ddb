"""Class grading on a Dask cluster: ``autograder grade PATH --executor dask [--scheduler ADDRESS]``.

Imported only when ``--executor dask`` is used (it needs the optional extra: ``pip install -e '.[dask]'``).
The client (the ``autograder grade`` process) does everything it does with the local executor,
:func:`autograder.frontends.batch.grade_class`: it finds and reads the submissions, reuses the
cached results, and writes every result file and report. Only the grading itself moves: each
submission becomes one Dask task (:func:`grade_task`) that grades it on a worker with the kit's
engine, exactly as the local executor does (:func:`autograder.frontends.batch.grade_submission`,
in warm sandboxes held by the worker, :class:`SandboxPlugin`), and returns plain data.

- **A worker that dies mid-task costs nothing**: Dask runs the task again on another worker.
- **A submission that kills its worker** every time is stopped by Dask after a bounded number of
  tries (the scheduler's ``distributed.scheduler.allowed-failures``: :data:`LOCAL_ALLOWED_FAILURES`
  on the local cluster, so 3 tries; 3, so 4 tries, by default on an existing cluster) with
  ``KilledWorker``; that submission is recorded as an error (kept, like a damaged notebook:
  ``--force`` tries it again), and the run goes on.
- **The hidden-input key** of a student (``<course secret>/<student>``, as for the local executor
  and ``nbgrader autograde``) is computed on the client from the course secret, which stays there,
  and travels inside the task's arguments only: never in a task's name, a command line, an
  environment variable or a log. Workers use it on the trusted side (to draw the inputs and the
  expected results); it never enters a sandbox. Anyone who can submit tasks to the scheduler can
  run code on the workers anyway: keep the cluster private to the graders, with TLS on a network.
- **A worker running another grader version** (another kit, nnkit or assignment content) would
  cache wrong results: each task returns its worker's :func:`~autograder.frontends.batch.grader_version`
  and a mismatch is that submission's error (not cached), naming the worker.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from contextlib import contextmanager
from typing import Callable, Iterator

import dask
from distributed import Client, KilledWorker, LocalCluster, WorkerPlugin, get_worker

from autograder.assignments import ASSIGNMENT_NAMES
from autograder.frontends.batch import Submission, _max_score, grade_submission, grader_version

__all__ = ["SandboxPlugin", "DaskEngine", "grade_task", "dask_grading", "LOCAL_ALLOWED_FAILURES", "PLUGIN_NAME"]

PLUGIN_NAME = "nnkit-autograder-sandboxes"
#: Worker deaths a task may be part of on the local cluster before Dask gives up on it (3 tries).
LOCAL_ALLOWED_FAILURES = 2

Engine = Callable[[Submission, str, object], dict]


class SandboxPlugin(WorkerPlugin):
    """Held by every worker: warm sandboxes for the class's assignments, one per worker thread,
    started at the first task that needs one and closed with the worker."""

    name = PLUGIN_NAME

    def __init__(self, assignments: tuple[str, ...], backend: str):
        self.assignments, self.backend = tuple(assignments), backend
        self._pool, self._lock, self._worker = None, threading.Lock(), None

    def __getstate__(self):  # sent to the workers without the (unpicklable, per-worker) pool and lock
        return {"assignments": self.assignments, "backend": self.backend}

    def __setstate__(self, state):
        self.__init__(state["assignments"], state["backend"])

    def setup(self, worker) -> None:
        self._worker = worker

    def sandboxes(self):
        """This worker's sandbox pool (see :func:`autograder.grading.engine.sandbox_pool`)."""
        with self._lock:
            if self._pool is None:
                from autograder.grading.engine import sandbox_pool

                size = max(1, getattr(getattr(self._worker, "state", None), "nthreads", 1) or 1)
                self._pool = sandbox_pool(self.assignments, size, self.backend)
            return self._pool

    def teardown(self, worker) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None


def grade_task(sub: Submission, key: str, backend: str, engine: Engine | None = None) -> dict:
    """One Dask task: grade ``sub`` (its notebooks' bytes travel in ``sub.contents``) on this worker.

    Returns ``{"result": <plain data, as grade_submission returns>, "grader_version": ..., "worker": address}``.
    ``engine`` replaces :func:`grade_submission` (tests); it gets the worker's sandboxes as ``backend``.
    """
    worker = get_worker()
    plugin = worker.plugins.get(PLUGIN_NAME)
    sandboxes = plugin.sandboxes() if plugin is not None else backend
    result = (engine or grade_submission)(sub, key, sandboxes)
    version = grader_version(sub.assignment) if sub.assignment in ASSIGNMENT_NAMES else "none"
    return {"result": result, "grader_version": version, "worker": worker.address}


def _error(sub: Submission, message: str, internal: bool) -> dict:
    return {"status": "error", "error": message, "internal_error": internal, "score": 0.0,
            "max_score": _max_score(sub.assignment), "exercises": []}


class DaskEngine:
    """The ``engine`` of :func:`~autograder.frontends.batch.grade_class` that grades on a Dask cluster:
    called from the client's threads, it submits one task and waits for its plain-data result."""

    def __init__(self, client: Client, inner: Engine | None = None):
        self.client, self.inner = client, inner

    def __call__(self, sub: Submission, key: str, backend) -> dict:
        who = hashlib.sha256(f"{sub.student}/{sub.assignment}".encode()).hexdigest()[:12]
        future = self.client.submit(grade_task, sub, key, backend, self.inner, key=f"grade-{who}-{uuid.uuid4().hex[:8]}",
                                    pure=False)
        try:
            out = future.result()
        except KilledWorker as exc:
            return _error(sub, "grading this submission killed its Dask worker every time it was tried "
                               f"({exc}); it is recorded as an error. `--force` tries it again.", internal=False)
        finally:
            future.release()
        if sub.assignment in ASSIGNMENT_NAMES and out["grader_version"] != grader_version(sub.assignment):
            return _error(sub, f"the Dask worker {out['worker']} runs another grader version "
                               f"({out['grader_version']}, here {grader_version(sub.assignment)}): install the same "
                               "kit, nnkit and assignments on every worker.", internal=True)
        return out["result"]


@contextmanager
def dask_grading(scheduler: str | None, jobs: int, backend: str, assignments: tuple[str, ...],
                 engine: Engine | None = None) -> Iterator[dict]:
    """Connect to the scheduler at ``scheduler`` (or start a local cluster of ``jobs`` single-threaded
    worker processes) and yield the keyword arguments of :func:`~autograder.frontends.batch.grade_class`
    (``jobs``: submissions in flight, twice the cluster's threads; ``engine``; ``backend``).

    Everything started here is stopped on the way out; tasks still pending are cancelled.
    """
    cluster = None
    if scheduler:
        client = Client(scheduler, timeout="30s")
    else:
        # one task at a time per worker (worker-saturation 1.0): a worker's death then counts against the
        # task that killed it only, never against an innocent one queued behind it
        with dask.config.set({"distributed.scheduler.allowed-failures": LOCAL_ALLOWED_FAILURES,
                              "distributed.scheduler.worker-saturation": 1.0}):
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=logging.CRITICAL)
        client = Client(cluster)
    try:
        client.register_plugin(SandboxPlugin(tuple(sorted(assignments)), backend))
        threads = sum(client.nthreads().values())
        yield {"jobs": max(jobs, 2 * threads, 1), "engine": DaskEngine(client, engine), "backend": backend}
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
