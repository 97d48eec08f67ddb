"""Warm sandboxes: a pool of workers lent to one job after another.

A :class:`Pool` keeps up to ``size`` workers (:class:`autograder.isolation.supervisor.Worker`) and lends
one to each :meth:`Pool.run` call (thread-safe), so the fixed costs of a sandbox (namespaces,
mounts, interpreter, ``import numpy``, the references) are paid once per worker instead of once per
submission, while every job still starts from the pristine worker in its own process, folder and
Landlock domain (see :mod:`autograder.isolation.worker`). A worker that had to be killed is replaced.
Every worker is started from one long-lived thread of the pool: a sandbox dies with the thread that
started it (``PR_SET_PDEATHSIG``, bwrap's ``--die-with-parent``). :func:`run_job` is the one-shot
form (a pool of one, started and closed around one job).
"""
from __future__ import annotations

import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Callable

from autograder.isolation import probe
from autograder.isolation.limits import Limits, Protections
from autograder.isolation.supervisor import JobResult, Worker, WorkerFailed

if TYPE_CHECKING:
    from autograder.isolation.jobfiles import Job

__all__ = ["JobResult", "Pool", "PoolClosed", "run_job"]


class PoolClosed(RuntimeError):
    """The pool was closed while a sandbox was starting or a job was waiting for one."""


class Pool:
    """Up to ``size`` warm workers of the strongest usable backend (see :mod:`autograder.isolation.probe`).

    ``backend``/``allow_weak``: as :func:`autograder.isolation.probe.plan`; ``stub_modules``: packages
    served as inert stubs; ``preload``: modules imported once per worker (the references); ``parallel``:
    what callers should ask of :attr:`Job.parallel` (the pool does not enforce it).
    """

    def __init__(self, size: int = 1, *, backend: str = "auto", allow_weak: bool = False, limits: Limits = Limits(),
                 stub_modules=(), preload=(), parallel: int = 1):
        if size < 1:
            raise ValueError(f"a pool needs at least one worker, got size={size}")
        self.parallel = max(1, int(parallel))
        self.size, self.requested, self.allow_weak, self.limits = size, backend, allow_weak, limits
        self.stub_modules, self.preload = tuple(stub_modules), tuple(preload)
        self._idle: queue.Queue = queue.Queue()
        self._started = 0
        self._lock = threading.Lock()
        self._closed = False
        self._all: list[Worker] = []
        self._spawned = threading.Event()  # a sandbox process exists (booting), or none could be started
        # Every sandbox is started from this one long-lived thread: a sandbox dies with the thread
        # that started it (PR_SET_PDEATHSIG, bwrap --die-with-parent), so not with a short-lived one.
        self._launcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sandbox-launcher")

    def _start(self) -> Worker:
        """A new ready worker: the first candidate backend that starts (failures are remembered, except
        those of a pool being closed, whose starting workers it kills)."""
        errors = []
        for backend, mode in probe.plan(self.requested, self.allow_weak):
            try:
                w = self._launcher.submit(Worker, backend, mode, self.limits, self.stub_modules, self.preload).result()
            except RuntimeError:  # the launcher was shut down: the pool is closed
                raise PoolClosed("this sandbox pool is closed") from None
            except OSError as exc:
                probe.remember_failure(backend, mode, str(exc))
                errors.append(f"{backend} {mode}: {exc}")
                continue
            self._spawned.set()
            with self._lock:
                closed = self._closed
                if not closed:
                    self._all.append(w)
            if closed:
                w.close()
                raise PoolClosed("this sandbox pool is closed")
            try:
                w.wait_ready()
            except WorkerFailed as exc:
                with self._lock:
                    closed = self._closed
                    if w in self._all:
                        self._all.remove(w)
                if closed:
                    raise PoolClosed("this sandbox pool is closed") from None
                if exc.transient:
                    raise probe.SandboxUnavailable(f"the {backend} sandbox did not start in time: {exc}") from None
                probe.remember_failure(backend, mode, str(exc).strip().splitlines()[-1] if str(exc).strip() else "failed")
                errors.append(f"{backend} {mode}: {exc}")
                continue
            return w
        probe.plan(self.requested, self.allow_weak)  # raises with the reason now that the failures are known
        raise probe.SandboxUnavailable("no sandbox could start: " + "; ".join(errors))

    def prestart(self, wait_spawned: bool = False) -> None:
        """Start the workers now, in the background of the caller's own work (they start in parallel).

        ``wait_spawned``: return once a sandbox process exists (it boots on its own from then on), so
        that the caller's next heavy work (``import numpy``) does not slow down starting it."""
        with self._lock:
            n, self._started = self.size - self._started, self.size
        for _ in range(n):
            self._start_in_background()
        if wait_spawned:
            self._spawned.wait(timeout=10.0)

    def check(self) -> None:
        """Start the workers (if not yet) and wait until one is ready; raises SandboxUnavailable /
        IsolationRefused with the reason when none can start."""
        self.prestart()
        w = self._idle.get()
        self._idle.put(w)
        if isinstance(w, Exception):
            raise w

    def protections(self) -> Protections:
        """What the pool's sandboxes enforce (starting one if none runs yet)."""
        self.check()
        with self._lock:
            ready = next((w for w in self._all if w.ready), None)
        if ready is None:
            raise probe.SandboxUnavailable("no sandbox is running")
        return ready.protections

    def _start_in_background(self) -> None:
        """One more worker, started by a thread of its own and put in the idle queue (or its failure)."""
        threading.Thread(target=self._start_into_idle, daemon=True).start()

    def _start_into_idle(self) -> None:
        try:
            self._idle.put(self._start())
        except Exception as exc:  # noqa: BLE001 (the next run() meets the same failure and raises it)
            self._idle.put(exc)
        finally:
            self._spawned.set()

    def run(self, job: Job, limits: Limits | None = None, meanwhile: Callable[[], None] | None = None) -> JobResult:
        """Run ``job`` on a free worker (starting one if fewer than ``size`` exist) and return its result.

        ``meanwhile``: the caller's own work that the job does not need (the grader computes the
        references' results), done in this thread while the sandbox works: before the job when no
        worker is ready yet (while one boots), else once the job is sent, before its result is awaited.
        """
        if self._closed:
            raise PoolClosed("this sandbox pool is closed")
        with self._lock:
            start = self._started < self.size and self._idle.empty()
            if start:
                self._started += 1
        if meanwhile is not None and self._idle.empty():  # no worker ready: while one boots
            if start:  # (this call's worker: it boots in the background, then comes from the idle queue)
                self._start_in_background()
                start = False
            meanwhile()
            meanwhile = None
        w = self._start() if start else self._idle.get()
        if isinstance(w, Exception):
            with self._lock:
                self._started -= 1
            raise w
        try:
            result = w.run(job, limits or self.limits, meanwhile)
        except BaseException:
            w.close()
            self._replace(w)
            raise
        if w.alive:
            self._idle.put(w)
        else:
            w.close()
            self._replace(w)
        return result

    def _replace(self, w: Worker) -> None:
        """Forget the ended worker ``w`` and start its replacement in the background: a caller may already
        be waiting for an idle worker, and no other would come."""
        with self._lock:
            if w in self._all:
                self._all.remove(w)
            if self._closed:
                self._started -= 1
                return
        self._start_in_background()

    def close(self, now: bool = False) -> None:
        """End every sandbox (``now``: without letting a running job finish) and refuse further work."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.close(now=now)
        self._launcher.shutdown(wait=False)

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def run_job(job: Job, *, limits: Limits = Limits(), backend: str = "auto", allow_weak: bool = False,
            stub_modules=(), preload=()) -> JobResult:
    """Run one job in a new sandbox (a pool of one), and close it."""
    with Pool(1, backend=backend, allow_weak=allow_weak, limits=limits, stub_modules=stub_modules,
              preload=preload) as pool:
        return pool.run(job, limits)
