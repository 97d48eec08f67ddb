"""What isolation this machine gives, why, and which backend grading may use.

:func:`facts` gathers the cheap facts (no sandbox started): root or not, bubblewrap installed,
user namespaces and AppArmor's restriction of them, the Landlock ABI, seccomp, the pids cgroup.
:func:`plan` turns a requested backend into the candidates to try, strongest first, and refuses
(:class:`IsolationRefused`, with the reason and the fix) rather than degrade silently:

* ``auto``: bwrap when installed; if it is installed but cannot start a sandbox here, grading
  refuses unless the caller allowed weaker isolation (then the Landlock backend). Without bwrap,
  the Landlock backend (Landlock and seccomp; the hardened fallback, not a weaker one); without
  Landlock either, refusal. ``unconfined`` (no filesystem isolation) is never chosen by ``auto``
  for an ordinary user, not even when weaker isolation is allowed: only by asking for it.
* ``bwrap`` / ``landlock`` / ``unconfined``: exactly that backend, or :class:`SandboxUnavailable`.

Whether bwrap really works is learnt by starting it (:mod:`autograder.isolation.pool` tries the
candidates in order and records a failure with :func:`remember_failure`; :func:`diagnose` runs
the full check for ``autograder doctor``).
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass

from autograder.isolation import bwrap, cgroup, landlock, seccomp
from autograder.isolation.errors import IsolationRefused, SandboxUnavailable

__all__ = ["BACKENDS", "Facts", "IsolationRefused", "SandboxUnavailable", "facts", "parse_backend", "plan", "remember_failure",
           "failures", "BWRAP_FIX", "USERNS_FIX", "LANDLOCK_FIX"]

BACKENDS = ("auto", "bwrap", "landlock", "unconfined")
BWRAP_FIX = ("install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install "
             "bubblewrap; Arch: sudo pacman -S bubblewrap)")
USERNS_FIX = ("Ubuntu 24.04 and later restrict unprivileged user namespaces with AppArmor: enable the AppArmor "
              "profile bwrap-userns-restrict (AppArmor 4's extra profiles: sudo cp /usr/share/apparmor/extra-profiles/"
              "bwrap-userns-restrict /etc/apparmor.d/ && sudo apparmor_parser -r /etc/apparmor.d/bwrap-userns-restrict) "
              "or lift the restriction: sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0")
LANDLOCK_FIX = "a Linux kernel 5.13 or later with Landlock enabled (check /sys/kernel/security/lsm)"


@dataclass(frozen=True)
class Facts:
    root: bool
    bwrap: str | None
    userns: str  # "" when unprivileged user namespaces look available, else why not
    landlock_abi: int
    landlock_reason: str
    seccomp: bool
    seccomp_reason: str
    cgroup_version: int
    cgroup_reason: str


def _read(path: str) -> str | None:
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def _userns() -> str:
    if _read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == "1":
        return "AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1)"
    if _read("/proc/sys/kernel/unprivileged_userns_clone") == "0":
        return "unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone=0)"
    if _read("/proc/sys/user/max_user_namespaces") == "0":
        return "user namespaces are disabled (user.max_user_namespaces=0)"
    return ""


@functools.lru_cache(maxsize=None)
def _static_facts() -> tuple:
    abi, why = landlock.abi_version()
    sc, sc_why = seccomp.supported()
    version, _, cg_why = cgroup.pids_hierarchy()
    return abi, why, sc, sc_why, version, cg_why


def facts() -> Facts:
    """The machine's facts, gathered without starting a sandbox (PATH is read each time)."""
    abi, why, sc, sc_why, version, cg_why = _static_facts()
    return Facts(os.geteuid() == 0, bwrap.binary(), _userns(), abi, why, sc, sc_why, version, cg_why)


_FAILED: dict[tuple[str, str, str | None], str] = {}


def remember_failure(backend: str, mode: str, reason: str) -> None:
    """Record that ``backend``/``mode`` failed to start here (for this process and this bwrap)."""
    _FAILED[(backend, mode, bwrap.binary())] = reason


def failures() -> dict[tuple[str, str], str]:
    """``{(backend, mode): reason}`` of what failed to start so far (with the bwrap now on PATH)."""
    exe = bwrap.binary()
    return {(b, m): r for (b, m, e), r in _FAILED.items() if e == exe}


def bwrap_modes(f: Facts) -> tuple[str, ...]:
    return ("setuid", "rootdrop") if f.root else ("user",)


def landlock_ok(f: Facts) -> tuple[bool, str]:
    if f.landlock_abi < 1:
        return False, f"Landlock is not available: {f.landlock_reason}; it needs {LANDLOCK_FIX}"
    if not f.seccomp:
        return False, f"the seccomp filter is not available ({f.seccomp_reason}): UDP could not be blocked"
    return True, ""


def bwrap_failure(f: Facts, failed: dict) -> str:
    reasons = "; ".join(f"{m}: {failed[('bwrap', m)]}" for m in bwrap_modes(f) if ("bwrap", m) in failed)
    fix = USERNS_FIX if (f.userns or "uid map" in reasons or "ermission denied" in reasons) and not f.root else \
        "check that user namespaces are enabled (sysctl user.max_user_namespaces > 0) or run `autograder doctor`"
    return f"bubblewrap is installed ({f.bwrap}) but cannot start a sandbox here ({reasons}). Fix: {fix}"


def parse_backend(spec: str | None) -> tuple[str, bool]:
    """``"auto"``, ``"bwrap"``, ... with an optional ``"+weak"`` suffix (allow weaker isolation):
    returns ``(backend, allow_weak)``. The suffix lets the choice travel as one string."""
    spec = spec or "auto"
    base, plus, rest = spec.partition("+")
    if base not in BACKENDS or (plus and rest != "weak"):
        raise ValueError(f"unknown sandbox backend {spec!r}; choose one of {', '.join(BACKENDS)}, optionally "
                         "with '+weak' to allow weaker isolation than the machine should give")
    return base, bool(plus)


def plan(requested: str = "auto", allow_weak: bool = False) -> list[tuple[str, str]]:
    """The ``(backend, mode)`` candidates to try in order (see the module docstring).

    Raises :class:`IsolationRefused` / :class:`SandboxUnavailable` with the reason and the fix.
    """
    requested, weak = parse_backend(requested)
    allow_weak = allow_weak or weak
    f = facts()
    failed = failures()
    bw = [("bwrap", m) for m in bwrap_modes(f) if ("bwrap", m) not in failed] if f.bwrap else []
    ll_ok, ll_why = landlock_ok(f)
    ll = [("landlock", "")] if ll_ok and ("landlock", "") not in failed else []
    unconfined = [("unconfined", "")] if ("unconfined", "") not in failed else []
    if requested == "bwrap":
        if not f.bwrap:
            raise SandboxUnavailable(f"bubblewrap is not installed: {BWRAP_FIX}")
        if not bw:
            raise SandboxUnavailable(bwrap_failure(f, failed))
        return bw
    if requested == "landlock":
        if not ll:
            raise SandboxUnavailable(ll_why or f"the Landlock backend failed here: {failed.get(('landlock', ''))}")
        return ll
    if requested == "unconfined":
        return [("unconfined", "")]
    if f.bwrap:
        if bw:
            return bw + (ll if allow_weak else []) + (unconfined if allow_weak and f.root and not ll else [])
        if not allow_weak:
            raise IsolationRefused(f"{bwrap_failure(f, failed)}. Grading refuses to run with weaker isolation "
                                   "unless you allow it: pass --allow-weak-isolation (or --backend landlock), "
                                   "and see `autograder doctor`.")
        if ll:
            return ll
        if f.root:
            return unconfined
        raise IsolationRefused(f"{bwrap_failure(f, failed)}, and {ll_why}. Student code would run as you with no "
                               "filesystem isolation: pass --backend unconfined only if you accept that.")
    if ll:
        return ll
    ll_failed = f"the Landlock backend failed here: {failed[('landlock', '')]}" if ("landlock", "") in failed else ""
    why = f"bubblewrap is not installed ({BWRAP_FIX}) and {ll_why or ll_failed or 'the Landlock backend failed here'}"
    if allow_weak and f.root:
        return unconfined
    raise IsolationRefused(f"{why}. Grading refuses to run student code without isolation"
                           + ("" if f.root else " as your own user") + ": fix one of the two, or pass "
                           "--backend unconfined only if you accept that (see `autograder doctor`).")


@functools.lru_cache(maxsize=None)
def usable(backend: str) -> bool:
    """Whether a sandbox of ``backend`` really starts here (tried once per process; for tests and the doctor)."""
    from autograder.isolation.pool import Pool

    try:
        with Pool(1, backend=backend) as pool:
            pool._start()
        return True
    except SandboxUnavailable:
        return False
