"""Landlock: the kernel's unprivileged access control, applied to this process and its future children.

Landlock (Linux >= 5.13) lets any process, without root and without namespaces, give up access to
files it could otherwise open: a *ruleset* names the kinds of access it handles, rules allow some
of them beneath given directories (or on given files), and everything else it handles is denied
from then on, for this process and everything it starts. Rulesets stack: a later one can only
take more away. What each ABI version adds:

====  ======  ==================================================================================
ABI   kernel  adds
====  ======  ==================================================================================
1     5.13    files: execute, read, write, list a directory, create/remove files and directories
2     5.19    ``refer``: linking or renaming a file into another directory
3     6.2     ``truncate``
4     6.7     TCP: ``bind`` and ``connect`` (UDP and other socket families are *not* covered:
              :mod:`autograder.isolation.seccomp` denies them)
5     6.10    ``ioctl`` on devices
6     6.12    scopes: no signals to, and no abstract Unix sockets of, processes outside the domain
7     6.15    audit logging flags
====  ======  ==================================================================================

Landlock denies; it does not hide: listing a denied directory fails with ``PermissionError``
rather than showing nothing, and ``stat`` of a path still works. The system calls are made through
``ctypes`` (numbers 444-446 on every architecture); no dependency is needed.
"""
from __future__ import annotations

import ctypes
import errno
import functools
import os
import stat
from dataclasses import dataclass

__all__ = ["LandlockError", "Rules", "abi_version", "restrict"]

_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH, _RULE_NET_PORT = 1, 2
_PR_SET_NO_NEW_PRIVS = 38

# filesystem access rights
EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
MAKE_REG, MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM = 1 << 8, 1 << 9, 1 << 10, 1 << 11, 1 << 12
REFER, TRUNCATE = 1 << 13, 1 << 14
# network (ABI 4) and scopes (ABI 6)
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

_FS_ABI1 = (1 << 13) - 1
_FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE  # the rights a rule on a file (not a directory) may hold
READ_ONLY = EXECUTE | READ_FILE | READ_DIR


def _handled_fs(abi: int) -> int:
    # ioctl on devices (ABI 5) is left unhandled: the only devices a job can open are /dev/null
    # and the random devices, where it is harmless, and handling it breaks isatty() on them.
    return _FS_ABI1 | (REFER if abi >= 2 else 0) | (TRUNCATE if abi >= 3 else 0)


def read_write(abi: int) -> int:
    """Every handled right except creating device nodes: for a job's own folder."""
    return _handled_fs(abi) & ~(MAKE_CHAR | MAKE_BLOCK)


class LandlockError(OSError):
    """Landlock could not be applied; the message says which step failed and why."""


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


@functools.lru_cache(maxsize=None)
def _libc():
    """The C library, loaded once per process (a fork inherits it: ~1 ms saved per confined process)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc


def abi_version() -> tuple[int, str]:
    """``(abi, reason)``: the Landlock ABI this kernel offers (0 when none) and, when 0, why."""
    libc = _libc()
    v = libc.syscall(_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    if v >= 1:
        return int(v), ""
    e = ctypes.get_errno()
    if e == errno.ENOSYS:
        return 0, "this kernel has no Landlock (it needs Linux 5.13 or later, built with CONFIG_SECURITY_LANDLOCK)"
    if e == errno.EOPNOTSUPP:
        return 0, ("Landlock is built into this kernel but not enabled: add 'landlock' to the lsm= boot "
                   "parameter (see /sys/kernel/security/lsm)")
    return 0, f"landlock_create_ruleset failed: {os.strerror(e)}"


@dataclass(frozen=True)
class Rules:
    """What a process may still do after :func:`restrict`.

    ``read``: paths (directories or files) readable and executable beneath; ``write``: directories
    where everything but device nodes is allowed; ``write_files``: single files readable and
    writable (``/dev/null``); ``deny_tcp``: no TCP bind/connect (ABI >= 4); ``scope``: no signals to,
    and no abstract Unix sockets of, processes outside the new domain (ABI >= 6); ``read_dir_only``:
    directories that may be listed (names only) but not read beneath. Missing paths are skipped.
    """

    read: tuple[str, ...] = ()
    write: tuple[str, ...] = ()
    write_files: tuple[str, ...] = ()
    read_dir_only: tuple[str, ...] = ()
    deny_tcp: bool = True
    scope: bool = True


@dataclass(frozen=True)
class Applied:
    """What :func:`restrict` enforced: the ABI, and whether TCP and the scopes were covered."""

    abi: int
    tcp_denied: bool
    scoped: bool


def _add_path(libc, ruleset: int, path: str, access: int, handled: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise LandlockError(exc.errno, f"Landlock: cannot open {path}: {exc.strerror}") from None
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            access &= _FILE_RIGHTS
        attr = _PathBeneath(access & handled, fd)
        if libc.syscall(_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_RULE_PATH_BENEATH), ctypes.byref(attr),
                        ctypes.c_uint32(0)) != 0:
            e = ctypes.get_errno()
            raise LandlockError(e, f"Landlock: cannot add a rule for {path}: {os.strerror(e)}")
    finally:
        os.close(fd)


def restrict(rules: Rules, abi: int | None = None) -> Applied:
    """Apply ``rules`` to this process (and its future children) for good.

    Sets ``no_new_privs`` first (Landlock requires it; it also stops setuid programs from gaining
    privileges). Raises :class:`LandlockError` when the kernel has no Landlock or a step fails:
    callers that expected it must not go on without it.
    """
    if abi is None:
        abi, reason = abi_version()
        if abi < 1:
            raise LandlockError(errno.ENOSYS, f"Landlock is not available: {reason}")
    libc = _libc()
    handled = _handled_fs(abi)
    attr = _RulesetAttr(handled, NET_BIND_TCP | NET_CONNECT_TCP if rules.deny_tcp and abi >= 4 else 0,
                        SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if rules.scope and abi >= 6 else 0)
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8  # the kernel reads only the fields its ABI knows
    ruleset = libc.syscall(_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        e = ctypes.get_errno()
        raise LandlockError(e, f"Landlock: cannot create a ruleset: {os.strerror(e)}")
    try:
        for path in rules.read:
            _add_path(libc, ruleset, path, READ_ONLY, handled)
        for path in rules.read_dir_only:
            _add_path(libc, ruleset, path, READ_DIR, handled)
        for path in rules.write:
            _add_path(libc, ruleset, path, read_write(abi), handled)
        for path in rules.write_files:
            _add_path(libc, ruleset, path, READ_FILE | WRITE_FILE | TRUNCATE, handled)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            e = ctypes.get_errno()
            raise LandlockError(e, f"prctl(PR_SET_NO_NEW_PRIVS): {os.strerror(e)}")
        if libc.syscall(_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            e = ctypes.get_errno()
            raise LandlockError(e, f"Landlock: landlock_restrict_self failed: {os.strerror(e)}")
    finally:
        os.close(ruleset)
    return Applied(abi, bool(attr.handled_access_net), bool(attr.scoped))
