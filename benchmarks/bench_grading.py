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
    process, imports and sandbox start included);
(b) the class with ``autograder grade --jobs 1`` and (c) ``--jobs 2`` (each into a fresh output
    folder, so nothing is reused);
(d) ``nbgrader autograde 01_logistic_regression`` in the stock course, from the course folder.

It prints the timings and the ratios stock / ours, checks that the trusted grades are the expected
ones, and writes everything as JSON with ``--json``. Targets (reported, never asserted: the exit
status is 0 unless the benchmark itself fails): one submission < 5 s; the class at least 2x faster
than stock nbgrader.

Usage::

    python benchmarks/bench_grading.py                          # class of 50: a few minutes on 2 cores
    python benchmarks/bench_grading.py --class-size 20 --json benchmarks/results/bench_grading.json
    python benchmarks/bench_grading.py --quick --skip-stock     # smoke test: class of 6, no stock run

Every nbgrader command runs as a separate process from its course folder with HOME, IPYTHONDIR,
MPLCONFIGDIR and the Jupyter folders pointed into the temporary folder, so $HOME stays clean.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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
TARGET_RATIO = 2.0


# ----------------------------------------------------------------------------- setup
def run(cmd: list[str], cwd: Path, env: dict, log: Path, check: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    """Run a command, append its output to ``log``; returns (wall seconds, process)."""
    t0 = time.perf_counter()
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
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
    try:
        ours = make_course(work / "course", trusted=True)
        t_gen, _ = run([nbgrader(), "generate_assignment", ASSIGNMENT, "--force"], ours, env, log)
        students = class_mix(args.class_size)
        make_class(ours, A1, students)
        mix = dict(Counter(students.values()))
        say(f"Class of {len(students)}: " + ", ".join(f"{k} x{v}" for k, v in mix.items()))

        one = ours / "submitted" / next(s for s, sc in students.items() if sc == "correct") / ASSIGNMENT / NOTEBOOK
        single = time_single(one, args.repeats)
        t_check, proc = run([sys.executable, "-m", "autograder", "check", one], work, env, log, check=False)
        single["cli_check_s"] = t_check
        single["cli_check_exit"] = proc.returncode
        say(f"(a) one submission: engine {single['engine_median_s']:.2f} s (median of {args.repeats}; first call "
            f"{single['engine_first_call_s']:.2f} s), `autograder check` {t_check:.2f} s "
            f"[score {single['score']:g}/{single['max_score']:g}, backend {single['backend']}]")

        klass = {}
        for jobs in (1, 2):
            out = work / f"report-jobs{jobs}"
            seconds, _ = run([sys.executable, "-m", "autograder", "grade", ours / "submitted", "--jobs", jobs,
                              "--out", out, "--json", out / "report.json", "--quiet"], work, env, log)
            klass[f"jobs{jobs}_s"] = seconds
            klass[f"jobs{jobs}_check"] = check_ours(out / "report.json", students)
            say(f"({'b' if jobs == 1 else 'c'}) autograder grade --jobs {jobs}: {seconds:.1f} s "
                f"({seconds / len(students):.2f} s per submission)")

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
    targets = {
        "single_submission_s": TARGET_SINGLE_S,
        "single_met": max(single["engine_median_s"], single["cli_check_s"]) < TARGET_SINGLE_S,
        "class_ratio": TARGET_RATIO,
        "class_met": None if not ratios else ratios["stock_over_jobs2"] >= TARGET_RATIO,
    }
    import numpy

    return {
        "benchmark": "bench_grading",
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                    "numpy": numpy.__version__},
        "class_size": len(students), "mix": mix, "repeats": args.repeats,
        "setup": {"generate_assignment_s": t_gen},
        "single": single, "class": klass, "stock": stock, "ratios": ratios, "targets": targets,
    }


def print_summary(res: dict) -> None:
    s, k, st, r, t = res["single"], res["class"], res["stock"], res["ratios"], res["targets"]
    n = res["class_size"]
    print(f"\nResults (class of {n}, {res['machine']['cpus']} CPUs, Python {res['machine']['python']}):")
    print(f"  single submission, trusted engine     {s['engine_median_s']:7.2f} s  (target < {TARGET_SINGLE_S:g} s)")
    print(f"  single submission, `autograder check` {s['cli_check_s']:7.2f} s")
    print(f"  class, autograder grade --jobs 1      {k['jobs1_s']:7.1f} s")
    print(f"  class, autograder grade --jobs 2      {k['jobs2_s']:7.1f} s")
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
    print(f"  targets: single {'met' if t['single_met'] else 'NOT met'}"
          + ("" if t["class_met"] is None else f", class {'met' if t['class_met'] else 'NOT met'}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--class-size", type=int, default=50, help="number of submissions (default 50)")
    parser.add_argument("--quick", action="store_true", help="a class of 6 and one repeat: a smoke test")
    parser.add_argument("--skip-stock", action="store_true", help="do not run stock nbgrader autograde")
    parser.add_argument("--repeats", type=int, default=None, help="timed single-submission runs (default 5; 1 with --quick)")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON to PATH")
    parser.add_argument("--keep", action="store_true", help="keep the temporary course folders")
    args = parser.parse_args(argv)
    if args.quick:
        args.class_size = 6
    args.repeats = args.repeats or (1 if args.quick else 5)
    if args.class_size < 1:
        parser.error("--class-size must be at least 1")
    if not (REPO / "solutions" / ASSIGNMENT / NOTEBOOK).exists():
        parser.error(f"{REPO / 'solutions' / ASSIGNMENT / NOTEBOOK} is missing")
    res = bench(args)
    print_summary(res)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
        print(f"Wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
