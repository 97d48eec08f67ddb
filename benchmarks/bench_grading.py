#!/usr/bin/env python
"""Time the trusted autograder against stock ``nbgrader autograde`` on the same class.

The benchmark builds, in a temporary folder:

- an nbgrader course configured with this kit (``autograder.frontends.nbgrader_plugin.configure``), whose
  ``solutions/01_logistic_regression`` is copied from the repository, and releases the assignment
  with ``nbgrader generate_assignment``;
- a class of N submissions made from the release by filling the answer cells
  (assignment 1's sample submissions): three in four are correct, the others make one typical mistake
  each (missing 1/m, b updated with dw, probabilities instead of labels, ...). None loops forever:
  the point is throughput, not timeouts;
- a second course for STOCK nbgrader: the same source and submissions, but an ``nbgrader_config.py``
  that keeps nbgrader's default autograde pipeline (every notebook executed top to bottom in a
  Jupyter kernel, hidden test cells included). The notebook's exploration cells (a few trainings
  of the model, plots) are part of what stock grading costs and are timed as they are.

Then, in one run, it times:

(a) one submission graded by the trusted engine: ``grade_notebook`` in this process (median of
    ``--repeats`` runs after a warm-up) and ``autograder check`` as a student runs it (a new
    process, imports and sandbox start included; median of ``--repeats``);
(b) the class with ``autograder grade --jobs 1`` and (c) ``--jobs 2`` (each into a fresh output
    folder, so nothing is reused): one warm sandbox per job, lent to one submission after another
    (``--jobs 2``: two worker processes, each with its sandbox, doing their submissions' trusted work);
(e) the class with ``autograder grade --executor dask --jobs 2``: a local Dask cluster of 2 worker
    processes started by the run (its start-up included), each grading in its own warm sandbox, the
    client writing every file (skipped with ``--skip-dask`` or when Dask is not installed);
(f) the floor: for a sample of the class, the work no sandbox can save, done in this process one
    submission after another: the trusted work (reading and extracting the notebook in its bounded
    child, drawing the cases and computing the references, the verdicts) plus the graded work (the
    student's functions called directly, each with the other graded functions bound to their
    references, as in the sandbox). Its per-submission cost is printed beside the class's, and
    ``N x floor / 2`` is the class's floor with 2 jobs on 2 cores;
(d) ``nbgrader autograde 01_logistic_regression`` in the stock course, from the course folder.

It prints the timings and the ratios stock / ours, checks that the trusted grades are the expected
ones, and writes everything as JSON with ``--json``. Targets (reported, never asserted: the exit
status is 0 unless the benchmark itself fails): one submission < 5 s and ``autograder check`` < 0.5 s;
the class at least 2x faster than stock nbgrader; a class of 1000 with ``--jobs 2`` in under 60 s
and ``--jobs 2`` at least 1.85x faster than ``--jobs 1`` (issue 12).

Usage::

    python benchmarks/bench_grading.py                          # class of 50: a few minutes on 2 cores
    python benchmarks/bench_grading.py --class-size 20 --json benchmarks/results/bench_grading.json
    python benchmarks/bench_grading.py --quick --skip-stock     # smoke test: class of 6, no stock run
    python benchmarks/bench_grading.py --class-size 1000 --skip-stock   # issue 12's class (about 15 min)

Every nbgrader command runs as a separate process from its course folder with HOME, IPYTHONDIR,
MPLCONFIGDIR and the Jupyter folders pointed into the temporary folder, so $HOME stays clean.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from autograder.assignments import get_assignment
from autograder.frontends.demo import REPO, hermetic_env, make_class

A1 = get_assignment("01_logistic_regression")
ASSIGNMENT, NOTEBOOK, SCENARIOS = A1.name, A1.notebook_files[0], A1.scenarios
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
#: The typical mistakes of the class, in turn; every fourth student makes one of them.
MISTAKES = ("missing-1-over-m", "b-updated-with-dw", "probabilities-not-labels", "flatten-reshape-n-m",
            "sigmoid-sign-error", "warnings-and-prints")
TARGET_SINGLE_S = 5.0
TARGET_CHECK_S = 0.5
TARGET_RATIO = 2.0
TARGET_CLASS_1000_S = 60.0
TARGET_SPEEDUP = 1.85


# ----------------------------------------------------------------------------- setup
def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


class CpuMeter:
    """CPU seconds of a command and every process it starts, sandboxes included.

    A cpuacct cgroup (root, cgroup v1) counts every process that ran in it, whoever reaped it; else
    the children's rusage, which misses what bubblewrap's processes used (they are not reaped into
    this process's accounting), so the method is recorded beside the number.
    """

    BASE = "/sys/fs/cgroup/cpuacct"

    def __init__(self):
        self.group = None
        if os.geteuid() == 0 and os.path.exists(f"{self.BASE}/cpuacct.usage"):
            self.group = f"{self.BASE}/bench-grading-{os.getpid()}"
            os.makedirs(self.group, exist_ok=True)
        self.method = "cpuacct cgroup" if self.group else "rusage of waited-for children (misses bwrap's)"

    def preexec(self):
        if self.group:
            with open(f"{self.group}/cgroup.procs", "w") as f:
                f.write(str(os.getpid()))

    def read(self) -> float:
        if self.group:
            with open(f"{self.group}/cpuacct.usage") as f:
                return int(f.read()) / 1e9
        return _children_cpu()

    def close(self):
        if self.group:
            try:
                os.rmdir(self.group)
            except OSError:
                pass


METER = CpuMeter()
#: CPU seconds (user + system) of the last command run by :func:`run`, all its processes included.
LAST_CPU = {"s": 0.0}


def run(cmd: list[str], cwd: Path, env: dict, log: Path, check: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    """Run a command, append its output to ``log``; returns (wall seconds, process)."""
    t0, c0 = time.perf_counter(), METER.read()
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                          preexec_fn=METER.preexec if METER.group else None)
    seconds = time.perf_counter() - t0
    LAST_CPU["s"] = METER.read() - c0
    with log.open("a", encoding="utf-8") as fh:
        fh.write(f"$ (cd {cwd} && {' '.join(map(str, cmd))})  # exit {proc.returncode}, {seconds:.1f} s\n")
        fh.write(proc.stdout[-20000:] + proc.stderr[-20000:] + "\n")
    if check and proc.returncode != 0:
        raise RuntimeError(f"`{' '.join(map(str, cmd))}` failed with exit {proc.returncode} (log: {log}):\n"
                           f"{proc.stderr[-3000:]}")
    return seconds, proc


def nbgrader() -> str:
    return str(Path(sys.executable).parent / "nbgrader")


def make_course(root: Path, *, trusted: bool) -> Path:
    """A course folder with the assignment's source and an nbgrader_config.py.

    ``trusted``: this kit's configuration (the trusted engine replaces kernel execution at
    autograde). Otherwise a stock configuration: same folders and code stub, nbgrader's default
    ``Autograde.autograde_preprocessors`` (kernel execution), per-cell timeout 30 s (the default).
    """
    (root / "solutions").mkdir(parents=True)
    shutil.copytree(REPO / "solutions" / ASSIGNMENT, root / "solutions" / ASSIGNMENT)
    if trusted:
        config = ("from autograder.frontends.nbgrader_plugin import configure\n\n"
                  "c = get_config()  # noqa: F821\n"
                  f"configure(c, course_root={str(root)!r}, course_id='bench')\n")
    else:
        config = ("c = get_config()  # noqa: F821\n"
                  f"c.CourseDirectory.root = {str(root)!r}\n"
                  "c.CourseDirectory.course_id = 'bench-stock'\n"
                  "c.CourseDirectory.source_directory = 'solutions'\n"
                  "c.CourseDirectory.release_directory = 'assignments'\n"
                  f"c.CourseDirectory.db_url = {f'sqlite:///{root}/gradebook.db?timeout=60'!r}\n"
                  f"c.ClearSolutions.code_stub = {{'python': {CODE_STUB!r}}}\n"
                  "# Autograde.autograde_preprocessors: nbgrader's default (Execute in a kernel)\n")
    (root / "nbgrader_config.py").write_text(config, encoding="utf-8")
    return root


def class_mix(n: int) -> dict[str, str]:
    """student id -> scenario: three in four correct, the others one typical mistake each, in turn."""
    out, k = {}, 0
    for i in range(n):
        if i % 4 == 3:
            out[f"s{i + 1:03d}"] = MISTAKES[k % len(MISTAKES)]
            k += 1
        else:
            out[f"s{i + 1:03d}"] = "correct"
    return out


def time_single(path: Path, repeats: int) -> dict:
    """(a) in-process: one warm-up call (imports, sandbox probe), then ``repeats`` timed calls."""
    from autograder.grading.engine import grade as grade_notebook

    t0 = time.perf_counter()
    first = grade_notebook(path, ASSIGNMENT, backend="auto")
    cold = time.perf_counter() - t0
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        rep = grade_notebook(path, ASSIGNMENT, backend="auto")
        runs.append(time.perf_counter() - t0)
    return {"engine_first_call_s": cold, "engine_runs_s": runs, "engine_median_s": statistics.median(runs),
            "score": rep.score, "max_score": rep.max_score, "backend": first.backend}


def _direct(student, calls, refs: dict) -> dict:
    """The graded work alone: each case's call of the student's function, in this process, with the
    other graded functions bound to their references (as in the sandbox)."""
    import contextlib
    import copy
    import io
    import types
    import warnings

    from autograder.grading.verdict import Outcome
    from autograder.isolation import forbid

    missing = object()
    mod = types.ModuleType("student")
    with contextlib.suppress(Exception):
        exec(compile(student.source, "student.py", "exec"), mod.__dict__)
    ns, out = mod.__dict__, {}
    for c in calls:
        fn = ns.get(c.exercise.name)
        if not callable(fn):
            out[c.id] = Outcome("missing")
            continue
        saved = {}
        for name, path in refs.items():
            if name != c.exercise.name:
                saved[name] = ns.get(name, missing)
                ns[name] = forbid.resolve(path)
        for name, (factory, args) in c.case.bind.items():
            saved.setdefault(name, ns.get(name, missing))
            ns[name] = forbid.resolve(factory)(*args)
        try:
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore")
                value = fn(*copy.deepcopy(c.case.args), **copy.deepcopy(c.case.kwargs))
            out[c.id] = Outcome("ok", value)
        except Exception as exc:  # noqa: BLE001 (a student's mistake, as in the sandbox)
            out[c.id] = Outcome("error", error_type=type(exc).__name__, error_message=str(exc))
        for name, old in saved.items():
            if old is missing:
                ns.pop(name, None)
            else:
                ns[name] = old
    return out


def time_floor(paths: list[Path]) -> dict:
    """(f) the floor: the trusted and the graded work of each submission of ``paths``, one after another here."""
    from autograder.grading import bounded, engine

    refs = {**A1.provided(), **{ex.name: ex.reference_path for ex in A1.exercises}}
    trusted, graded = [], []
    c0 = time.process_time() + _children_cpu()  # the bounded extraction runs in a child
    for i, path in enumerate(paths):
        t0 = time.perf_counter()
        student = bounded.extract_bytes(path.read_bytes(), NOTEBOOK)
        calls = [c for ex in A1.exercises for c in engine.case_calls(A1, ex, "hidden", f"floor/{i}")]
        t1 = time.perf_counter()
        outcomes = _direct(student, calls, refs)
        t2 = time.perf_counter()
        for ex in A1.exercises:
            engine.verdict(ex, [c for c in calls if c.exercise is ex], outcomes, student.locate)
        t3 = time.perf_counter()
        trusted.append((t1 - t0) + (t3 - t2))
        graded.append(t2 - t1)
    cpu = (time.process_time() + _children_cpu() - c0) / len(paths)
    per = statistics.mean(trusted) + statistics.mean(graded)
    return {"sample": len(paths), "trusted_s": statistics.mean(trusted), "graded_s": statistics.mean(graded),
            "per_submission_s": per, "cpu_per_submission_s": cpu}


def check_ours(report_path: Path, students: dict[str, str]) -> dict:
    """Compare the trusted grades with each scenario's expected score."""
    expected = {s.name: A1.max_score if s.expected_score is None else s.expected_score for s in SCENARIOS}
    subs = json.loads(report_path.read_text(encoding="utf-8"))["submissions"]
    wrong = [f"{s['student']}: {s['score']} (expected {expected[students[s['student']]]})" for s in subs
             if s["status"] != "graded" or abs(s["score"] - expected[students[s["student"]]]) > 1e-9]
    return {"graded": sum(1 for s in subs if s["status"] == "graded"), "submissions": len(subs),
            "unexpected_scores": wrong}


def stock_scores(course: Path) -> dict:
    """Scores of the stock run from its gradebook (read in a subprocess: nbgrader's import is slow)."""
    code = ("import json, sys\nfrom nbgrader.api import Gradebook, MissingEntry\nout = {}\n"
            f"with Gradebook({f'sqlite:///{course}/gradebook.db'!r}, 'bench-stock') as gb:\n"
            "    for st in gb.students:\n"
            "        try:\n"
            f"            sub = gb.find_submission({ASSIGNMENT!r}, st.id)\n"
            "            out[st.id] = [float(sub.score), float(sub.max_score)]\n"
            "        except MissingEntry:\n"
            "            out[st.id] = None\n"
            "print(json.dumps(out))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {}


def bench(args) -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    log = work / "commands.log"
    env = hermetic_env(work / "state")
    say = print
    say(f"Working folder: {work} (commands and outputs: {log})")
    floor: dict = {}
    try:
        ours = make_course(work / "course", trusted=True)
        t_gen, _ = run([nbgrader(), "generate_assignment", ASSIGNMENT, "--force"], ours, env, log)
        students = class_mix(args.class_size)
        make_class(ours, A1, students)
        mix = dict(Counter(students.values()))
        say(f"Class of {len(students)}: " + ", ".join(f"{k} x{v}" for k, v in mix.items()))

        one = ours / "submitted" / next(s for s, sc in students.items() if sc == "correct") / ASSIGNMENT / NOTEBOOK
        single = time_single(one, args.repeats)
        checks = []
        for _ in range(args.repeats):  # a new process each time, as a student runs it
            t_check, proc = run([sys.executable, "-m", "autograder", "check", one], work, env, log, check=False)
            checks.append(t_check)
        t_check = statistics.median(checks)
        single["cli_check_runs_s"] = checks
        single["cli_check_s"] = t_check
        single["cli_check_exit"] = proc.returncode
        say(f"(a) one submission: engine {single['engine_median_s']:.2f} s (median of {args.repeats}; first call "
            f"{single['engine_first_call_s']:.2f} s), `autograder check` {t_check:.2f} s (median of {len(checks)}) "
            f"[score {single['score']:g}/{single['max_score']:g}, backend {single['backend']}]")

        klass = {}
        for jobs in (1, 2):
            out = work / f"report-jobs{jobs}"
            seconds, _ = run([sys.executable, "-m", "autograder", "grade", ours / "submitted", "--jobs", jobs,
                              "--out", out, "--json", out / "report.json", "--quiet"], work, env, log)
            klass[f"jobs{jobs}_s"] = seconds
            klass[f"jobs{jobs}_cpu_s"] = LAST_CPU["s"]
            klass[f"jobs{jobs}_check"] = check_ours(out / "report.json", students)
            timings = json.loads((out / "report.json").read_text(encoding="utf-8")).get("timings") or {}
            klass[f"jobs{jobs}_grading_s"] = timings.get("grading_s")  # before the class reports are written
            say(f"({'b' if jobs == 1 else 'c'}) autograder grade --jobs {jobs}: {seconds:.1f} s "
                f"({1000 * seconds / len(students):.0f} ms per submission; {timings.get('grading_s', float('nan')):.1f} s "
                "of it grading, the rest starting and writing the reports)")
        klass["speedup"] = klass["jobs1_s"] / klass["jobs2_s"]
        if not args.skip_dask:  # the same class on a local Dask cluster of 2 workers (issue 12, section 3)
            try:
                import distributed  # noqa: F401
            except ImportError:
                say("(e) Dask: skipped (not installed: pip install -e '.[dask]')")
            else:
                out = work / "report-dask2"
                seconds, _ = run([sys.executable, "-m", "autograder", "grade", ours / "submitted", "--jobs", 2,
                                  "--executor", "dask", "--out", out, "--json", out / "report.json", "--quiet"],
                                 work, env, log)
                klass.update(dask2_s=seconds, dask2_cpu_s=LAST_CPU["s"], dask2_check=check_ours(out / "report.json",
                                                                                                 students))
                say(f"(e) autograder grade --executor dask --jobs 2 (local cluster): {seconds:.1f} s "
                    f"({1000 * seconds / len(students):.0f} ms per submission)")
        sample = sorted((ours / "submitted").glob(f"*/{ASSIGNMENT}/{NOTEBOOK}"))[: args.floor_sample]
        floor = time_floor(sample)
        floor["class_jobs2_s"] = len(students) * floor["per_submission_s"] / 2
        say(f"(f) floor: {1000 * floor['per_submission_s']:.0f} ms per submission (trusted "
            f"{1000 * floor['trusted_s']:.0f} ms + graded {1000 * floor['graded_s']:.0f} ms, {floor['sample']} sampled); "
            f"the class with 2 jobs on 2 cores: {floor['class_jobs2_s']:.1f} s")

        stock = None
        if not args.skip_stock:
            sc = make_course(work / "stock", trusted=False)
            run([nbgrader(), "generate_assignment", ASSIGNMENT, "--force"], sc, env, log)
            shutil.copytree(ours / "submitted", sc / "submitted")
            (work / "state" / "tmp").mkdir(exist_ok=True)
            stock_env = {**env, "TMPDIR": str(work / "state" / "tmp")}  # kernel connection files
            seconds, proc = run([nbgrader(), "autograde", ASSIGNMENT], sc, stock_env, log, check=False)
            autograded = len(list((sc / "autograded").glob(f"*/{ASSIGNMENT}/{NOTEBOOK}")))
            scores = stock_scores(sc)
            stock = {"seconds": seconds, "exit": proc.returncode, "autograded_notebooks": autograded,
                     "per_submission_s": seconds / len(students),
                     "full_marks": sum(1 for v in scores.values() if v and v[0] == v[1]),
                     "scores_read": len(scores)}
            say(f"(d) stock nbgrader autograde: {seconds:.1f} s ({stock['per_submission_s']:.2f} s per submission, "
                f"exit {proc.returncode}, {autograded} notebooks autograded)")
    finally:
        if args.keep:
            say(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    ratios = {}
    if stock:
        ratios = {"stock_over_jobs1": stock["seconds"] / klass["jobs1_s"],
                  "stock_over_jobs2": stock["seconds"] / klass["jobs2_s"]}
    per_1000 = 1000 * klass["jobs2_s"] / len(students)
    targets = {
        "single_submission_s": TARGET_SINGLE_S,
        "single_met": max(single["engine_median_s"], single["cli_check_s"]) < TARGET_SINGLE_S,
        "check_s": TARGET_CHECK_S, "check_met": single["cli_check_s"] < TARGET_CHECK_S,
        "class_1000_jobs2_s": TARGET_CLASS_1000_S, "class_1000_jobs2_projected_s": per_1000,
        "class_1000_met": per_1000 < TARGET_CLASS_1000_S,
        "speedup": TARGET_SPEEDUP, "speedup_met": klass["speedup"] >= TARGET_SPEEDUP,
        "class_ratio": TARGET_RATIO,
        "class_met": None if not ratios else ratios["stock_over_jobs2"] >= TARGET_RATIO,
    }
    import numpy

    return {
        "benchmark": "bench_grading",
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                    "numpy": numpy.__version__, "load_before": args.load_before, "load_after": os.getloadavg()[0]},
        "class_size": len(students), "mix": mix, "repeats": args.repeats,
        "setup": {"generate_assignment_s": t_gen},
        "single": single, "class": klass, "floor": floor, "stock": stock, "ratios": ratios, "targets": targets,
        "cpu_method": METER.method,
    }


def print_summary(res: dict) -> None:
    s, k, st, r, t, f = res["single"], res["class"], res["stock"], res["ratios"], res["targets"], res["floor"]
    n = res["class_size"]
    print(f"\nResults (class of {n}, {res['machine']['cpus']} CPUs, Python {res['machine']['python']}, "
          f"load average {res['machine']['load_before']:.1f} before / {res['machine']['load_after']:.1f} after):")
    print(f"  single submission, trusted engine     {s['engine_median_s']:7.2f} s  (target < {TARGET_SINGLE_S:g} s)")
    print(f"  single submission, `autograder check` {s['cli_check_s']:7.2f} s  (a new process; target < "
          f"{TARGET_CHECK_S:g} s)")
    print(f"  class, autograder grade --jobs 1      {k['jobs1_s']:7.1f} s  ({1000 * k['jobs1_s'] / n:4.0f} ms per submission)")
    print(f"  class, autograder grade --jobs 2      {k['jobs2_s']:7.1f} s  ({1000 * k['jobs2_s'] / n:4.0f} ms per submission; "
          f"speed-up {k['speedup']:.2f}x, target >= {TARGET_SPEEDUP:g}x)")
    print(f"  floor (trusted + graded work, no sandbox) {1000 * f['per_submission_s']:4.0f} ms per submission: "
          f"{f['class_jobs2_s']:.1f} s for the class with 2 jobs; ours / floor = "
          f"{k['jobs2_s'] / f['class_jobs2_s']:.2f}")
    print(f"  CPU per submission (every process, measured by {res['cpu_method']}): jobs 1 {1000 * k['jobs1_cpu_s'] / n:.0f} ms, "
          f"jobs 2 {1000 * k['jobs2_cpu_s'] / n:.0f} ms, floor {1000 * f['cpu_per_submission_s']:.0f} ms "
          f"(ours / floor {k['jobs2_cpu_s'] / n / f['cpu_per_submission_s']:.2f}); on 2 idle cores a class of 1000 "
          f"would take about {1000 * k['jobs2_cpu_s'] / n / 2:.0f} s")
    print(f"  a class of 1000 with --jobs 2: {t['class_1000_jobs2_projected_s']:.1f} s"
          + (" (measured)" if n == 1000 else " (projected from this class)") + f", target < {TARGET_CLASS_1000_S:g} s")
    if k.get("dask2_s"):
        print(f"  class, --executor dask --jobs 2       {k['dask2_s']:7.1f} s  ({1000 * k['dask2_s'] / n:4.0f} ms per "
              f"submission; a local Dask cluster of 2 workers, start-up included; local / Dask "
              f"{k['jobs2_s'] / k['dask2_s']:.2f})")
    if st:
        print(f"  class, stock nbgrader autograde       {st['seconds']:7.1f} s")
        print(f"  ratio stock / ours: jobs 1 {r['stock_over_jobs1']:.1f}x, jobs 2 {r['stock_over_jobs2']:.1f}x "
              f"(target >= {TARGET_RATIO:g}x)")
    else:
        print("  stock nbgrader: skipped (--skip-stock)")
    for jobs in (1, 2):
        c = k[f"jobs{jobs}_check"]
        bad = c["unexpected_scores"]
        print(f"  grades of jobs {jobs}: {c['graded']}/{c['submissions']} graded, "
              + ("all as expected" if not bad else f"UNEXPECTED: {'; '.join(bad[:5])}"))
    if k.get("dask2_check"):
        bad = k["dask2_check"]["unexpected_scores"]
        print(f"  grades on Dask: {k['dask2_check']['graded']}/{k['dask2_check']['submissions']} graded, "
              + ("all as expected" if not bad else f"UNEXPECTED: {'; '.join(bad[:5])}"))
    met = lambda ok: "met" if ok else "NOT met"  # noqa: E731
    print(f"  targets: single {met(t['single_met'])}, check {met(t['check_met'])}, 1000 with --jobs 2 "
          f"{met(t['class_1000_met'])}, speed-up {met(t['speedup_met'])}"
          + ("" if t["class_met"] is None else f", stock ratio {met(t['class_met'])}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--class-size", type=int, default=50, help="number of submissions (default 50)")
    parser.add_argument("--quick", action="store_true", help="a class of 6 and one repeat: a smoke test")
    parser.add_argument("--skip-stock", action="store_true", help="do not run stock nbgrader autograde")
    parser.add_argument("--skip-dask", action="store_true", help="do not run the class on a local Dask cluster")
    parser.add_argument("--repeats", type=int, default=None, help="timed single-submission runs (default 5; 1 with --quick)")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON to PATH")
    parser.add_argument("--keep", action="store_true", help="keep the temporary course folders")
    parser.add_argument("--floor-sample", type=int, default=50, help="submissions timed for the floor (default 50)")
    args = parser.parse_args(argv)
    if args.quick:
        args.class_size = 6
    args.repeats = args.repeats or (1 if args.quick else 5)
    if args.class_size < 1:
        parser.error("--class-size must be at least 1")
    if not (REPO / "solutions" / ASSIGNMENT / NOTEBOOK).exists():
        parser.error(f"{REPO / 'solutions' / ASSIGNMENT / NOTEBOOK} is missing")
    args.load_before = os.getloadavg()[0]
    try:
        res = bench(args)
    finally:
        METER.close()
    print_summary(res)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
        print(f"Wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
