"""The grader's side of the attack suite: run the attacks, observe from outside, print one JSON report.

``python -I attack_runner.py CONFIG_JSON`` runs as root or as the ordinary test user (see
:mod:`attack_users`), with ``AUTOGRADER_TEST_SECRET`` in its environment. CONFIG: ``backend``,
``course`` (solutions/, gradebook.db, submitted/other/ inside), ``home_secret``, ``token``. The
listeners (TCP, UDP, abstract Unix socket) are this process's own, on 127.0.0.1 only.
"""
from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import attack_jobs  # noqa: E402

from autograder.isolation import Call, Job, Limits, Pool, jobs  # noqa: E402

STUBS = ("matplotlib", "ipywidgets", "IPython", "tqdm", "autograder.frontends")
A01 = "autograder.assignments.a01_logistic_regression"


def _plain(v):
    try:
        json.dumps(v)
        return v
    except (TypeError, ValueError):
        return repr(v)[:500]


def _listeners(token):
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(8)
    tcp.settimeout(0.3)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    udp.settimeout(0.3)
    unix = socket.socket(socket.AF_UNIX)
    unix.bind("\0ag-" + token)
    unix.listen(8)
    unix.settimeout(0.3)
    # a service of the grader's own user reachable by path (a session bus, an SSH agent, a Docker socket)
    folder = f"/tmp/ag-sock-{token}"
    os.mkdir(folder, 0o755)
    named = socket.socket(socket.AF_UNIX)
    named.bind(f"{folder}/service")
    os.chmod(f"{folder}/service", 0o777)
    named.listen(8)
    named.settimeout(0.3)
    return tcp, udp, unix, named


def _got(sock, kind):
    try:
        if kind == "udp":
            return sock.recvfrom(64)[0].decode()
        conn, _ = sock.accept()
        conn.close()
        return "accepted"
    except OSError:
        return None


def _survivors(token):
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if ("1000." + token).encode() in f.read():  # the daemon of `escape`
                        out.append(int(pid))
            except OSError:
                pass
    return out


def _results(res) -> dict:
    return {e["id"]: {"status": e["status"], "error_type": e["error_type"], "value": _plain(e.get("value")),
                      "message": (e.get("error_message") or "")[:300]} for e in res.results}


def _bypasses(pool) -> dict:
    from autograder.grading.engine import grade
    from autograder.grading.extract import extract_code

    out = {}
    for name, src in attack_jobs.BYPASSES.items():
        nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
              "cells": [{"cell_type": "code", "metadata": {}, "source": src, "outputs": [], "execution_count": None}]}
        rep = grade(extract_code(nb), "01_logistic_regression", only={"sigmoid"}, backend=pool)
        ex = rep.exercises[0]
        out[name] = {"points": ex.points, "status": str(ex.status), "feedback": ex.feedback[:200]}
    return out


def main(cfg: dict) -> dict:
    token = cfg["token"]
    tcp, udp, unix, named = _listeners(token)
    course = cfg["course"]
    import nnkit

    env = {"token": token, "course": course, "solution": f"{course}/solutions/solution.py",
           "gradebook": f"{course}/gradebook.db", "other": f"{course}/submitted/other/notebook.py",
           "home_secret": cfg["home_secret"], "package_dir": os.path.dirname(nnkit.__file__),
           "jobs_root": jobs.jobs_root(), "grader_pid": os.getpid(), "tcp": tcp.getsockname()[1],
           "udp": udp.getsockname()[1], "unix": f"ag-{token}", "unix_path": named.getsockname(),
           "root": os.geteuid() == 0}
    gradebook_before = open(env["gradebook"]).read()
    observed: dict = {}
    with Pool(1, backend=cfg["backend"], stub_modules=STUBS, preload=(A01,),
              limits=Limits(max_processes=32, wall_s=120)) as seq:
        res = seq.run(Job(attack_jobs.ATTACKS, tuple(attack_jobs.calls(env))))
        protections = res.protections.to_dict()
        time.sleep(0.2)
        observed["survivors"] = _survivors(token)
        observed["tcp_accepted"], observed["udp_received"] = _got(tcp, "tcp"), _got(udp, "udp")
        observed["unix_accepted"] = _got(unix, "unix")
        observed["unix_path_accepted"] = _got(named, "unix")
        after = seq.run(Job(attack_jobs.AFTER, (Call("after", "find_state", (token,)),)))
        observed["left_in_next_job"] = after.results[0].get("value") if after.results[0]["status"] == "ok" \
            else after.results[0]
        bypasses = _bypasses(seq)
        area = seq._all[0].area
        observed["leftover_job_folders"] = os.listdir(area)
    observed["host_files"] = [p for p in (f"/tmp/ag-{token}", f"/dev/shm/ag-{token}", f"/var/tmp/ag-{token}",
                                          f"{course}/hacked-{token}", f"{env['package_dir']}/hacked-{token}")
                              if os.path.exists(p)]
    for p in observed["host_files"]:  # seen and reported: nothing an attack managed to write stays on the machine
        os.unlink(p)
    observed["gradebook_intact"] = open(env["gradebook"]).read() == gradebook_before
    observed["spy_saw"] = _concurrent(cfg["backend"], token)
    for s in (tcp, udp, unix, named):
        s.close()
    import shutil

    shutil.rmtree(f"/tmp/ag-sock-{token}", ignore_errors=True)
    return {"results": _results(res), "observed": observed, "bypasses": bypasses, "env": env,
            "protections": protections, "stderr": res.stderr_tail[-2000:]}


def _concurrent(backend: str, token: str):
    """Two sandboxes at once: the second cannot see the first one's job, its folder or its files."""
    with Pool(2, backend=backend, stub_modules=STUBS) as pool:
        pool.prestart()
        out: dict = {}
        a = threading.Thread(target=lambda: out.setdefault("a", pool.run(Job(attack_jobs.SLOW, (
            Call("hold", "hold", (token,), timeout_s=10),)))))
        a.start()
        deadline = time.monotonic() + 30
        folder = None
        while folder is None and time.monotonic() < deadline:
            for w in list(pool._all):
                for job in os.listdir(w.area) if os.path.isdir(w.area) else ():
                    if os.path.isdir(os.path.join(w.area, job, "f_hold")):
                        folder = os.path.join(w.area, job)
            time.sleep(0.02)
        spy = pool.run(Job(attack_jobs.SPY, (Call("spy", "spy", (folder or "/nonexistent", token)),)))
        a.join()
        if folder is None:
            return "the first job's folder was never seen (test void)"
        v = spy.results[0].get("value")
        if spy.results[0]["status"] != "ok" or not isinstance(v, list):
            return f"spy did not run: {spy.results[0]}"
        leaked = [x for x in v if not (isinstance(x, str) and x in ("PermissionError", "FileNotFoundError"))]
        return leaked


if __name__ == "__main__":
    from autograder.isolation import SandboxUnavailable

    try:
        report = main(json.loads(sys.argv[1]))
    except SandboxUnavailable as exc:  # this backend cannot run for this user here: the test says why
        report = {"unavailable": str(exc)}
    print(json.dumps(report, default=repr))
