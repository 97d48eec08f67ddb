"""Where student code runs: sandboxes, the harness inside them, and the plain-data transport across.

Public interface (the rest is internal):

* :class:`Job`, :class:`Call`: what to run; :class:`Limits`: how much it may use;
* :func:`run_job` (one job in a new sandbox) and :class:`Pool` (warm sandboxes reused job after job);
* :class:`JobResult` with the :class:`Protections` that were in force;
* :func:`autograder.isolation.probe.plan` and the errors :class:`SandboxUnavailable` /
  :class:`IsolationRefused`; ``autograder doctor`` reports what this machine gives.

Modules, one job each: ``limits`` (Limits, Protections), ``jobfiles`` (writing a job), ``jobs``
(private job folders and their removal), ``uids`` (a distinct uid per sandbox, as root),
``privdrop`` (the uid drop and what runs before exec), ``cgroup`` (pids cgroups), ``landlock`` and
``seccomp`` (the kernel's unprivileged confinement), ``layout`` (what a sandbox may see), ``bwrap``
(bubblewrap's command line), ``launch`` (starting a sandbox per backend), ``probe`` (what works
here, and refusing to degrade), ``supervisor`` (one running sandbox, seen from the trusted side),
``pool`` (warm sandboxes lent out), ``collect`` (reading results as claims); inside the sandbox: ``worker`` (the warm zygote), ``jobproc`` (one job),
``child`` (one graded function: the only process that runs student code), ``capture``, ``forbid``,
``stubs``, ``procs``; across: ``transport``, ``codec``, ``container``.
"""
import importlib

_EXPORTS = {"Call": "jobfiles", "Job": "jobfiles", "Limits": "limits", "Protections": "limits",
            "replace_limits": "limits", "JobResult": "supervisor", "Pool": "pool", "run_job": "pool",
            "IsolationRefused": "errors", "SandboxUnavailable": "errors"}
__all__ = sorted(_EXPORTS)


def __getattr__(name):  # lazy: the harness inside the sandbox imports only what it needs
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
