"""Engines for the Dask tests, importable by the workers of a local cluster (they run in other processes).

Each wraps the kit's engine (:func:`autograder.frontends.batch.grade_submission`, in the worker's
sandboxes) and kills the worker process it runs in (SIGKILL: no cleanup, as the OOM killer or a
lost machine would) when it grades one chosen student: every time, or only the first time (a
marker file, created before the kill, remembers it across worker processes).
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from autograder.frontends.batch import grade_submission


class KillsItsWorker:
    """Kill the worker grading ``victim``: only the first time if ``marker`` is given, else every time."""

    def __init__(self, victim: str, marker: str | None = None):
        self.victim, self.marker = victim, marker

    def __call__(self, sub, key, backend) -> dict:
        if sub.student == self.victim:
            if self.marker is None:
                os.kill(os.getpid(), signal.SIGKILL)
            m = Path(self.marker)
            if not m.exists():
                m.write_text(str(os.getpid()))
                os.kill(os.getpid(), signal.SIGKILL)
        return grade_submission(sub, key, backend)
