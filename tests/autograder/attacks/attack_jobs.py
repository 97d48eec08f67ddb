"""The attacks, as student code, and what must be observed after each (shared by every backend and user).

Each attack is a student function returning what it managed to do (file contents, a listing, an
exception's name); :func:`failures` lists every expectation that did not hold. The grader side
(:mod:`attack_runner`) adds what it observed itself: connections accepted by its listeners, processes
left running, files left on the host, the gradebook's content, points given to reference bypasses.
"""
from __future__ import annotations

ATTACKS = r'''
import ctypes, gc, json, os, signal, socket, subprocess, sys, time

def _try(fn):
    try:
        return ["ok", fn()]
    except BaseException as exc:
        return ["denied", type(exc).__name__]

def read(path):
    return _try(lambda: open(path).read())

def listdir(path):
    return _try(lambda: sorted(os.listdir(path)))

def write(path):
    return _try(lambda: open(path, "a").write("HACKED"))

def environment():
    return dict(os.environ)

def grader_proc(pid):
    return [read(f"/proc/{pid}/environ"), read(f"/proc/{pid}/cmdline"), listdir(f"/proc/{pid}/cwd"),
            read(f"/proc/{pid}/mem")]

def tcp(port):
    return _try(lambda: socket.create_connection(("127.0.0.1", port), timeout=2).sendall(b"STOLEN"))

def udp(port):
    return _try(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"STOLEN", ("127.0.0.1", port)))

def abstract_unix(name):
    def go():
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(2)
        s.connect("\0" + name)
        s.sendall(b"STOLEN")
    return _try(go)

def unix_path(path):
    def go():
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(2)
        s.connect(path)
        s.sendall(b"STOLEN")
    return _try(go)

def escape(token):
    """A daemon that leaves the session (setsid + double fork) and sleeps under a recognisable name."""
    r, w = os.pipe()
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv("/bin/sleep", ["sleep", "1000." + token])
        os._exit(0)
    os.wait()
    return "spawned"

def signals(pid):
    return [_try(lambda: os.kill(pid, 0)), _try(lambda: os.kill(-1, 0)), _try(lambda: os.kill(1, 0))]

def ptrace(pid):
    libc = ctypes.CDLL(None, use_errno=True)
    return [libc.ptrace(16, pid, 0, 0), ctypes.get_errno()]

def temp_files(token):
    return [write(os.path.join(d, "ag-" + token)) for d in ("/tmp", "/dev/shm", "/var/tmp")] + \
        [write(os.path.join(os.environ.get("TMPDIR", "/nonexistent"), "mine-" + token))]

def leave_state(token):
    import numpy, nnkit
    nnkit.CHEAT = token                   # module state of the worker's imports
    numpy.allclose = lambda *a, **k: True  # a patched library
    os.environ["LEFT"] = token
    return "left"

def fork_bomb(n):
    kids = []
    for i in range(n):
        try:
            pid = os.fork()
        except OSError as exc:
            return ["fork failed", i, type(exc).__name__]
        if pid == 0:
            time.sleep(5)
            os._exit(0)
        kids.append(pid)
    return ["all forked", n]

def deep_chain(n):
    for _ in range(n):
        os.mkdir("d")
        os.chdir("d")
    os.chmod(".", 0)
    return n

def mount_and_namespaces():
    libc = ctypes.CDLL(None, use_errno=True)
    return [libc.unshare(0x10000000), libc.mount(b"none", b"/tmp", b"tmpfs", 0, None), os.getuid()]
'''

AFTER = r'''
import os, sys

def find_state(token):
    import numpy, nnkit
    found = []
    if getattr(nnkit, "CHEAT", None) == token:
        found.append("module state")
    if numpy.allclose(0, 1):
        found.append("patched numpy")
    if os.environ.get("LEFT") == token:
        found.append("environment")
    for d in ("/tmp", "/dev/shm", "/var/tmp"):
        if os.path.exists(os.path.join(d, "ag-" + token)):
            found.append(d)
    return found
'''

SLOW = r'''
import os, time

def hold(token):
    open("held-" + token, "w").write("mine")
    time.sleep(3)
    return os.getcwd()
'''

SPY = r'''
import os

def spy(folder, token):
    out = []
    for path in (folder, os.path.dirname(folder), os.path.dirname(os.path.dirname(folder))):
        try:
            out.append(sorted(os.listdir(path)))
        except OSError as exc:
            out.append(type(exc).__name__)
    for root, dirs, files in os.walk(folder):
        for f in files:
            if token in f:
                out.append(open(os.path.join(root, f)).read())
    return out
'''

# Reference bypasses of assignment 1's `sigmoid` (its reference and nnkit's `_sigmoid` are forbidden).
BYPASSES = {
    "delegate": "from nnkit.activations import sigmoid as _s\ndef sigmoid(z):\n    return _s(z)\n",
    "unwrap": ("import inspect\nimport nnkit.activations as _a\n"
               "def sigmoid(z):\n    return inspect.unwrap(_a.sigmoid)(z)\n"),
    # default arguments are evaluated while student.py loads: before any call
    "copy-at-load": ("import types\nimport numpy as np\nimport nnkit.activations as _a\n"
                     "def sigmoid(z, _copy=types.FunctionType(_a._sigmoid.__code__, _a._sigmoid.__globals__)):\n"
                     "    s = _copy(np.asarray(z, dtype=float))\n    return s if s.ndim else float(s)\n"),
    "call-at-load": ("import numpy as np\nimport nnkit.activations as _a\n"
                     "def sigmoid(z, _table=[(x, _a.sigmoid(x)) for x in np.linspace(-5, 5, 11)]):\n"
                     "    return dict(_table)[z]\n"),
    "reference-module": ("from autograder.assignments.a01_logistic_regression import references as _r\n"
                         "def sigmoid(z):\n    return _r.sigmoid(z)\n"),
    "reload": ("import importlib\nimport nnkit.activations as _a\n"
               "def sigmoid(z):\n    return importlib.reload(_a).sigmoid(z)\n"),
    "sys-modules": ("import importlib, sys\n"
                    "def sigmoid(z):\n    for name in [m for m in sys.modules if m.startswith('nnkit')]:\n"
                    "        del sys.modules[name]\n    return importlib.import_module('nnkit.activations').sigmoid(z)\n"),
    "exec-file": ("import nnkit.activations as _a\n"
                  "def sigmoid(z):\n    ns = {'__name__': 'copy'}\n    exec(open(_a.__file__).read(), ns)\n"
                  "    return ns['sigmoid'](z)\n"),
    "pyc": ("import glob, marshal, os\nimport nnkit.activations as _a\n"
            "def sigmoid(z):\n    d = os.path.join(os.path.dirname(_a.__file__), '__pycache__')\n"
            "    code = marshal.loads(open(glob.glob(d + '/activations*.pyc')[0], 'rb').read()[16:])\n"
            "    ns = {'__name__': 'copy'}\n    exec(code, ns)\n    return ns['sigmoid'](z)\n"),
    "gc-scan": ("import gc, types\n"
                "def sigmoid(z):\n    for o in gc.get_objects():\n"
                "        if isinstance(o, types.FunctionType) and o.__name__ in ('sigmoid', '_sigmoid') and "
                "'nnkit' in (o.__module__ or ''):\n"
                "            try:\n                return o(z)\n            except Exception:\n                pass\n"
                "    raise RuntimeError('no copy found')\n"),
    "exit-handler": ("import atexit, json\nimport nnkit.activations as _a\n"
                     "def _forge():\n    with open('entries.jsonl', 'a') as f:\n"
                     "        for i in range(8):\n"
                     "            f.write(json.dumps({'call': {'id': f'sigmoid-{i}', 'status': 'ok', "
                     "'result': f'result_sigmoid-{i}'}}) + '\\n')\n"
                     "def sigmoid(z):\n    atexit.register(_forge)\n    try:\n        return _a.sigmoid(z)\n"
                     "    except Exception:\n        raise SystemExit(0)\n"),
}


#: Bypasses that read nnkit's source again: only Landlock stops them (see the README).
NEED_LANDLOCK = ("reload", "sys-modules", "exec-file", "pyc")


def calls(env: dict):
    """The attack calls, given what the grader prepared (paths, ports, its pid, the token)."""
    from autograder.isolation import Call

    t = env["token"]
    c = [("solution", "read", env["solution"]), ("gradebook", "read", env["gradebook"]),
         ("gradebook_w", "write", env["gradebook"]), ("course_w", "write", env["course"] + "/hacked-" + t),
         ("course_ls", "listdir", env["course"]), ("other", "read", env["other"]), ("home", "read", env["home_secret"]),
         ("package_w", "write", env["package_dir"] + "/hacked-" + t), ("shadow", "read", "/etc/shadow"),
         ("jobs_root", "listdir", env["jobs_root"]), ("proc", "grader_proc", env["grader_pid"]),
         ("tcp", "tcp", env["tcp"]), ("udp", "udp", env["udp"]), ("unix", "abstract_unix", env["unix"]),
         ("unix_path", "unix_path", env["unix_path"]),
         ("escape", "escape", t), ("signals", "signals", env["grader_pid"]), ("ptrace", "ptrace", env["grader_pid"]),
         ("tmp", "temp_files", t), ("state", "leave_state", t), ("bomb", "fork_bomb", 200), ("deep", "deep_chain", 1500),
         ("ns", "mount_and_namespaces", None)]
    out = [Call(cid, fn, () if arg is None else (arg,), timeout_s=20) for cid, fn, arg in c]
    return out + [Call("env", "environment", timeout_s=20)]


def failures(report: dict, env: dict) -> list[str]:
    """Every expectation that failed (empty: all attacks were contained)."""
    bad = []
    r, seen = report["results"], report["observed"]
    secrets = [f"{kind}-{env['token']}" for kind in ("SOLUTION", "GRADEBOOK", "OTHER", "HOME", "ENV")]
    blob = str({k: v for k, v in r.items() if k != "env"})
    bad += [f"{s} was read by student code" for s in secrets if s in blob]
    for cid in ("solution", "gradebook", "gradebook_w", "course_w", "course_ls", "other", "home", "package_w", "shadow",
                "jobs_root", "tcp", "udp", "unix", "unix_path"):
        v = r[cid].get("value")
        if r[cid]["status"] != "ok" or not (isinstance(v, list) and v[0] == "denied"):
            bad.append(f"{cid}: not denied ({r[cid]['status']}: {str(v)[:200]})")
    env_seen = r["env"].get("value") or {}
    if any(env["token"] in str(v) for v in env_seen.values()) or "AUTOGRADER_TEST_SECRET" in env_seen:
        bad.append("the grader's environment reached student code")
    if any(p[0] == "ok" for p in (r["proc"].get("value") or [["ok"]])):
        bad.append(f"the grader's /proc was readable: {str(r['proc'].get('value'))[:300]}")
    if any(p[0] == "ok" for p in (r["signals"].get("value") or [["ok"]])):
        bad.append(f"student code could signal outside its process: {r['signals'].get('value')}")
    if (r["ptrace"].get("value") or [0])[0] != -1:
        bad.append("ptrace of the grader succeeded")
    tmp = r["tmp"].get("value") or []
    if len(tmp) != 4 or tmp[3][0] != "ok":
        bad.append(f"the job's own TMPDIR was not writable: {tmp}")
    for cid, expected in (("escape", "spawned"), ("state", "left")):  # the attack really ran
        if r[cid].get("value") != expected:
            bad.append(f"{cid} did not run (the check is void): {r[cid]}")
    bomb = r["bomb"].get("value") or []
    if r["bomb"]["status"] != "ok" or bomb[0] != "fork failed" or bomb[1] >= 64:
        bad.append(f"fork bomb not bounded: {r['bomb']}")
    if r["deep"].get("value") != 1500:
        bad.append(f"deep chain not built (the cleanup test is void): {r['deep']}")
    ns = r["ns"].get("value") or [0, 0, 0]
    if ns[0] == 0 or ns[1] == 0 or (env["root"] and ns[2] == 0):
        bad.append(f"namespaces/mount/uid 0 available to student code: {ns}")
    for what in ("tcp_accepted", "udp_received", "unix_accepted", "unix_path_accepted"):
        if seen[what]:
            bad.append(f"{what}: {seen[what]}")
    for what in ("survivors", "host_files", "left_in_next_job", "leftover_job_folders", "spy_saw"):
        if seen[what]:
            bad.append(f"{what}: {str(seen[what])[:300]}")
    if not seen["gradebook_intact"]:
        bad.append("the gradebook changed")
    for name, got in report["bypasses"].items():
        if name in NEED_LANDLOCK and not report["protections"]["landlock_abi"]:
            continue  # documented: without Landlock, reading nnkit's source inside the sandbox rebuilds it
        if got["points"] != 0 or got["status"] not in ("delegated", "error", "crashed", "wrong", "missing"):
            bad.append(f"reference bypass {name!r} scored {got}")
    return bad
