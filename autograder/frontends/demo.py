"""The kit's main job (``make demo``): a whole course cycle, run as an instructor would, for every
assignment of the course.

1. build an nbgrader course from ``solutions/`` in a fresh folder, with the default SQLite gradebook;
2. release every assignment (``nbgrader generate_assignment``);
3. for each assignment, make a small class from its sample submissions (its ``demo_class``: a
   perfect submission, typical mistakes, a student who tries to cheat, a damaged notebook), placed
   where ``nbgrader collect`` puts them;
4. grade it through ``nbgrader autograde``, whose pipeline runs the trusted engine (student code in a
   sandbox, see :mod:`autograder.frontends.nbgrader_plugin`), then ``generate_feedback``;
5. produce each assignment's class report with ``autograder grade`` (feedback, CSV, plots, misconceptions);
6. export the gradebook once, and print it with the misconceptions found and where everything was written.

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

from autograder.assignments import ASSIGNMENT_NAMES, get_assignment
from autograder.frontends.report import integrity_flags
from autograder.frontends.samples import build_submission, load_notebooks
from autograder.grading.spec import Assignment

__all__ = ["hermetic_env", "make_course", "make_class", "main", "run_demo", "read_gradebook", "REPO"]

REPO = Path(__file__).resolve().parents[2]
MARKER = ".nnkit-demo"
COURSE_ID = "nnkit-demo"


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


def make_course(out: Path, assignments: tuple[str, ...] = ASSIGNMENT_NAMES) -> Path:
    """Create ``out/course`` with the assignments' sources and this kit's nbgrader configuration."""
    course = out / "course"
    (course / "solutions").mkdir(parents=True, exist_ok=True)
    for name in assignments:
        shutil.copytree(REPO / "solutions" / name, course / "solutions" / name, dirs_exist_ok=True)
    (course / "nbgrader_config.py").write_text(
        "from autograder.frontends.nbgrader_plugin import configure\n\n"
        "c = get_config()  # noqa: F821\n"
        f"configure(c, course_root={str(course)!r}, course_id={COURSE_ID!r})\n"
        f"c.TrustedAutograde.report_dir = {str(out / 'engine-reports')!r}\n"
    )
    return course


def make_class(course: Path, assignment: Assignment, students: dict[str, str]) -> None:
    """Write each student's submission (scenario name -> notebooks) into ``submitted/<student>/<assignment>/``."""
    releases, answers = load_notebooks(assignment, course)
    for student, scenario in students.items():
        folder = course / "submitted" / student / assignment.name
        folder.mkdir(parents=True, exist_ok=True)
        for file, data in build_submission(assignment, assignment.scenario(scenario), releases, answers).items():
            (folder / file).write_bytes(data)
        (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")


def read_gradebook(course: Path) -> dict[str, dict[str, tuple[float | None, float]]]:
    """assignment -> student -> (score or None when not graded, max score), from the SQLite gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    out: dict[str, dict] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
        for assignment in gb.assignments:
            rows = out.setdefault(assignment.name, {})
            for student in gb.students:
                try:
                    sub = gb.find_submission(assignment.name, student.id)
                except MissingEntry:
                    continue
                graded = any(g.auto_score is not None or g.manual_score is not None
                             for nb in sub.notebooks for g in nb.grades)
                # nbgrader records a submission it could not read with no scores at all: say so.
                rows[student.id] = (float(sub.score) if graded else None, float(sub.max_score))
    return out


def _step(title: str, cmd: list[str], course: Path, env: dict, log: Path, say, timings: dict, *, strict: bool,
          why_nonzero: str = "") -> subprocess.CompletedProcess:
    t0 = time.perf_counter()
    proc = _run(cmd, course, env, log)
    timings[title] = time.perf_counter() - t0
    if strict and proc.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd[1:])}` failed (see {log}):\n{proc.stderr[-2000:]}")
    mark = "✔" if proc.returncode == 0 else "!"
    why = f": {why_nonzero}" if proc.returncode and why_nonzero else ""
    say(f"  {mark} {title} ({timings[title]:.1f} s, exit {proc.returncode}{why})")
    return proc


def run_demo(out: Path, *, jobs: int = 2, quiet: bool = False, assignments: tuple[str, ...] = ASSIGNMENT_NAMES) -> dict:
    """Run the whole cycle in ``out``; return a summary dict (also written to ``out/summary.json``)."""
    say = (lambda *a: None) if quiet else print
    out.mkdir(parents=True, exist_ok=True)
    log = out / "commands.log"
    log.write_text("")
    env = hermetic_env(out / ".state")
    course = make_course(out, assignments)
    say(f"Course folder: {course}")
    timings: dict[str, float] = {}
    reports, classes = {}, {}
    for name in assignments:
        assignment = get_assignment(name)
        say(f"\n{name}: {assignment.title}")
        _step(f"release {name}", [_nbgrader(), "generate_assignment", name, "--force"], course, env, log, say,
              timings, strict=True)
        classes[name] = dict(assignment.demo_class)
        make_class(course, assignment, classes[name])
        say(f"  ✔ collected {len(classes[name])} submissions: "
            + ", ".join(f"{s} ({n})" for s, n in classes[name].items()))
        damaged = [s for s, n in classes[name].items() if assignment.scenario(n).expected_status == "error"]
        _step(f"nbgrader autograde {name} (trusted engine)", [_nbgrader(), "autograde", name, "--force"], course, env,
              log, say, timings, strict=False,
              why_nonzero=f"nbgrader could not read the damaged notebook of {', '.join(damaged) or 'a student'} "
                          "(on purpose); the others were graded")
        _step(f"nbgrader generate_feedback {name}", [_nbgrader(), "generate_feedback", name, "--force"], course,
              env, log, say, timings, strict=False)
        reports[name] = out / "report" / name
        _step(f"class report {name} (autograder grade)",
              [sys.executable, "-m", "autograder", "grade", str(course / "submitted"), "--assignment", name,
               "--jobs", str(jobs), "--out", str(reports[name]), "--json", str(reports[name] / "report.json")],
              course, env, log, say, timings, strict=False)
    say("")
    _step("nbgrader export", [_nbgrader(), "export", "--to", str(out / "grades.csv")], course, env, log, say,
          timings, strict=False)
    gradebook = read_gradebook(course)
    misconceptions: dict[str, dict[str, int]] = {}
    errors: dict[str, dict[str, str]] = {}
    integrity: dict[str, dict[str, list[str]]] = {}
    for name, folder in reports.items():
        rj = folder / "report.json"
        report = json.loads(rj.read_text()) if rj.exists() else {}
        misconceptions[name] = dict(Counter(ex["misconception"] for sub in report.get("submissions", [])
                                            for ex in sub.get("exercises", []) if ex.get("misconception")))
        errors[name] = {s["student"]: s["error"] for s in report.get("submissions", []) if s.get("status") == "error"}
        integrity[name] = {s["student"]: integrity_flags(s) for s in report.get("submissions", []) if integrity_flags(s)}
    summary = {"course": str(course), "gradebook": {a: {k: list(v) for k, v in rows.items()} for a, rows in gradebook.items()},
               "classes": classes, "misconceptions": misconceptions, "errors": errors, "integrity": integrity,
               "timings_s": timings,
               "feedback": str(course / "feedback"), "reports": {a: str(p) for a, p in reports.items()},
               "grades_csv": str(out / "grades.csv")}
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    say("Gradebook (nbgrader, SQLite):")
    for name in assignments:
        say(f"  {name}")
        for student, scenario in classes[name].items():
            score, max_score = gradebook.get(name, {}).get(student, (None, 0.0))
            shown = "not graded" if score is None else f"{score:4.1f} / {max_score:g}"
            say(f"    {student:<6} {scenario:<30} {shown}")
        found = misconceptions.get(name) or {}
        say("    misconceptions found: " + (", ".join(f"{k} ×{v}" for k, v in sorted(found.items())) or "none"))
        for student, flags in integrity.get(name, {}).items():
            say(f"    integrity flag for {student}: {'; '.join(flags)}")
        for student, err in errors.get(name, {}).items():
            say(f"    submission error for {student}: {err}")
    say(f"\nFeedback for students: {course / 'feedback'}/<student>/<assignment>/<notebook>.html")
    say(f"Class reports: {out / 'report'}/<assignment>/report.html   grades: {out / 'grades.csv'}")
    say(f"Every command and its output: {log}")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.frontends.demo", description=__doc__.splitlines()[0])
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
