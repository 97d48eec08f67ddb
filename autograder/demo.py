"""The kit's main job (``make demo``): a whole course cycle, run as an instructor would.

1. build an nbgrader course from ``solutions/`` in a fresh folder, with the default SQLite gradebook;
2. release assignment 1 (``nbgrader generate_assignment``);
3. make a small class: a perfect submission, typical mistakes, a student who tries to cheat, and a
   damaged notebook (:mod:`autograder.samples`), placed where ``nbgrader collect`` puts them;
4. grade it through ``nbgrader autograde``, whose pipeline runs the trusted engine (student code in a
   sandbox, see :mod:`autograder.nbgrader_plugin`), then ``generate_feedback`` and ``export``;
5. produce the class report with ``autograder grade`` (feedback, CSV, plots, misconceptions);
6. print the gradebook, the misconceptions found and where everything was written.

Every nbgrader command runs as a separate process from the course folder, exactly as an instructor
types it, with HOME and the Jupyter folders pointed inside the output folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from autograder.samples import ASSIGNMENT, NOTEBOOK, SCENARIOS, build_submission, solution_answers

__all__ = ["CLASS", "hermetic_env", "make_course", "make_class", "main", "run_demo"]

#: student id -> scenario name: the demo class.
CLASS = {
    "ada": "correct",
    "ben": "missing-1-over-m",
    "chloe": "b-updated-with-dw",
    "dev": "probabilities-not-labels",
    "emma": "flatten-reshape-n-m",
    "farid": "cheat-write-gradebook",
    "gus": "cheat-calls-reference",
    "hana": "invalid-json",
}

REPO = Path(__file__).resolve().parents[1]
MARKER = ".nnkit-demo"


def hermetic_env(state: Path) -> dict:
    """The environment of every nbgrader/Jupyter subprocess: their state goes under ``state``.

    Kernels and servers otherwise write ``~/.ipython``, ``~/.jupyter`` and matplotlib caches;
    nbgrader runs ``alembic`` (and Jupyter finds kernels) through PATH, so this environment's
    ``bin`` goes first, as if it were activated.
    """
    env = dict(os.environ)
    for var, sub in (("HOME", "home"), ("JUPYTER_CONFIG_DIR", "jupyter/config"), ("JUPYTER_DATA_DIR", "jupyter/data"),
                     ("JUPYTER_RUNTIME_DIR", "jupyter/runtime"), ("IPYTHONDIR", "ipython"), ("MPLCONFIGDIR", "mpl")):
        (state / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(state / sub)
    env.pop("JUPYTER_PATH", None)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["PYTHONWARNINGS"] = "ignore:Object of type"  # SQLAlchemy's harmless SAWarning during autograde
    return env


def _run(cmd: list[str], cwd: Path, env: dict, log: Path) -> subprocess.CompletedProcess:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    with log.open("a") as fh:
        fh.write(f"$ {' '.join(cmd)}  (exit {proc.returncode}, {time.perf_counter() - start:.1f} s)\n")
        fh.write(proc.stdout + proc.stderr + "\n")
    return proc


def _nbgrader() -> str:
    return str(Path(sys.executable).with_name("nbgrader"))


def make_course(out: Path) -> Path:
    """Create ``out/course`` with the assignment's source and this kit's nbgrader configuration."""
    course = out / "course"
    (course / "solutions").mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "solutions" / ASSIGNMENT, course / "solutions" / ASSIGNMENT, dirs_exist_ok=True)
    (course / "nbgrader_config.py").write_text(
        "from autograder.nbgrader_plugin import configure\n\n"
        "c = get_config()  # noqa: F821\n"
        f"configure(c, course_root={str(course)!r}, course_id='nnkit-demo')\n"
        f"c.TrustedAutograde.report_dir = {str(out / 'engine-reports')!r}\n"
    )
    return course


def make_class(course: Path, students: dict[str, str]) -> None:
    """Write each student's submission into ``submitted/<student>/<assignment>/``."""
    release = json.loads((course / "assignments" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8"))
    answers = solution_answers(json.loads((course / "solutions" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8")))
    scenarios = {s.name: s for s in SCENARIOS}
    for student, scenario in students.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        (folder / NOTEBOOK).write_bytes(build_submission(release, answers, scenarios[scenario]))
        (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")


def read_gradebook(course: Path) -> dict[str, tuple[float | None, float]]:
    """student -> (score or None when not graded, max score), read from the SQLite gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "nnkit-demo") as gb:
        for student in gb.students:
            try:
                sub = gb.find_submission(ASSIGNMENT, student.id)
            except MissingEntry:
                out[student.id] = (None, 0.0)
                continue
            graded = any(g.auto_score is not None or g.manual_score is not None for nb in sub.notebooks for g in nb.grades)
            # nbgrader records a submission it could not read with no scores at all: say so.
            out[student.id] = (float(sub.score) if graded else None, float(sub.max_score))
    return out


def run_demo(out: Path, *, jobs: int = 2, quiet: bool = False) -> dict:
    """Run the whole cycle in ``out``; return a summary dict (also written to ``out/summary.json``)."""
    say = (lambda *a: None) if quiet else print
    out.mkdir(parents=True, exist_ok=True)
    log = out / "commands.log"
    log.write_text("")
    env = hermetic_env(out / ".state")
    course = make_course(out)
    steps = [("release assignment 1", [_nbgrader(), "generate_assignment", ASSIGNMENT, "--force"])]
    say(f"Course folder: {course}")
    timings = {}
    for title, cmd in steps:
        t0 = time.perf_counter()
        proc = _run(cmd, course, env, log)
        timings[title] = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RuntimeError(f"`{' '.join(cmd[1:])}` failed (see {log}):\n{proc.stderr[-2000:]}")
        say(f"  ✔ {title} ({timings[title]:.1f} s)")
    make_class(course, CLASS)
    say(f"  ✔ collected {len(CLASS)} submissions: " + ", ".join(f"{s} ({n})" for s, n in CLASS.items()))
    for title, cmd in [
        ("nbgrader autograde (trusted engine)", [_nbgrader(), "autograde", ASSIGNMENT, "--force"]),
        ("nbgrader generate_feedback", [_nbgrader(), "generate_feedback", ASSIGNMENT, "--force"]),
        ("nbgrader export", [_nbgrader(), "export", "--to", str(out / "grades.csv")]),
        ("class report (autograder grade)", [sys.executable, "-m", "autograder", "grade", str(course / "submitted"),
                                             "--jobs", str(jobs), "--out", str(out / "report"),
                                             "--json", str(out / "report" / "report.json")]),
    ]:
        t0 = time.perf_counter()
        proc = _run(cmd, course, env, log)
        timings[title] = time.perf_counter() - t0
        # autograde exits 1 when a notebook could not be graded at all (the damaged one): expected.
        mark = "✔" if proc.returncode == 0 else "!"
        why = ""
        if proc.returncode and "autograde" in title:
            why = ": nbgrader could not read a damaged notebook (hana's, on purpose); the others were graded"
        say(f"  {mark} {title} ({timings[title]:.1f} s, exit {proc.returncode}{why})")
    gradebook = read_gradebook(course)
    report = json.loads((out / "report" / "report.json").read_text()) if (out / "report" / "report.json").exists() else {}
    misconceptions = Counter(
        ex["misconception"] for sub in report.get("submissions", []) for ex in sub.get("exercises", []) if ex.get("misconception")
    )
    errors = {s["student"]: s["error"] for s in report.get("submissions", []) if s.get("status") == "error"}
    summary = {"course": str(course), "gradebook": {k: list(v) for k, v in gradebook.items()},
               "misconceptions": dict(misconceptions), "errors": errors, "timings_s": timings,
               "feedback": str(course / "feedback"), "report": str(out / "report"), "grades_csv": str(out / "grades.csv")}
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    say("\nGradebook (nbgrader, SQLite):")
    for student in CLASS:
        score, max_score = gradebook.get(student, (None, 0.0))
        shown = "not graded" if score is None else f"{score:4.1f} / {max_score:.0f}"
        say(f"  {student:<6} {CLASS[student]:<26} {shown}")
    say("\nMisconceptions found: " + (", ".join(f"{k} ×{v}" for k, v in misconceptions.most_common()) or "none"))
    for student, err in errors.items():
        say(f"Submission error for {student}: {err}")
    say(f"\nFeedback for students: {course / 'feedback'}/<student>/{ASSIGNMENT}/{Path(NOTEBOOK).stem}.html")
    say(f"Class report: {out / 'report' / 'report.html'}   grades: {out / 'grades.csv'}")
    say(f"Every command and its output: {log}")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: a new temporary folder)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel grading jobs for the class report")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="nnkit-demo-"))
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            parser.error(f"{out} is not empty and is not an earlier demo output: choose an empty or new folder.")
        shutil.rmtree(out)  # an earlier run of the demo: start afresh
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by `make demo`; safe to delete\n")
    run_demo(out.resolve(), jobs=args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
