"""seccomp: a system-call filter for student code, built as classic BPF and installed with ``ctypes``.

Unprivileged once ``no_new_privs`` is set, inherited by every child, and impossible to remove.
Two filters:

* :func:`base_program` (the whole sandbox): a foreign architecture or an x32 system call kills
  the process; ``socket``/``socketpair`` of any family but ``AF_UNIX`` fail with ``EACCES`` (so UDP
  and raw sockets are blocked too, which Landlock does not cover); ``clone`` with a namespace flag,
  ``unshare``, ``setns``, ``mount`` and the new mount API, ``pivot_root``/``chroot``, ``ptrace``,
  ``process_vm_readv/writev``, ``pidfd_getfd``, ``kcmp``, ``keyctl``/``add_key``/``request_key``,
  ``bpf``, ``perf_event_open``, ``userfaultfd``, ``io_uring_*``, ``kexec_*``, module loading,
  System V IPC and POSIX message queues (kernel objects that outlive a process), ``personality``,
  swap/reboot/clock/hostname changes and other administrative calls fail with ``EPERM``;
  ``clone3`` fails with ``ENOSYS`` (its flags cannot be inspected; the C library falls back to
  ``clone``).
* :func:`student_program` (student code only): signals may be sent to the process itself only
  (``kill``/``tgkill`` of another pid, a process group or ``-1``, and ``pidfd_send_signal``, fail
  with ``EPERM``), so student code cannot kill the harness that reports on it or, as an ordinary
  user, the grader's other processes (Landlock's signal scope, ABI 6, does the same where present);
  and ``socket`` fails with ``EPERM`` whatever the family: Landlock does not cover connecting to a
  Unix socket by its path, which as an ordinary user would reach the grader's own services (its
  session bus, an SSH agent, a Docker socket). ``socketpair`` (a connected pair, no address) stays.

Only x86_64 has a syscall table here; elsewhere :func:`supported` says so and nothing is installed.
"""
from __future__ import annotations

import ctypes
import errno
import functools
import os
import platform
import struct

__all__ = ["SeccompError", "base_program", "install", "student_program", "supported"]

_AUDIT_ARCH_X86_64 = 0xC000003E
_X32_BIT = 0x40000000
_AF_UNIX = 1
_CLONE_NS_FLAGS = 0x7E020000  # NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2

# BPF opcodes (linux/filter.h)
_LD_W_ABS, _JEQ_K, _JGE_K, _JSET_K, _RET_K = 0x20, 0x15, 0x35, 0x45, 0x06
_RET_ALLOW, _RET_KILL_PROCESS, _RET_ERRNO = 0x7FFF0000, 0x80000000, 0x00050000
# offsets in struct seccomp_data
_NR, _ARCH = 0, 4


def _arg_lo(i: int) -> int:
    return 16 + 8 * i


def _arg_hi(i: int) -> int:
    return 16 + 8 * i + 4


X86_64 = {
    "socket": 41, "socketpair": 53, "clone": 56, "clone3": 435, "kill": 62, "tkill": 200, "tgkill": 234,
    "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297, "pidfd_send_signal": 424,
}
_DENIED_X86_64 = {
    "shmget": 29, "shmat": 30, "shmctl": 31, "semget": 64, "semop": 65, "semctl": 66, "msgget": 68, "msgsnd": 69,
    "msgrcv": 70, "msgctl": 71, "ptrace": 101, "syslog": 103, "uselib": 134, "personality": 135, "pivot_root": 155,
    "adjtimex": 159, "chroot": 161, "acct": 163, "settimeofday": 164, "mount": 165, "umount2": 166, "swapon": 167,
    "swapoff": 168, "reboot": 169, "sethostname": 170, "setdomainname": 171, "iopl": 172, "ioperm": 173,
    "init_module": 175, "delete_module": 176, "quotactl": 179, "nfsservctl": 180, "lookup_dcookie": 212,
    "semtimedop": 220, "clock_settime": 227, "mq_open": 240, "mq_unlink": 241, "mq_timedsend": 242,
    "mq_timedreceive": 243, "mq_notify": 244, "mq_getsetattr": 245, "kexec_load": 246, "add_key": 248,
    "request_key": 249, "keyctl": 250, "unshare": 272, "perf_event_open": 298, "fanotify_init": 300,
    "name_to_handle_at": 303, "open_by_handle_at": 304, "clock_adjtime": 305, "setns": 308,
    "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312, "finit_module": 313, "kexec_file_load": 320,
    "bpf": 321, "userfaultfd": 323, "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
    "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
    "pidfd_getfd": 438, "mount_setattr": 442, "quotactl_fd": 443, "memfd_secret": 447,
}


class SeccompError(OSError):
    """The filter could not be installed; the message says why."""


def supported() -> tuple[bool, str]:
    """``(True, "")`` where a filter can be built for this machine, else ``(False, reason)``."""
    machine = platform.machine()
    if machine not in ("x86_64", "AMD64"):
        return False, f"no seccomp syscall table for {machine} in this kit (x86_64 only)"
    return True, ""


def _stmt(code: int, k: int) -> tuple:
    return (code, 0, 0, k)


def _jump(code: int, k: int, jt: int, jf: int) -> tuple:
    return (code, jt, jf, k)


def _header() -> list[tuple]:
    """Kill a foreign architecture; load the syscall number; deny the x32 range."""
    return [
        _stmt(_LD_W_ABS, _ARCH),
        _jump(_JEQ_K, _AUDIT_ARCH_X86_64, 1, 0),
        _stmt(_RET_K, _RET_KILL_PROCESS),
        _stmt(_LD_W_ABS, _NR),
        _jump(_JGE_K, _X32_BIT, 0, 1),
        _stmt(_RET_K, _RET_KILL_PROCESS),
    ]


def base_program() -> list[tuple]:
    """The sandbox-wide filter (see the module docstring), as ``(code, jt, jf, k)`` instructions."""
    deny = sorted(_DENIED_X86_64.values())
    prog = _header()
    # Each check: "if nr == X goto handler". Handlers follow the list; offsets are computed below.
    checks = [("socket", X86_64["socket"]), ("socket", X86_64["socketpair"]), ("clone", X86_64["clone"]),
              ("clone3", X86_64["clone3"])] + [("deny", nr) for nr in deny]
    handlers = {  # label -> instructions; nr is no longer in the accumulator inside a handler
        "socket": [_stmt(_LD_W_ABS, _arg_lo(0)), _jump(_JEQ_K, _AF_UNIX, 0, 1), _stmt(_RET_K, _RET_ALLOW),
                   _stmt(_RET_K, _RET_ERRNO | errno.EACCES)],
        "clone": [_stmt(_LD_W_ABS, _arg_lo(0)), _jump(_JSET_K, _CLONE_NS_FLAGS, 0, 1),
                  _stmt(_RET_K, _RET_ERRNO | errno.EPERM), _stmt(_RET_K, _RET_ALLOW)],
        "clone3": [_stmt(_RET_K, _RET_ERRNO | errno.ENOSYS)],
        "deny": [_stmt(_RET_K, _RET_ERRNO | errno.EPERM)],
    }
    return _assemble(prog, checks, handlers)


_PID = 0x7AB1E5ED  # stands for the process's own pid in the cached program


def student_program(own_pid: int) -> list[tuple]:
    """Student code's filter: signals to ``own_pid`` only, and no new socket (see the module docstring)."""
    return [(c, jt, jf, own_pid if k == _PID and c == _JEQ_K else k) for c, jt, jf, k in _student_shape()]


@functools.lru_cache(maxsize=None)
def _student_shape() -> tuple:
    own_pid = _PID
    prog = [_stmt(_LD_W_ABS, _NR)]
    checks = [("self", X86_64["kill"]), ("self", X86_64["tgkill"]), ("self", X86_64["rt_sigqueueinfo"]),
              ("self", X86_64["rt_tgsigqueueinfo"]), ("deny", X86_64["tkill"]),
              ("deny", X86_64["pidfd_send_signal"]), ("deny", X86_64["socket"])]
    handlers = {
        # allow only when the first argument (a pid_t, sign-extended) is exactly own_pid
        "self": [_stmt(_LD_W_ABS, _arg_hi(0)), _jump(_JEQ_K, 0, 0, 2), _stmt(_LD_W_ABS, _arg_lo(0)),
                 _jump(_JEQ_K, own_pid, 1, 0), _stmt(_RET_K, _RET_ERRNO | errno.EPERM), _stmt(_RET_K, _RET_ALLOW)],
        "deny": [_stmt(_RET_K, _RET_ERRNO | errno.EPERM)],
    }
    return tuple(_assemble(prog, checks, handlers))


def _assemble(prog: list[tuple], checks: list[tuple[str, int]], handlers: dict[str, list]) -> list[tuple]:
    """Append "if nr == X goto handler" checks, an allow, then the handlers, resolving jump offsets."""
    order = list(dict.fromkeys(label for label, _ in checks))
    start = len(prog) + len(checks) + 1  # index of the first handler
    where, at = {}, start
    for label in order:
        where[label] = at
        at += len(handlers[label])
    for i, (label, nr) in enumerate(checks):
        pc = len(prog)
        offset = where[label] - (pc + 1)
        if offset > 255:
            raise SeccompError(errno.E2BIG, "seccomp program too long for a BPF jump")
        prog.append(_jump(_JEQ_K, nr, offset, 0))
    prog.append(_stmt(_RET_K, _RET_ALLOW))
    for label in order:
        prog.extend(handlers[label])
    return prog


@functools.lru_cache(maxsize=None)
def _libc():
    return ctypes.CDLL(None, use_errno=True)  # loaded once: forks inherit it


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install(program: list[tuple]) -> None:
    """Install ``program`` on this thread's process for good (after ``no_new_privs``).

    Raises :class:`SeccompError` with the reason when the kernel refuses.
    """
    ok, reason = supported()
    if not ok:
        raise SeccompError(errno.ENOSYS, reason)
    raw = b"".join(struct.pack("<HBBI", code, jt, jf, k) for code, jt, jf, k in program)
    buf = ctypes.create_string_buffer(raw, len(raw))
    fprog = _SockFprog(len(program), ctypes.cast(buf, ctypes.c_void_p))
    libc = _libc()
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        e = ctypes.get_errno()
        raise SeccompError(e, f"prctl(PR_SET_NO_NEW_PRIVS): {os.strerror(e)}")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        e = ctypes.get_errno()
        raise SeccompError(e, f"prctl(PR_SET_SECCOMP): {os.strerror(e)}")
