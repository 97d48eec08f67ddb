"""The limits of one sandboxed job, and the record of the protections that were in force.

:class:`Limits` is what the grader asks for; :class:`Protections` is what a sandbox actually
enforced (backend, uid, namespaces, Landlock ABI, seccomp, cgroup), reported with every job result
so that a report can say exactly how each submission was isolated.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

__all__ = ["Limits", "Protections", "replace_limits"]


@dataclass(frozen=True)
class Limits:
    """Limits of one job.

    ``wall_s``: the whole job; ``cpu_s`` and ``memory_bytes`` (address space): each process of
    student code; ``max_processes``: processes (and threads) of student code at once;
    ``max_file_bytes``: size of any file written; ``max_output_bytes``: what is kept of the output
    written straight to file descriptors 1 and 2; ``max_result_bytes``: every result of one
    submission together (payload files), beyond which further results are rejected;
    ``tmp_bytes``: the private ``/tmp`` of the bwrap backend.
    """

    wall_s: float = 30
    cpu_s: float = 30
    memory_bytes: int = 1 << 30
    max_processes: int = 32
    max_file_bytes: int = 64 << 20
    max_output_bytes: int = 1 << 20
    max_result_bytes: int = 96 << 20
    tmp_bytes: int = 64 << 20

    def __post_init__(self):
        for name in ("wall_s", "cpu_s", "memory_bytes", "max_processes", "max_file_bytes", "max_output_bytes",
                     "max_result_bytes", "tmp_bytes"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not value > 0:
                raise ValueError(f"Limits.{name} must be a positive number, got {value!r}")


def replace_limits(limits: Limits, **changes: Any) -> Limits:
    """A copy of ``limits`` with some fields changed."""
    return dataclasses.replace(limits, **changes)


@dataclass(frozen=True)
class Protections:
    """What isolated one job, as enforced (not as requested).

    ``backend``: ``"bwrap"``, ``"landlock"`` or ``"unconfined"``; ``uid``: the real uid student code
    ran as (outside any user namespace); ``distinct_uid``: that uid belonged to this job alone;
    ``namespaces``: the Linux namespaces of the sandbox; ``landlock_abi``: 0 when Landlock was not
    applied; ``seccomp``: the system-call filter was installed; ``cgroup``: a pids cgroup held the sandbox's
    processes; ``processes``: how the number of
    processes was bounded; ``network``: how the network was cut; ``notes``: anything weaker than
    usual, in words.
    """

    backend: str
    uid: int
    distinct_uid: bool
    namespaces: tuple[str, ...] = ()
    landlock_abi: int = 0
    seccomp: bool = False
    cgroup: bool = False
    processes: str = ""
    network: str = ""
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line for reports: the backend, then each protection (never the uid number, which varies)."""
        parts = ["/".join(self.namespaces) + " namespaces"] if self.namespaces else []
        parts.append("own uid" if self.distinct_uid else "the grader's uid")
        parts.append(f"Landlock ABI {self.landlock_abi}" if self.landlock_abi else "no Landlock")
        parts.append("seccomp" if self.seccomp else "no seccomp")
        if self.cgroup:
            parts.append("pids cgroup")
        return f"{self.backend} ({', '.join(parts)})"

    def to_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d["namespaces"], d["notes"] = list(self.namespaces), list(self.notes)
        return d
