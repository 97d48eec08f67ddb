"""``autograder doctor``: what isolation this machine gives student code, why, and how to get more.

Each backend is checked (bubblewrap by starting a real sandbox, the Landlock backend likewise),
with the facts behind it: running as root or not, user namespaces and AppArmor's restriction of
them, the Landlock ABI and what it covers, seccomp, the pids cgroup. Every failure comes with its
reason and the fix. The exit status is 0 when ``auto`` grades with strong isolation here (bwrap,
or the Landlock backend where bubblewrap is not installed), 1 otherwise (grading would refuse).
``make demo`` and ``make test`` print the one-paragraph summary first.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from autograder.isolation import probe
from autograder.isolation.limits import Protections

__all__ = ["Diagnosis", "diagnose", "main"]

_LANDLOCK_COVERS = {1: "files", 2: "files (with links and renames)", 3: "files (with truncation)",
                    4: "files and TCP", 5: "files, TCP and device ioctls", 6: "files, TCP, signals and abstract sockets",
                    7: "files, TCP, signals and abstract sockets"}


@dataclass
class Diagnosis:
    """What ``autograder doctor`` found: per backend, its protections or why it fails."""

    facts: probe.Facts
    works: dict[str, Protections] = field(default_factory=dict)
    fails: dict[str, str] = field(default_factory=dict)
    auto: str | None = None          # what `auto` grades with (a Protections summary)
    auto_refusal: str | None = None  # why `auto` refuses, when it does

    @property
    def strong(self) -> bool:
        return self.auto is not None and self.auto.split(" ")[0] in ("bwrap", "landlock")


def _try(backend: str) -> Protections | str:
    from autograder.isolation.pool import Pool

    try:
        with Pool(1, backend=backend) as pool:
            return pool.protections()
    except probe.SandboxUnavailable as exc:
        return str(exc)


def diagnose(start: bool = True) -> Diagnosis:
    """Check every backend (``start``: by starting a sandbox; else from the facts alone)."""
    d = Diagnosis(probe.facts())
    for backend in ("bwrap", "landlock"):
        try:
            probe.plan(backend)
        except probe.SandboxUnavailable as exc:
            d.fails[backend] = str(exc)
            continue
        if start:
            got = _try(backend)
            if isinstance(got, Protections):
                d.works[backend] = got
            else:
                d.fails[backend] = got
    try:
        first = probe.plan("auto")[0][0]
        d.auto = d.works[first].summary() if first in d.works else first
    except probe.SandboxUnavailable as exc:
        d.auto_refusal = str(exc)
    return d


def summary(d: Diagnosis) -> str:
    """One paragraph: what grading uses here, and what is missing."""
    who = "as root (each sandbox gets its own uid)" if d.facts.root else f"as uid {os.getuid()} (not root)"
    if d.auto_refusal:
        head = f"Isolation: grading REFUSES to run here {who}: {d.auto_refusal}"
    else:
        head = f"Isolation: grading {who} uses {d.auto}."
    extra = []
    if "bwrap" in d.fails:
        extra.append(f"bubblewrap: {d.fails['bwrap']}")
    if "landlock" not in d.works and "landlock" in d.fails:
        extra.append(f"Landlock backend: {d.fails['landlock']}")
    return " ".join([head] + extra) + " (details: autograder doctor)"


def _line(ok: bool | None, text: str) -> str:
    return f"  [{'ok' if ok else 'no' if ok is False else '--'}] {text}"


def render(d: Diagnosis) -> str:
    f = d.facts
    out = ["What isolates student code on this machine", ""]
    out.append(_line(None, f"grader runs as {'root: each sandbox drops to its own unprivileged uid' if f.root else f'uid {os.getuid()} (not root): sandboxes run as this uid, confined'}"))
    if f.bwrap:
        out.append(_line(True if "bwrap" in d.works else False if "bwrap" in d.fails else None, f"bubblewrap {f.bwrap}: " + (
            d.works["bwrap"].summary() if "bwrap" in d.works else d.fails.get("bwrap", "not started (--no-start)"))))
    else:
        out.append(_line(False, f"bubblewrap: not installed; {probe.BWRAP_FIX}"))
    out.append(_line(not f.userns, "unprivileged user namespaces: " + (f.userns + f"; fix: {probe.USERNS_FIX}"
                                                                        if f.userns else "available")))
    if f.landlock_abi:
        out.append(_line(True, f"Landlock ABI {f.landlock_abi}: covers {_LANDLOCK_COVERS.get(f.landlock_abi, 'files, TCP, signals and abstract sockets')}"
                     + ("" if f.landlock_abi >= 4 else "; TCP is cut by seccomp only (ABI 4, Linux 6.7, adds TCP rules)")))
    else:
        out.append(_line(False, f"Landlock: {f.landlock_reason}; it needs {probe.LANDLOCK_FIX}"))
    out.append(_line(f.seccomp, "seccomp filter: " + ("available (student code opens no socket, signals no other "
                                                       "process, cannot ptrace, mount or make namespaces)"
                                                       if f.seccomp else f.seccomp_reason)))
    out.append(_line(bool(f.cgroup_version), f"pids cgroup: v{f.cgroup_version}" if f.cgroup_version else
                     f"pids cgroup: none ({f.cgroup_reason}); processes are bounded by RLIMIT_NPROC inside bwrap's "
                     "user namespace, or over the user's current processes for the Landlock backend"))
    out.append(_line(True if "landlock" in d.works else False if "landlock" in d.fails else None,
                     "Landlock backend (no namespaces needed): " + (
        d.works["landlock"].summary() if "landlock" in d.works else d.fails.get("landlock", "not started"))))
    out += ["", summary(d)]
    return "\n".join(out)


def main(summary_only: bool = False, start: bool = True) -> int:
    d = diagnose(start)
    print(summary(d) if summary_only else render(d))
    return 0 if (d.strong or (not start and d.auto_refusal is None)) else 1


if __name__ == "__main__":
    sys.exit(main(summary_only="--summary" in sys.argv[1:], start="--no-start" not in sys.argv[1:]))
