"""The harness inside the sandbox, on both backends: values and errors come back as plain data, each
graded function runs in its own process (a crash, timeout or limit costs that function only), and
the student's claims are validated. Checks are grouped into few jobs (one sandbox start each)."""
from __future__ import annotations

import numpy as np
import pytest
from sandbox_helpers import BACKENDS, Call, by_id, run

from autograder.isolation import Limits
from autograder.isolation.child import LOAD_MARKER
from autograder.isolation.transport import Unsupported

BASICS = """\
import os, sys, warnings
import numpy as np
import nnkit  # the course library is importable inside the sandbox

warnings.simplefilter("error")        # the student's global filter must not matter

def double(x):
    return x * 2, {"sum": float(x.sum())}

def fails(x):
    y = x + 1
    raise ValueError(f"bad shape {y.shape}")

not_a_function = 3

def gen():
    return (i for i in range(3))

def objarr():
    return np.array([1, None], dtype=object)

def noisy(x):
    warnings.warn("careful")
    y = np.exp(x)                      # RuntimeWarning: overflow
    sys.stderr.write("some noise on stderr\\n")
    print("hello")
    return y

def scale_inplace(x):
    x *= 2
    return x

def kw(a, *, opts):
    opts["seen"] = True

def crash():
    os._exit(3)

def after_crash():
    return "still graded"

def spin():
    while True:
        pass

def swallow():
    import time
    try:
        time.sleep(30)
    except BaseException:
        pass          # swallows the first timeout ...
    while True:       # ... but the timer fires again
        pass

def block_timer():
    import signal, time
    signal.signal(signal.SIGALRM, signal.SIG_IGN)   # no timer can stop it: its process is killed
    time.sleep(60)

def big_array():
    return np.ones(4 << 30, dtype=np.uint8).sum()

def flood():
    chunk = "x" * 65536
    for _ in range(80):                          # 5 MiB through print()
        print(chunk)
    for _ in range(80):                          # 5 MiB straight to fd 1 and fd 2
        os.write(1, chunk.encode())
        os.write(2, chunk.encode())
    return "done"

def burn():
    while True:
        pass
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_values_errors_and_limits_each_cost_one_function(backend):
    x = np.arange(6.0).reshape(2, 3)
    res = run(BASICS, [
        Call("ok", "double", (x,)), Call("err", "fails", (x,)), Call("miss", "nope"), Call("nc", "not_a_function"),
        Call("gen", "gen"), Call("obj", "objarr"), Call("noisy", "noisy", (np.array([1000.0]),)),
        Call("mut", "scale_inplace", (np.ones(3),)), Call("kw", "kw", (1,), {"opts": {"x": np.zeros(2)}}),
        Call("crash", "crash"), Call("crash2", "crash"), Call("after", "after_crash"),
        Call("spin", "spin", timeout_s=0.3), Call("spin2", "spin", timeout_s=0.3),
        Call("swallow", "swallow", timeout_s=0.3), Call("blocked", "block_timer", timeout_s=0.5),
        Call("mem", "big_array"), Call("flood", "flood"), Call("cpu", "burn", timeout_s=60),
    ], backend=backend, limits=Limits(cpu_s=1, max_output_bytes=8192, wall_s=90))
    r = by_id(res)
    assert res.killed_reason is None and not res.unreported
    arr, info = r["ok"]["value"]
    assert type(arr) is np.ndarray and arr.dtype == np.float64
    np.testing.assert_array_equal(arr, x * 2)
    assert info == {"sum": 15.0}
    assert (r["err"]["status"], r["err"]["error_type"], r["err"]["error_message"]) == ("error", "ValueError",
                                                                                       "bad shape (2, 3)")
    lines = BASICS.splitlines()
    assert r["err"]["lineno"] == lines.index("def fails(x):") + 3 and r["err"]["value"] is None
    assert r["miss"]["status"] == "missing" and "not defined" in r["miss"]["error_message"]
    assert r["nc"]["status"] == "missing" and "not callable" in r["nc"]["error_message"]
    assert isinstance(r["gen"]["value"], Unsupported) and r["gen"]["value"].type_name == "generator"
    assert r["obj"]["value"].type_name == "numpy.ndarray with dtype object"
    assert r["noisy"]["status"] == "ok" and np.isinf(r["noisy"]["value"][0]) and r["noisy"]["warnings"] >= 2
    assert "some noise" in r["noisy"]["stderr"] and r["noisy"]["stdout"] == "hello\n"
    assert r["mut"]["modified_inputs"] == ["args[0]"] and r["kw"]["modified_inputs"] == ["kwargs['opts']"]
    # os._exit costs its own function only: the next case is skipped, the next function runs
    assert r["crash"]["status"] == "crashed" and "status 3" in r["crash"]["error_message"]
    assert r["crash2"]["status"] == "skipped"
    assert r["after"]["status"] == "ok" and r["after"]["value"] == "still graded"
    spin = lines.index("def spin():") + 1
    assert r["spin"]["status"] == "timeout" and r["spin"]["lineno"] in (spin + 1, spin + 2)
    assert r["spin"]["duration_s"] >= 0.25 and r["spin2"]["status"] == "skipped"  # stopped by its own timer
    assert r["swallow"]["status"] == "timeout"
    assert r["blocked"]["status"] == "timeout" and "stopped" in r["blocked"]["error_message"]
    assert r["mem"]["status"] == "error" and r["mem"]["error_type"] == "MemoryError"
    assert r["flood"]["value"] == "done" and r["flood"]["stdout_truncated"] and len(r["flood"]["stdout"]) <= 16384
    assert len(res.stdout_tail) < 8192 + 100 and "bytes omitted" in res.stdout_tail
    assert r["cpu"]["status"] == "crashed" and "CPU time limit" in r["cpu"]["error_message"]
    assert res.load["status"] == "ok"


@pytest.mark.parametrize("backend", BACKENDS)
def test_load_errors(backend):
    """An exception while student.py loads: functions defined before it still run. A process that never
    finishes loading (or dies while loading) stops the job: every function would fail the same way."""
    res = run("def early():\n    return 1\nx = 1 / 0\ndef late():\n    return 2\n",
              [Call("a", "early"), Call("b", "late")], backend=backend)
    assert res.load["error_type"] == "ZeroDivisionError" and res.load["lineno"] == 3
    assert res.load_error["error_type"] == "ZeroDivisionError"
    assert by_id(res)["a"]["value"] == 1 and by_id(res)["b"]["status"] == "missing"
    res = run("import os\nos.close(1)\nos.close(2)\nwhile True:\n    pass\ndef f():\n    return 1\ndef g():\n"
              "    return 2\n", [Call("a", "f"), Call("b", "g")], backend=backend, load_timeout_s=0.5)
    assert [e["status"] for e in res.results] == ["error", "error"]
    assert res.results[0]["error_type"] == "JobTimeout" and "while loading student.py" in \
        res.results[0]["error_message"]
    assert res.in_progress == LOAD_MARKER and not res.unreported
    res = run("import os\nos._exit(5)\ndef f():\n    return 1\n", [Call("a", "f")], backend=backend)
    assert res.results[0]["error_type"] == "SandboxDied" and "status 5" in res.results[0]["error_message"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_replace_and_forbid(backend):
    """Per call, other graded functions are their references (by path, or built by a factory); for the
    function under test, forbidden references raise ReferenceUnavailable by any name or alias."""
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
    def honest_sigmoid(z):
        return 1 / (1 + np.exp(-z))
    def bound(z):
        return helper(z)                  # a helper bound per call by a factory
    """
    ref, forbid = "nnkit.activations:sigmoid", ("nnkit.activations:sigmoid", "nnkit.activations:_sigmoid")
    res = run(src, [
        Call("a", "double_sigmoid", (0.0,), replace={"sigmoid": ref}), Call("b", "double_sigmoid", (0.0,)),
        Call("c", "lazy_sigmoid", (0.0,), forbid=forbid), Call("d", "lazy_sigmoid2", (0.0,), forbid=forbid),
        Call("e", "honest_sigmoid", (0.0,), forbid=forbid, replace={"sigmoid": ref}),
        Call("h", "bound", (0.0,), replace={"helper": {"factory": "functools:partial", "args": []}}),
    ], backend=backend)
    r = by_id(res)
    assert res.stdout_tail == ""  # making references unavailable writes nothing where student output goes
    assert r["a"]["value"] == 1.0 and r["b"]["value"] == 84.0  # the reference for one call only
    for cid in "cd":
        assert r[cid]["error_type"] == "ReferenceUnavailable" and "nnkit.activations" in r[cid]["error_message"]
    assert r["e"]["value"] == 0.5
    assert r["h"]["status"] == "error"  # functools.partial() without a function: the factory ran, then raised


MALICIOUS = """\
import io, json, os, struct
import numpy as np

def doc(tree):
    return json.dumps({"format": "autograder-payload", "version": 2, "tree": tree}).encode()

def payload(name, document, arrays=()):
    data = b"AGPAY02\\n" + struct.pack("<II", len(document), len(arrays)) + document
    for key, raw in arrays:
        data += struct.pack("<H", len(key)) + key.encode() + struct.pack("<Q", len(raw)) + raw
    with open(name + ".pay", "wb") as f:
        f.write(data)

class Boom:
    def __reduce__(self):
        return (exec, ("open(MARKER, 'w').write('pwned')",))

def entry(cid, **kw):
    e = {"id": cid, "status": "ok", "result": "result_" + cid, "stdout": "", "stderr": "", "duration_s": 0.0,
         "warnings": 0, "inputs_modified": False, "modified_inputs": []}
    e.update(kw)
    return e

def attack(marker):
    global MARKER
    MARKER = marker
    buf = io.BytesIO()                              # c1: an object array (pickle)
    np.save(buf, np.array([Boom()], dtype=object), allow_pickle=True)
    payload("result_c1", doc({"__ndarray__": "a0"}), [("a0", buf.getvalue())])
    payload("result_c2", b'{"format": "autograder-payload", "version": 2, "tree": '   # c2: absurdly deep nesting
            + b"[" * 200000 + b"]" * 200000 + b"}")
    os.symlink("/etc/passwd", "result_c3.pay")      # c3: a symlink to a file the grader can read
    os.mkfifo("result_c5.pay")                      # c5: a FIFO that would block the grader
    calls = [entry("c1"), entry("c2"), entry("c3"), entry("c4", lineno="12"), entry("c5"), entry("c9")]
    with open("entries.jsonl", "w") as f:
        f.writelines(json.dumps({"call": c}) + "\\n" for c in calls)
    os._exit(0)

def huge():
    with open("entries.jsonl", "w") as f:
        f.write('{"call": {"id": "h", ' + " " * (30 << 20) + "}}\\n")
    os._exit(0)

def big(n):
    return np.ones(n, dtype=np.uint8)
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_results_are_claims_validated_under_caps(backend, tmp_path):
    marker = tmp_path / "pwned"
    calls = [Call(c, "attack", (str(marker),)) for c in ("c1", "c2", "c3", "c4", "c5")]
    calls += [Call("h", "huge")] + [Call(f"b{i}", "big", (3 << 20,)) for i in range(4)]
    res = run(MALICIOUS, calls, backend=backend, limits=Limits(max_result_bytes=10 << 20))
    r = by_id(res)
    assert [e["id"] for e in res.results] == [c.id for c in calls]
    assert r["c1"]["error_type"] == "InvalidResult" and "not allowed" in r["c1"]["error_message"]
    assert not marker.exists()
    assert r["c2"]["error_type"] == "InvalidResult" and "deep" in r["c2"]["error_message"]
    assert r["c3"]["error_type"] == "InvalidResult" and "cannot open" in r["c3"]["error_message"]
    assert r["c4"]["error_type"] == "ProtocolError" and "lineno" in r["c4"]["error_message"]
    assert r["c5"]["error_type"] == "InvalidResult" and "not a regular file" in r["c5"]["error_message"]
    assert all(r[c]["value"] is None for c in ("c1", "c2", "c3", "c4", "c5"))
    assert r["h"]["error_type"] == "ProtocolError" and "larger than" in r["h"]["error_message"]
    # 3 MiB each, 10 MiB for the whole submission: the fourth result is refused
    assert [r[f"b{i}"]["status"] for i in range(4)] == ["ok", "ok", "ok", "error"]
    assert "together" in r["b3"]["error_message"]


PARALLEL = """\
import os, time

def slow(x):
    time.sleep(1.0)          # still running while the others end and their leftovers are killed
    return x + 1

def crash():
    os._exit(3)

def orphan():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(60)
        os._exit(0)
    os.wait()
    return "left one behind"

def spin():
    while True:
        pass
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_functions_run_two_at_a_time_without_touching_each_other(backend):
    """A one-shot check runs two graded functions at once (each in its own process): one ending, or
    the cleanup of what it left behind, never stops the other."""
    res = run(PARALLEL, [Call("s", "slow", (1,)), Call("c", "crash"), Call("o", "orphan"),
                         Call("p", "spin", timeout_s=0.3), Call("s2", "slow", (2,))], backend=backend, parallel=2)
    r = by_id(res)
    assert r["s"]["status"] == "ok" and r["s"]["value"] == 2 and r["s2"]["value"] == 3
    assert r["c"]["status"] == "crashed" and r["o"]["value"] == "left one behind"
    assert r["p"]["status"] == "timeout" and not res.unreported
