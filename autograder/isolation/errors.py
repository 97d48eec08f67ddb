"""The errors the isolation layer raises to its callers (a module of its own: cheap to import)."""
from __future__ import annotations

__all__ = ["IsolationRefused", "SandboxUnavailable"]


class SandboxUnavailable(RuntimeError):
    """The requested backend cannot run on this machine (the message says why and how to fix it)."""


class IsolationRefused(SandboxUnavailable):
    """``auto`` would have to run student code with weaker isolation than this machine should give."""
