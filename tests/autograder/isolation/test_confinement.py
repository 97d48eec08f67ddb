"""Landlock, seccomp and the process helpers on their own, each in a throwaway process (they cannot be undone).

Network checks only talk to listeners this test started on 127.0.0.1."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap

import pytest

from autograder.isolation import landlock, seccomp

ABI, _ = landlock.abi_version()
SECCOMP, _ = seccomp.supported()


def in_child(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh interpreter (confinement cannot be undone); it prints one JSON object."""
    p = subprocess.run([sys.executable, "-I", "-c", textwrap.dedent(code), *args], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(ABI < 1, reason="no Landlock on this kernel")
def test_landlock_allows_only_its_rules(tmp_path):
    allowed, denied, out = tmp_path / "allowed", tmp_path / "denied", tmp_path / "out"
    for d in (allowed, denied, out):
        d.mkdir()
    (allowed / "a.txt").write_text("yes")
    (denied / "d.txt").write_text("secret")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.2)
    code = """
    import json, os, socket, sys
    from autograder.isolation import landlock, layout
    allowed, denied, out, port = sys.argv[1:5]
    rules = landlock.Rules(read=tuple(layout.host_read_paths()) + (allowed,), write=(out,), write_files=("/dev/null",))
    applied = landlock.restrict(rules)
    seen = {"abi": applied.abi, "tcp": applied.tcp_denied}
    def attempt(name, fn):
        try:
            seen[name] = fn()
        except OSError as exc:
            seen[name] = type(exc).__name__
    attempt("read_allowed", lambda: open(os.path.join(allowed, "a.txt")).read())
    attempt("read_denied", lambda: open(os.path.join(denied, "d.txt")).read())
    attempt("list_denied", lambda: os.listdir(denied))
    attempt("write_out", lambda: open(os.path.join(out, "w.txt"), "w").write("ok"))
    attempt("write_allowed", lambda: open(os.path.join(allowed, "w.txt"), "w").write("no"))
    attempt("proc", lambda: open("/proc/self/environ").read()[:5])
    attempt("tcp", lambda: socket.create_connection(("127.0.0.1", int(port)), timeout=1).close())
    print(json.dumps(seen))
    """
    try:
        seen = in_child(code, str(allowed), str(denied), str(out), str(server.getsockname()[1]))
        assert seen["read_allowed"] == "yes" and seen["write_out"] == 2
        assert seen["read_denied"] == seen["list_denied"] == seen["write_allowed"] == "PermissionError"
        assert seen["proc"] == "PermissionError"
        if ABI >= 4:
            assert seen["tcp"] == "PermissionError"
            with pytest.raises(socket.timeout):
                server.accept()
        assert not (allowed / "w.txt").exists() and (out / "w.txt").read_text() == "ok"
    finally:
        server.close()


@pytest.mark.skipif(not SECCOMP, reason="no seccomp table for this machine")
def test_seccomp_blocks_udp_tcp_and_dangerous_calls():
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    udp.settimeout(0.3)
    code = """
    import ctypes, json, os, socket, sys, threading
    from autograder.isolation import seccomp
    seccomp.install(seccomp.base_program())
    seen = {}
    def attempt(name, fn):
        try:
            seen[name] = fn()
        except OSError as exc:
            seen[name] = type(exc).__name__
    port = int(sys.argv[1])
    attempt("udp", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", port)))
    attempt("tcp6", lambda: socket.socket(socket.AF_INET6).close())
    attempt("netlink", lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW).close())
    attempt("unix", lambda: socket.socket(socket.AF_UNIX).close() or "ok")
    libc = ctypes.CDLL(None, use_errno=True)
    seen["ptrace"] = [libc.ptrace(16, os.getppid(), 0, 0), ctypes.get_errno()]   # PTRACE_ATTACH
    seen["unshare"] = [libc.unshare(0x10000000), ctypes.get_errno()]              # CLONE_NEWUSER
    seen["shmget"] = [libc.shmget(0, 4096, 0o1600), ctypes.get_errno()]           # IPC_PRIVATE | IPC_CREAT
    t = threading.Thread(target=lambda: seen.setdefault("thread", "ran"))        # clone3 -> clone fallback
    t.start(); t.join()
    pid = os.fork()
    if pid == 0:
        seccomp.install(seccomp.student_program(os.getpid()))
        out = {}
        try:
            socket.socket(socket.AF_UNIX).close()
            out["unix"] = "created"
        except OSError as exc:
            out["unix"] = type(exc).__name__
        for name, target in (("parent", os.getppid()), ("all", -1), ("self", os.getpid())):
            try:
                os.kill(target, 0)
                out[name] = "sent"
            except OSError as exc:
                out[name] = type(exc).__name__
        os.write(1, (json.dumps(out) + "\\n").encode())
        os._exit(0)
    os.waitpid(pid, 0)
    print(json.dumps(seen))
    """
    try:
        p = subprocess.run([sys.executable, "-I", "-c", textwrap.dedent(code), str(udp.getsockname()[1])],
                           capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        kid, seen = (json.loads(line) for line in p.stdout.strip().splitlines()[-2:])
        assert seen["udp"] == seen["tcp6"] == seen["netlink"] == "PermissionError"
        assert seen["unix"] == "ok" and seen["thread"] == "ran"
        assert seen["ptrace"] == [-1, 1] and seen["unshare"] == [-1, 1] and seen["shmget"] == [-1, 1]
        assert kid == {"parent": "PermissionError", "all": "PermissionError", "self": "sent", "unix": "PermissionError"}
        with pytest.raises(socket.timeout):
            udp.recvfrom(16)
    finally:
        udp.close()


def test_subreaper_sweep_kills_what_left_the_session():
    """setsid + double fork: the grandchild is adopted by the subreaper and killed by the sweep."""
    code = """
    import json, os, time
    from autograder.isolation import procs
    procs.make_subreaper()
    r, w = os.pipe()
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.write(w, str(os.getpid()).encode())
            time.sleep(60)
            os._exit(0)
        os._exit(0)
    os.close(w)
    daemon = int(os.read(r, 32))
    os.wait()
    time.sleep(0.05)
    adopted = daemon in procs.children()
    done = procs.sweep()
    print(json.dumps({"adopted": adopted, "swept": done, "alive": os.path.exists(f"/proc/{daemon}")}))
    """
    assert in_child(code) == {"adopted": True, "swept": True, "alive": False}
