#!/usr/bin/env python
"""Time ``nbgrader autograde`` (one student after another) against ``autograder autograde --jobs N``
(nbgrader's autograde in N worker processes) on the same class, into the same kind of gradebook.

Both run in a course configured with this kit (the trusted engine replaces kernel execution), built
in a temporary folder and released with ``nbgrader generate_assignment``; the class is assignment
1's mix of ``bench_grading.py`` (three in four correct, the others one typical mistake each). The
course is copied before grading so both runs start from the same state, with the same course
secret. Every command runs as a new process from its course folder, with HOME and the Jupyter folders
inside the temporary folder. The two gradebooks must come out identical (checked, and reported).

Usage::

    python benchmarks/bench_autograde.py                        # class of 50, --jobs 2
    python benchmarks/bench_autograde.py --class-size 20 --json out.json
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
from pathlib import Path

from autograder.assignments import get_assignment
from autograder.frontends import secret as course_secret
from autograder.frontends.demo import COURSE_ID, hermetic_env, make_class, make_course

A1 = get_assignment("01_logistic_regression")
BIN = Path(sys.executable).parent


def gradebook(course: Path) -> dict:
    """student -> (score, sorted grades), read in a subprocess (nbgrader's import is slow)."""
    code = ("import json\nfrom nbgrader.api import Gradebook\nout = {}\n"
            f"with Gradebook({f'sqlite:///{course}/gradebook.db'!r}, {COURSE_ID!r}) as gb:\n"
            f"    for sub in gb.find_assignment({A1.name!r}).submissions:\n"
            "        out[sub.student.id] = [sub.score, sorted([g.name, g.auto_score, g.max_score] "
            "for nb in sub.notebooks for g in nb.grades)]\n"
            "print(json.dumps(out, sort_keys=True))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--class-size", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON to PATH")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_grading import class_mix

    work = Path(tempfile.mkdtemp(prefix="bench-autograde-"))
    env = hermetic_env(work / "state")
    try:
        base = make_course(work / "base", (A1.name,))
        gen = subprocess.run([str(BIN / "nbgrader"), "generate_assignment", A1.name, "--force"], cwd=base, env=env,
                             capture_output=True, text=True)
        if gen.returncode:
            raise SystemExit(gen.stderr[-3000:])
        make_class(base, A1, class_mix(args.class_size))
        course_secret.load_secret(base / ".autograder" / "secret")
        timings, books = {}, {}
        load_before = os.getloadavg()[0]
        for name, cmd in (("nbgrader autograde", [str(BIN / "nbgrader"), "autograde", A1.name]),
                          (f"autograder autograde --jobs {args.jobs}",
                           [str(BIN / "autograder"), "autograde", A1.name, "--jobs", str(args.jobs), "--quiet"])):
            course = work / name.split()[0] / "course"
            shutil.copytree(base, course)
            config = course / "nbgrader_config.py"
            config.write_text(config.read_text().replace(str(base), str(course)))
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, cwd=course, env=env, capture_output=True, text=True)
            timings[name] = time.perf_counter() - t0
            books[name] = gradebook(course)
            print(f"{name}: {timings[name]:.1f} s (exit {proc.returncode}, {len(books[name])} submissions)", flush=True)
        one, two = list(timings)
        res = {"class_size": args.class_size, "jobs": args.jobs, "cpus": os.cpu_count(), "seconds": timings,
               "speedup": timings[one] / timings[two], "identical_gradebooks": books[one] == books[two],
               "load_before": load_before, "load_after": os.getloadavg()[0]}
        print(f"speed-up {res['speedup']:.2f}x; identical gradebooks: {res['identical_gradebooks']}; load average "
              f"{load_before:.1f} before, {res['load_after']:.1f} after")
        if args.json:
            Path(args.json).write_text(json.dumps(res, indent=2) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
