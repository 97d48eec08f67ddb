"""Shared helpers of the isolation tests: the backends that work here, and a job runner (imported by the tests)."""
from __future__ import annotations

import itertools
import textwrap

import pytest

from autograder.isolation import Call, Job, Limits, probe, run_job

STUBS = ("matplotlib", "ipywidgets", "IPython", "tqdm", "autograder.frontends")
USABLE = {b: probe.usable(b) for b in ("bwrap", "landlock")}
BACKENDS = [pytest.param(b, marks=pytest.mark.skipif(not USABLE[b], reason=f"{b} does not start here"))
            for b in ("bwrap", "landlock")]
_ids = itertools.count()


def run(src: str, calls, backend: str = "auto", limits: Limits = Limits(), **job_kw):
    """Run the calls on ``src`` (dedented) in a new sandbox of ``backend``."""
    job = Job(textwrap.dedent(src), tuple(calls), **job_kw)
    res = run_job(job, limits=limits, backend=backend, stub_modules=STUBS)
    if not backend.startswith("auto"):
        assert res.backend == backend
    return res


def by_id(res) -> dict:
    return {e["id"]: e for e in res.results}


__all__ = ["BACKENDS", "Call", "USABLE", "by_id", "run"]
