"""Tests for autograder.sandbox + autograder.harness, on both backends.

Security properties (isolation, limits, hostile results) run on bwrap (skipped when it is not
usable) and on the fallback; harness logic that does not depend on the backend runs once.
"""
from __future__ import annotations

import itertools
import os
import shutil
import socket
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

import autograder
from autograder.isolation import sandbox
from autograder.isolation.sandbox import Call, Limits, SandboxUnavailable, prepare_job, run_job
from autograder.isolation.transport import Unsupported

HAVE_BWRAP = sandbox.bwrap_available()
IS_ROOT = os.geteuid() == 0
BWRAP = pytest.param("bwrap", marks=pytest.mark.skipif(not HAVE_BWRAP, reason="bwrap unusable"))
BACKENDS = [BWRAP, "fallback"]
_n = itertools.count()
# Fork-bomb tests run as their own uid: RLIMIT_NPROC and the "no process left" check are per
# uid, and other sandboxes (other graders on this machine) may be running as 65534.
BOMB_UID = 64999


def run(tmp_path, src, calls, backend="auto", setup=None, load_timeout_s=None, **kw):
    d = tmp_path / f"job{next(_n)}"
    prepare_job(d, textwrap.dedent(src), calls, setup_source=setup and textwrap.dedent(setup),
                load_timeout_s=load_timeout_s)
    res = run_job(d, backend=backend, **kw)
    if backend != "auto":
        assert res.backend == backend
    return res


def by_id(res):
    return {e["id"]: e for e in res.results}


def live_processes_of(uid):
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.stat(f"/proc/{name}").st_uid != uid:
                    continue
                with open(f"/proc/{name}/stat") as f:
                    state = f.read().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if state != "Z":
                out.append(int(name))
    return out


# ----------------------------------------------------------------------------- basics


@pytest.mark.parametrize("backend", BACKENDS)
def test_correct_function_returns_array_and_errors_carry_line(tmp_path, backend):
    src = """\
    import numpy as np

    import nnkit  # the course library is importable inside the sandbox

    def double(x):
        return x * 2, {"sum": float(x.sum())}

    def fails(x):
        y = x + 1
        raise ValueError(f"bad shape {y.shape}")

    not_a_function = 3
    """
    x = np.arange(6.0).reshape(2, 3)
    res = run(tmp_path, src, [Call("ok", "double", (x,)), Call("err", "fails", (x,)),
                              Call("miss", "nope"), Call("nc", "not_a_function")],
              backend=backend)
    r = by_id(res)
    assert res.returncode == 0 and not res.timed_out and res.killed_reason is None
    assert r["ok"]["status"] == "ok"
    arr, info = r["ok"]["value"]
    assert type(arr) is np.ndarray and arr.dtype == np.float64
    np.testing.assert_array_equal(arr, x * 2)
    assert info == {"sum": 15.0}
    assert r["err"]["status"] == "error"
    assert r["err"]["error_type"] == "ValueError"
    assert r["err"]["error_message"] == "bad shape (2, 3)"
    assert r["err"]["lineno"] == 10
    assert r["err"]["value"] is None
    assert r["miss"]["status"] == "missing" and "not defined" in r["miss"]["error_message"]
    assert r["nc"]["status"] == "missing" and "not callable" in r["nc"]["error_message"]
    assert res.load["status"] == "ok"


def test_load_errors_are_reported_with_line(tmp_path):
    res = run(tmp_path, """\
    def early():
        return 1
    x = 1 / 0
    def late():
        return 2
    """, [Call("a", "early"), Call("b", "late")])
    assert res.load["status"] == "error"
    assert res.load["error_type"] == "ZeroDivisionError" and res.load["lineno"] == 3
    r = by_id(res)
    assert r["a"]["status"] == "ok" and r["a"]["value"] == 1  # defined before the error
    assert r["b"]["status"] == "missing"

    res = run(tmp_path, "def f(:\n    pass\n", [Call("a", "f")])
    assert res.load["error_type"] == "SyntaxError" and res.load["lineno"] == 1
    assert res.results[0]["status"] == "missing"


def test_unsupported_results_are_described(tmp_path):
    res = run(tmp_path, """\
    import numpy as np
    def gen():
        return (i for i in range(3))
    def objarr():
        return np.array([1, None], dtype=object)
    """, [Call("g", "gen"), Call("o", "objarr")])
    r = by_id(res)
    assert r["g"]["status"] == "ok" and isinstance(r["g"]["value"], Unsupported)
    assert r["g"]["value"].type_name == "generator"
    assert r["o"]["value"].type_name == "numpy.ndarray with dtype object"


def test_setup_globals_override_student_definitions(tmp_path):
    setup = """\
    import numpy as np
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))
    """
    src = """\
    def sigmoid(z):
        return 42.0  # wrong on purpose
    def forward(z):
        return 2 * sigmoid(z)
    """
    res = run(tmp_path, src, [Call("f", "forward", (0.0,)), Call("s", "sigmoid", (0.0,))],
              setup=setup)
    r = by_id(res)
    assert r["f"]["value"] == 1.0  # student's forward used the reference sigmoid
    assert r["s"]["value"] == 0.5
    assert res.setup["status"] == "ok"


def test_replace_and_forbid(tmp_path):
    """write_job's per-call fields: other graded functions become references for one call (by
    path, or built by a factory); forbidden functions raise ReferenceUnavailable for one call,
    whatever name or alias reaches them, and are restored afterwards."""
    src = """\
    import numpy as np
    from nnkit.activations import sigmoid as ref_sigmoid
    import nnkit.activations as act

    def sigmoid(z):
        return 42.0                       # wrong on purpose
    def double_sigmoid(z):
        return 2 * sigmoid(z)             # uses whatever `sigmoid` is bound to
    def lazy_sigmoid(z):
        return ref_sigmoid(z)             # delegates (imported name)
    def lazy_sigmoid2(z):
        return act.sigmoid(z)             # delegates (module attribute)
    def lazy_sigmoid3(z):
        return float(act.get_activation("sigmoid")[0](np.array([[z]]))[0][0, 0])  # delegates (registry)
    def honest_sigmoid(z):
        return 1 / (1 + np.exp(-z))
    def bound(z):
        return helper(z)                  # a helper bound per call by a factory
    """
    d = tmp_path / "job"
    prepare_job(d, textwrap.dedent(src), [Call(c, "f", (0.0,)) for c in "abcdefgh"])
    ref = "nnkit.activations:sigmoid"
    forbid = [ref, "nnkit.activations:_sigmoid"]
    calls = [
        {"id": "a", "function": "double_sigmoid", "args": "args_a", "kwargs": "kwargs_a",
         "timeout_s": 5, "replace": {"sigmoid": ref}},
        {"id": "b", "function": "double_sigmoid", "args": "args_b", "timeout_s": 5},
        {"id": "c", "function": "lazy_sigmoid", "args": "args_c", "forbid": forbid},
        {"id": "d", "function": "lazy_sigmoid2", "args": "args_d", "forbid": forbid},
        {"id": "e", "function": "honest_sigmoid", "args": "args_e", "forbid": forbid,
         "replace": {"sigmoid": ref}},
        {"id": "f", "function": "lazy_sigmoid", "args": "args_f"},  # not forbidden
        {"id": "g", "function": "lazy_sigmoid3", "args": "args_g", "forbid": forbid},
        {"id": "h", "function": "bound", "args": "args_h",
         "replace": {"helper": {"factory": "functools:partial", "args": []}}},
    ]
    sandbox.write_job(d, calls)
    r = by_id(run_job(d))
    assert r["a"]["value"] == 1.0           # reference sigmoid(0) = 0.5, for this call only
    assert r["b"]["value"] == 84.0          # ... restored afterwards
    for cid in "cdg":
        assert r[cid]["status"] == "error" and r[cid]["error_type"] == "ReferenceUnavailable", r[cid]
        assert "nnkit.activations" in r[cid]["error_message"]
    assert r["e"]["status"] == "ok" and r["e"]["value"] == 0.5
    assert r["f"]["status"] == "ok" and r["f"]["value"] == 0.5  # restored after the forbidding calls
    assert r["h"]["status"] == "error"  # functools.partial() without a function: the factory ran, then raised
    with pytest.raises(ValueError):
        sandbox.write_job(d, [{"id": "x", "function": "f", "bogus": 1}])


def test_warnings_and_stderr_never_fail_a_call(tmp_path):
    res = run(tmp_path, """\
    import sys, warnings
    import numpy as np
    warnings.simplefilter("error")        # the student's global filter must not matter
    def noisy(x):
        warnings.warn("careful")
        y = np.exp(x)                      # RuntimeWarning: overflow
        sys.stderr.write("some noise on stderr\\n")
        print("hello")
        return y
    """, [Call("n", "noisy", (np.array([1000.0]),))])
    e = res.results[0]
    assert e["status"] == "ok", e
    assert np.isinf(e["value"][0])
    assert e["warnings"] >= 2
    assert "some noise" in e["stderr"] and e["stdout"] == "hello\n"


def test_input_mutation_is_reported(tmp_path):
    res = run(tmp_path, """\
    def scale_inplace(x):
        x *= 2
        return x
    def pure(x):
        return x * 2
    def append(lst, d):
        lst.append(1)
        return len(lst)
    def kw(a, *, opts):
        opts["seen"] = True
    """, [Call("m", "scale_inplace", (np.ones(3),)), Call("p", "pure", (np.ones(3),)),
          Call("l", "append", ([0], {"k": 1})),
          Call("k", "kw", (1,), {"opts": {"x": np.zeros(2)}})])
    r = by_id(res)
    assert r["m"]["inputs_modified"] and r["m"]["modified_inputs"] == ["args[0]"]
    assert not r["p"]["inputs_modified"] and r["p"]["modified_inputs"] == []
    assert r["l"]["modified_inputs"] == ["args[0]"]
    assert r["k"]["modified_inputs"] == ["kwargs['opts']"]


def test_crash_mid_job_loses_only_the_current_call(tmp_path):
    res = run(tmp_path, """\
    import os
    def ok():
        return "fine"
    def crash():
        os._exit(3)
    """, [Call("a", "ok"), Call("b", "crash"), Call("c", "ok")])
    r = by_id(res)
    assert res.returncode == 3 and "status 3" in res.killed_reason
    assert r["a"]["status"] == "ok" and r["a"]["value"] == "fine"
    assert list(r) == ["a"]  # unreported calls are left to the caller (e.g. to re-run)
    assert res.unreported == ("b", "c") and res.in_progress == "b"
    assert res.load_error is None


# ----------------------------------------------------------------------------- time limits


@pytest.mark.parametrize("backend", BACKENDS)
def test_per_call_timeout_costs_only_that_call(tmp_path, backend):
    res = run(tmp_path, """\
    import time
    def spin():
        while True:
            pass
    def swallow():
        try:
            time.sleep(30)
        except BaseException:
            pass          # swallows the first timeout ...
        while True:       # ... but the timer fires again
            pass
    def ok():
        return 7
    """, [Call("s", "spin", timeout_s=0.3), Call("w", "swallow", timeout_s=0.3),
          Call("o", "ok")], backend=backend)
    r = by_id(res)
    assert r["s"]["status"] == "timeout" and r["s"]["lineno"] in (3, 4)
    assert 0.25 < r["s"]["duration_s"] < 3
    assert r["w"]["status"] == "timeout"
    assert r["o"]["status"] == "ok" and r["o"]["value"] == 7
    assert not res.timed_out


@pytest.mark.parametrize("backend", BACKENDS)
def test_infinite_loop_at_import_hits_wall_time(tmp_path, backend):
    t0 = time.monotonic()
    # closing stdout/stderr first: the supervisor must not rely on the pipes to notice
    src = "import os\nos.close(1)\nos.close(2)\nwhile True:\n    pass\ndef f():\n    return 1\n"
    res = run(tmp_path, src, [Call("a", "f")], backend=backend, limits=Limits(wall_s=1.5))
    assert time.monotonic() - t0 < 5
    assert res.timed_out
    assert "wall-time limit of 1.5 s exceeded" in res.killed_reason
    assert res.results == [] and res.unreported == ("a",)
    assert res.in_progress == sandbox.LOAD_MARKER
    assert res.load_error["error_type"] == "JobTimeout"
    assert "while loading student.py" in res.load_error["error_message"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_cpu_limit_kills_with_a_clear_reason(tmp_path, backend):
    res = run(tmp_path, "def burn():\n    while True:\n        pass\n",
              [Call("a", "burn", timeout_s=60)], backend=backend,
              limits=Limits(cpu_s=1, wall_s=15))
    assert not res.timed_out
    assert "CPU time limit" in res.killed_reason
    assert res.results == [] and res.in_progress == "a"


# ----------------------------------------------------------------------------- resources


@pytest.mark.parametrize("backend", BACKENDS)
def test_memory_bomb_is_contained(tmp_path, backend):
    res = run(tmp_path, """\
    import numpy as np
    def big_array():
        return np.ones(4 << 30, dtype=np.uint8).sum()
    def big_bytes():
        return len(bytearray(4 << 30))
    def after():
        return "still alive"
    """, [Call("a", "big_array"), Call("b", "big_bytes"), Call("c", "after")],
              backend=backend)
    r = by_id(res)
    assert r["a"]["status"] == "error" and r["a"]["error_type"] == "MemoryError"
    assert r["b"]["status"] == "error" and r["b"]["error_type"] == "MemoryError"
    assert r["c"]["value"] == "still alive"


FORK_BOMB = """\
import os, time
def bomb(n):
    for i in range(n):
        try:
            pid = os.fork()
        except OSError as exc:
            return ["fork failed", i, type(exc).__name__]
        if pid == 0:
            time.sleep(4)
            os._exit(0)
    return ["all forked", n]
"""


def _check_fork_bomb(e, uid_to_check):
    assert e["status"] == "ok", e
    assert e["value"][0] == "fork failed", e["value"]
    assert e["value"][1] < 40
    if uid_to_check is not None:  # every bomb process was killed at the end of the job
        deadline = time.monotonic() + 2
        while live_processes_of(uid_to_check) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert live_processes_of(uid_to_check) == []


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("cgroup", [None, False], ids=["auto-cgroup", "rlimit-only"])
def test_bounded_fork_bomb_is_contained(tmp_path, backend, cgroup):
    if cgroup is False and IS_ROOT and backend == "fallback" \
            and sandbox._fallback_mode(65534, 65534) == "root":
        pytest.skip("sandbox runs as kuid 0 here: RLIMIT_NPROC alone cannot hold")
    res = run(tmp_path, FORK_BOMB, [Call("b", "bomb", (200,))], backend=backend,
              pids_cgroup=cgroup, limits=Limits(max_processes=32, wall_s=20),
              uid=BOMB_UID, gid=BOMB_UID)
    _check_fork_bomb(res.results[0], BOMB_UID if IS_ROOT else None)


@pytest.mark.skipif(not (IS_ROOT and sandbox._pids_cgroup_base()),
                    reason="needs a root grader and a writable pids cgroup")
def test_fork_bomb_contained_by_cgroup_when_sandbox_runs_as_root(tmp_path):
    """The worst case (fallback that could not drop root): RLIMIT_NPROC does not apply to
    uid 0, only the pids cgroup holds."""
    res = run(tmp_path, FORK_BOMB + "import os\ndef uid():\n    return os.getuid()\n",
              [Call("b", "bomb", (200,)), Call("u", "uid")], backend="fallback", _mode="root",
              pids_cgroup=True, limits=Limits(max_processes=32, wall_s=20))
    assert "mode=root" in res.isolation and res.results[1]["value"] == 0
    _check_fork_bomb(res.results[0], None)


@pytest.mark.skipif(not (HAVE_BWRAP and IS_ROOT), reason="needs a root grader and bwrap")
def test_bwrap_rootdrop_mode(tmp_path, world_readable_solutions, monkeypatch):
    """The mode used when unprivileged user namespaces are unavailable: bwrap as root, the
    child drops to 65534 itself.  Checks the same properties as the default mode."""
    monkeypatch.setenv("AUTOGRADER_TEST_SECRET", "hunter2-secret-value")
    src = FORK_BOMB + READ_FILE + textwrap.dedent("""\
    import socket
    def probe():
        with open("made-by-student.txt", "w") as f:
            f.write("x")
        try:
            socket.create_connection(("127.0.0.1", 9), timeout=1)
            net = "connected"
        except OSError as exc:
            net = type(exc).__name__
        return [os.getresuid(), os.getgroups(), net, sorted(os.environ)]
    """)
    res = run(tmp_path, src, [Call("p", "probe"), Call("s", "read", (str(world_readable_solutions),)),
                              Call("b", "bomb", (200,))],
              backend="bwrap", _mode="rootdrop", pids_cgroup=False,
              limits=Limits(max_processes=32, wall_s=20), uid=BOMB_UID, gid=BOMB_UID)
    r = by_id(res)
    assert "mode=rootdrop" in res.isolation
    resuid, groups, net, env = r["p"]["value"]
    assert resuid == (BOMB_UID,) * 3 and groups == []
    assert net != "connected" and "AUTOGRADER_TEST_SECRET" not in env
    assert next(tmp_path.glob("job*/made-by-student.txt")).stat().st_uid == BOMB_UID
    assert r["s"]["error_type"] == "FileNotFoundError"
    _check_fork_bomb(r["b"], BOMB_UID)


@pytest.mark.parametrize("backend", BACKENDS)
def test_output_flood_is_capped(tmp_path, backend):
    t0 = time.monotonic()
    res = run(tmp_path, """\
    import os, sys
    def flood():
        chunk = "x" * 65536
        for _ in range(80):                          # 5 MiB through print()
            print(chunk)
        for _ in range(80):                          # 5 MiB straight to fd 1 and fd 2
            os.write(1, chunk.encode())
            os.write(2, chunk.encode())
        return "done"
    """, [Call("f", "flood")], backend=backend, limits=Limits(max_output_bytes=8192))
    e = res.results[0]
    assert e["status"] == "ok" and e["value"] == "done"
    assert e["stdout_truncated"] and len(e["stdout"]) <= 16 * 1024
    assert len(res.stdout_tail) < 8192 + 100 and "bytes omitted" in res.stdout_tail
    assert len(res.stderr_tail) < 8192 + 100
    assert time.monotonic() - t0 < 10


# ----------------------------------------------------------------------------- isolation


@pytest.mark.parametrize("backend", BACKENDS)
def test_parent_environment_is_not_visible(tmp_path, backend, monkeypatch):
    monkeypatch.setenv("AUTOGRADER_TEST_SECRET", "hunter2-secret-value")
    res = run(tmp_path, "import os\ndef env():\n    return dict(os.environ)\n",
              [Call("e", "env")], backend=backend)
    env = res.results[0]["value"]
    assert isinstance(env, dict) and "PATH" in env
    assert "AUTOGRADER_TEST_SECRET" not in env
    assert not any("hunter2" in v for v in env.values())
    assert set(env) <= set(sandbox._env("/tmp")) | {"PWD"}


@pytest.fixture
def world_readable_solutions():
    d = Path(tempfile.mkdtemp(prefix="ag-solutions-"))
    os.chmod(d, 0o755)
    (d / "solutions").mkdir(mode=0o755)
    f = d / "solutions" / "ps1_solution.py"
    f.write_text("ANSWER = 'the hidden solution'\n")
    os.chmod(f, 0o644)
    yield f
    shutil.rmtree(d)


READ_FILE = """\
def read(path):
    with open(path) as f:
        return f.read()
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_solutions_outside_jobdir(tmp_path, backend, world_readable_solutions):
    repo_file = Path(autograder.__file__).resolve().parents[1] / "pyproject.toml"
    res = run(tmp_path, READ_FILE, [Call("s", "read", (str(world_readable_solutions),)),
                                    Call("r", "read", (str(repo_file),))], backend=backend)
    r = by_id(res)
    if backend == "bwrap":
        assert r["s"]["status"] == "error" and r["s"]["error_type"] == "FileNotFoundError"
        assert r["r"]["error_type"] == "FileNotFoundError"  # the repository is not bound
    else:  # documented weakness of the fallback: world-readable files stay readable
        assert r["s"]["status"] == "ok" and "hidden solution" in r["s"]["value"]


@pytest.mark.skipif(not IS_ROOT, reason="privilege drop only applies to a root grader")
@pytest.mark.parametrize("backend", BACKENDS)
def test_root_only_files_unreadable_and_gradebook_unwritable(tmp_path, backend):
    if backend == "fallback" and sandbox._fallback_mode(65534, 65534) != "setuid":
        pytest.skip("fallback cannot drop privileges on this machine")
    d = Path(tempfile.mkdtemp(prefix="ag-private-"))
    try:
        os.chmod(d, 0o755)
        secret, gradebook = d / "secret.txt", d / "gradebook.db"
        secret.write_text("root only")
        os.chmod(secret, 0o600)
        gradebook.write_text("grades")
        os.chmod(gradebook, 0o644)
        res = run(tmp_path, READ_FILE + textwrap.dedent("""\
        def write(path):
            with open(path, "a") as f:
                f.write("hacked")
        import os
        def ids():
            with open("made-by-student.txt", "w") as f:  # in JOBDIR: reveals the real uid
                f.write("x")
            return [os.getuid(), os.getgid()]
        """), [Call("r", "read", (str(secret),)), Call("w", "write", (str(gradebook),)),
               Call("i", "ids")], backend=backend)
        r = by_id(res)
        assert r["r"]["error_type"] in ("PermissionError", "FileNotFoundError")
        assert r["w"]["error_type"] in ("PermissionError", "FileNotFoundError", "OSError")
        assert gradebook.read_text() == "grades"
        assert r["i"]["value"] == [65534, 65534]
        # the uid seen from outside any user namespace (kuid): not root
        made = next(tmp_path.glob("job*/made-by-student.txt"))
        assert made.stat().st_uid == 65534
    finally:
        shutil.rmtree(d)


@pytest.mark.parametrize("backend", BACKENDS)
def test_network(tmp_path, backend):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.1)
    port = server.getsockname()[1]
    try:
        res = run(tmp_path, """\
        import socket
        def connect(port):
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            s.close()
            return "connected"
        """, [Call("n", "connect", (port,))], backend=backend)
        e = res.results[0]
        if backend == "bwrap":
            assert e["status"] == "error", e
            assert e["error_type"] in ("ConnectionRefusedError", "OSError", "TimeoutError")
            with pytest.raises(socket.timeout):
                server.accept()
        else:  # documented: the fallback has no network isolation
            assert e["status"] == "ok" and e["value"] == "connected"
    finally:
        server.close()


# ----------------------------------------------------------------------------- hostile child


MALICIOUS = """\
import io, json, os, zipfile
import numpy as np

def doc(tree):
    return json.dumps({"format": "autograder-payload", "version": 1, "tree": tree})

class Boom:
    def __reduce__(self):
        return (exec, ("open(MARKER, 'w').write('pwned')",))

def entry(cid, **kw):
    e = {"id": cid, "status": "ok", "result": "result_" + cid, "stdout": "", "stderr": "",
         "duration_s": 0.0, "warnings": 0, "inputs_modified": False, "modified_inputs": []}
    e.update(kw)
    return e

def attack(marker):
    global MARKER
    MARKER = marker
    # c1: an object array (pickle) inside the npz
    with open("result_c1.json", "w") as f:
        f.write(doc({"__ndarray__": "a0"}))
    buf = io.BytesIO()
    np.save(buf, np.array([Boom()], dtype=object), allow_pickle=True)
    with zipfile.ZipFile("result_c1.npz", "w") as z:
        z.writestr("a0.npy", buf.getvalue())
    # c2: absurdly deep nesting
    with open("result_c2.json", "w") as f:
        f.write('{"format": "autograder-payload", "version": 1, "tree": '
                + "[" * 200000 + "]" * 200000 + "}")
    np.savez("result_c2.npz")
    # c3: a symlink to a file the grader can read
    os.symlink("/etc/passwd", "result_c3.json")
    np.savez("result_c3.npz")
    # c4: wrong field types
    calls = [entry("c1"), entry("c2"), entry("c3"), entry("c4", lineno="12"),
             entry("c9")]                    # c9 was never requested
    with open("results.json", "w") as f:
        json.dump({"version": 1, "done": True, "calls": calls}, f)
    with open("job.json", "w") as f:         # tampering with the job changes nothing
        f.write("{}")
    os._exit(0)

def huge():
    with open("results.json", "w") as f:
        f.write('{"calls": [' + " " * (30 << 20) + "]}")
    os._exit(0)
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_malicious_results_are_rejected_with_reasons(tmp_path, backend):
    marker = tmp_path / "pwned"
    calls = [Call("c1", "attack", (str(marker),))] + [Call(c, "attack", (str(marker),))
                                                       for c in ("c2", "c3", "c4")]
    res = run(tmp_path, MALICIOUS, calls, backend=backend)
    r = by_id(res)
    assert [e["id"] for e in res.results] == ["c1", "c2", "c3", "c4"]
    assert r["c1"]["status"] == "error" and r["c1"]["error_type"] == "InvalidResult"
    assert "not allowed" in r["c1"]["error_message"]
    assert not marker.exists()
    assert r["c2"]["error_type"] == "InvalidResult" and "deep" in r["c2"]["error_message"]
    assert r["c3"]["error_type"] == "InvalidResult" and "cannot open" in r["c3"]["error_message"]
    assert r["c4"]["error_type"] == "ProtocolError" and "lineno" in r["c4"]["error_message"]
    assert all(e["value"] is None for e in res.results)

    res = run(tmp_path, MALICIOUS, [Call("h", "huge")], backend=backend,
              limits=Limits(max_file_bytes=64 << 20))
    e = res.results[0]
    assert e["status"] == "error" and e["error_type"] == "ProtocolError"
    assert "larger than" in e["error_message"]


# ----------------------------------------------------------------------------- backend choice


def test_fallback_is_used_when_bwrap_is_missing(tmp_path, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(sandbox.shutil, "which",
                        lambda name, *a, **k: None if name == "bwrap" else real_which(name, *a, **k))
    sandbox._bwrap_mode.cache_clear()
    try:
        assert not sandbox.bwrap_available()
        with pytest.raises(SandboxUnavailable):
            run(tmp_path, "def f():\n    return 1\n", [Call("a", "f")], backend="bwrap")
        res = run(tmp_path, "def f():\n    return 1\n", [Call("a", "f")])
        assert res.backend == "fallback" and res.results[0]["value"] == 1
        assert any("network: NOT isolated" in n for n in res.isolation)
    finally:
        monkeypatch.undo()
        sandbox._bwrap_mode.cache_clear()
    assert sandbox.bwrap_available() == HAVE_BWRAP


@pytest.mark.skipif(not HAVE_BWRAP, reason="bwrap unusable")
def test_auto_prefers_bwrap_and_reports_isolation(tmp_path):
    res = run(tmp_path, "def f():\n    return 1\n", [Call("a", "f")])
    assert res.backend == "bwrap"
    assert any("network: isolated" in n for n in res.isolation)


@pytest.mark.skipif(not (HAVE_BWRAP and IS_ROOT and shutil.which("setpriv")),
                    reason="needs a root grader, bwrap and setpriv")
def test_root_grader_uses_real_unprivileged_uid_when_the_kernel_allows_it():
    """Independent check: if uid 65534 can create a bwrap sandbox here, 'setuid' mode must be
    chosen (bwrap itself then runs unprivileged; 'rootdrop' is the second choice)."""
    import subprocess

    probe = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", shutil.which("bwrap"),
         "--ro-bind", "/", "/", "--unshare-all", "true"], capture_output=True, timeout=20)
    if probe.returncode != 0:
        pytest.skip("unprivileged user namespaces are not available to uid 65534")
    assert sandbox._bwrap_mode(65534, 65534) == "setuid"


def test_harness_runs_by_file_path_with_only_numpy(tmp_path):
    """`python -I path/to/harness.py JOBDIR` works without the package being installed."""
    import subprocess
    import sys

    d = prepare_job(tmp_path / "job", "def f(x):\n    return [x, x]\n", [Call("a", "f", (2,))])
    harness = Path(autograder.__file__).parent / "isolation" / "harness.py"
    p = subprocess.run([sys.executable, "-I", "-B", str(harness), str(d)], cwd="/",
                       capture_output=True, text=True, timeout=30, env={"PATH": "/usr/bin:/bin"})
    assert p.returncode == 0, p.stderr
    results = sandbox._collect(str(d), ["a"], sandbox.transport.PayloadLimits(), 0, False)[0]
    assert results[0]["status"] == "ok" and results[0]["value"] == [2, 2]


def test_rerun_does_not_reuse_stale_results(tmp_path):
    d = prepare_job(tmp_path / "job", "def f():\n    return 1\n", [Call("a", "f")])
    assert run_job(d).results[0]["value"] == 1
    (d / "student.py").write_text("import os\nos._exit(5)\n")
    res = run_job(d)
    assert res.returncode == 5 and res.results == [] and res.unreported == ("a",)
    assert not (d / "result_a.json").exists()
    assert res.load_error["error_type"] == "SandboxDied"


@pytest.mark.skipif(not HAVE_BWRAP, reason="bwrap unusable")
def test_bwrap_read_only_paths_under_tmp_stay_visible(tmp_path):
    """A checkout or venv under /tmp (as CI clones often are) must not be hidden by the sandbox's
    private /tmp: the private tmpfs is mounted before the read-only binds."""
    shared = Path(tempfile.mkdtemp(dir="/tmp", prefix="nnkit-ro-"))
    try:
        (shared / "data.txt").write_text("visible")
        shared.chmod(0o755)
        (shared / "data.txt").chmod(0o644)
        src = f"""
        def read():
            return open({str(shared / 'data.txt')!r}).read()
        """
        res = run(tmp_path, src, [Call("r", "read")], backend="bwrap", extra_ro_paths=(str(shared),))
        entry = by_id(res)["r"]
        assert entry["status"] == "ok", entry
        assert entry["value"] == "visible"
    finally:
        shutil.rmtree(shared, ignore_errors=True)
