"""``autograder grade``: grade a class of submissions and write the reports (see :mod:`autograder.frontends.cli`
for the command's reference, and :mod:`autograder.frontends.batch` for the grading itself)."""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from pathlib import Path

from autograder.assignments import ASSIGNMENT_NAMES
from autograder.frontends import executors
from autograder.frontends import report as rep
from autograder.frontends import secret as course_secret
from autograder.frontends.batch import UsageError, discover, grade_class, grader_version, write_reports
from autograder.frontends.cli_support import (EXIT_BUSY, EXIT_INTERRUPTED, EXIT_ISOLATION, EXIT_OK, EXIT_OUTPUT,
                                              backend_kw, check_assignment, err)
from autograder.frontends.locks import OutputBusy, OutputError, SaveFailed, check_writable, claim_output
from autograder.frontends.safe_text import terminal_text
from autograder.isolation.errors import SandboxUnavailable

__all__ = ["cmd_grade"]


def _default_out(root: Path) -> Path:
    # Beside submitted/ in an nbgrader course (where an instructor looks for outputs), else here.
    if root.name == "submitted":
        return root.resolve().parent / "autograder-report"
    return Path.cwd() / "autograder-report"


def cmd_grade(args) -> int:
    t_start = time.perf_counter()
    if args.assignment:
        check_assignment(args.assignment)
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1.")
    path = Path(args.path)
    if not path.exists():
        raise UsageError(f"{path} does not exist.")
    explicit_out = Path(args.out) if args.out else None
    subs, root = discover(path, args.assignment, exclude=explicit_out)
    if not subs:
        what = f" for {args.assignment}" if args.assignment else ""
        raise UsageError(f"no notebooks found{what} under {path} (expected submitted/<student>/<assignment>/*.ipynb, "
                         "<student>/<notebook>.ipynb or <student>.ipynb).")
    out = (explicit_out or _default_out(root)).resolve()
    json_path = Path(args.json).resolve() if args.json else out / "report.json"
    try:  # read here, in this process: never on a command line or in an environment
        secret = course_secret.load_secret(course_secret.secret_path(path))
    except course_secret.SecretError as exc:
        raise UsageError(str(exc)) from None

    lock = None
    try:  # before any grading: a folder that cannot take the results, or that another run is filling, stops here
        lock = claim_output(out)
        if json_path.parent != out:
            check_writable(json_path.parent)
    except OutputError as exc:
        if lock is not None:
            lock.release()
        err(str(exc))
        return EXIT_BUSY if isinstance(exc, OutputBusy) else EXIT_OUTPUT
    try:
        return _grade_locked(args, subs, root, out, json_path, secret, t_start)
    finally:
        lock.release()


def _grade_locked(args, subs, root, out, json_path, secret, t_start) -> int:
    print(f"Grading {len(subs)} submission(s) from {terminal_text(root)} with {executors.describe(args)}; output in "
          f"{terminal_text(out)}", file=sys.stderr)
    print(f"Hidden inputs drawn from the {terminal_text(secret)}; `autograder secret rotate` draws new ones.",
          file=sys.stderr)
    for sub in subs:
        if sub.warning:
            print(f"  warning: {terminal_text(sub.warning)}", file=sys.stderr)
    from tqdm import tqdm

    bar = tqdm(total=len(subs), desc="grading", unit="nb", file=sys.stderr, disable=args.quiet, dynamic_ncols=True)

    def progress(sub, res):
        bar.set_postfix_str(f"{terminal_text(sub.student)}: {'cached' if res.get('cached') else res['status']}",
                            refresh=False)
        bar.update(1)

    try:
        with executors.grading_kwargs(args, backend_kw(args)["backend"], tuple({s.assignment for s in subs})) as kw:
            run = grade_class(subs, out, secret=secret.value, force=args.force, on_result=progress, **kw)
    except SandboxUnavailable as exc:  # refused before any student code ran: say why and how to fix it
        bar.close()
        err(str(exc))
        return EXIT_ISOLATION
    except SaveFailed as exc:  # e.g. the disk filled up: stopped at the first failed save, nothing saved is lost
        bar.close()
        err(str(exc))
        return EXIT_OUTPUT
    finally:
        bar.close()
    grading_s = time.perf_counter() - t_start
    results = run.results
    versions = {a: grader_version(a) for a in sorted({s.assignment for s in subs}) if a in ASSIGNMENT_NAMES}
    extra = {"grader_version": versions, "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
             "source": str(root.resolve()), "jobs": args.jobs, "interrupted": run.interrupted,
             "timings": {"grading_s": round(grading_s, 3),
                         "graded_now": sum(1 for r in results.values() if not r.get("cached")),
                         "reused": sum(1 for r in results.values() if r.get("cached"))}}
    try:
        all_subs, summary = write_reports(out, json_path, results, extra)
    except OSError as exc:
        err(f"{SaveFailed(Path(getattr(exc, 'filename', None) or out), exc)}")
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        print("\nInterrupted while writing the reports; the graded results are kept in "
              f"{out / 'results'}: run the same command again to finish.", file=sys.stderr)
        return EXIT_INTERRUPTED
    _print_summary(out, json_path, results, all_subs, summary, time.perf_counter() - t_start)
    if run.interrupted:
        print(f"\nInterrupted: {len(results)} of {len(subs)} submissions done and saved. Run the same command "
              "again to grade the rest (finished ones are reused).", file=sys.stderr)
        if run.abandoned:
            # Submissions still in their sandbox would be thrown away anyway (see batch._Stop); waiting for
            # them could take a whole time limit. Exit now: the sandboxes die with this process
            # (bwrap --die-with-parent), and every finished result is already on disk.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(EXIT_INTERRUPTED)
        return EXIT_INTERRUPTED
    return EXIT_OK


def _print_summary(out: Path, json_path: Path, results: dict, all_subs: list[dict], summary: dict, seconds: float):
    run = list(results.values())
    graded = [r for r in run if r.get("status") == "graded"]
    errors = [r for r in run if r.get("status") != "graded"]
    reused = sum(1 for r in run if r.get("cached"))
    print(f"\nGraded {len(graded)}, errors {len(errors)} ({reused} reused unchanged, "
          f"{len(run) - reused} graded now) in {seconds:.1f} s.")
    for r in errors:
        print(f"  error: {terminal_text(r.get('student'))} / {terminal_text(r.get('assignment'))}: "
              f"{terminal_text(r.get('error'))}")
    if graded:
        mean = sum(float(r.get("score") or 0) for r in graded) / len(graded)
        maxs = {rep.fmt_points(r.get("max_score")) for r in graded}
        print(f"Mean score: {mean:.2f}" + (f" / {maxs.pop()}" if len(maxs) == 1 else ""))
    mis = Counter((e.get("name"), e.get("misconception")) for r in graded for e in r.get("exercises") or []
                  if e.get("misconception"))
    if mis:
        print("Most common misconceptions: " + ", ".join(f"{ex}: {m} ×{n}" for (ex, m), n in mis.most_common(5)))
    else:
        print("Most common misconceptions: none detected.")
    flagged = [(r, rep.integrity_flags(r)) for r in run if rep.integrity_flags(r)]
    for r, flags in flagged:  # not mistakes: for the instructor to look at (report.html lists them too)
        print(f"  integrity flag: {terminal_text(r.get('student'))} / {terminal_text(r.get('assignment'))}: "
              f"{terminal_text('; '.join(flags))}")
    backends = Counter(r.get("backend") for r in graded if r.get("backend") and not r.get("cached"))
    if backends:
        print("Sandbox: " + ", ".join(f"{b} ×{n}" for b, n in backends.items()))
    if any(str(b).startswith("unconfined") for b in backends):
        print("  Warning: student code ran WITHOUT filesystem isolation (--backend unconfined): it could read "
              "whatever its uid can read. `autograder doctor` says what this machine can give instead.")
    older = len(all_subs) - len(run)
    if older > 0:
        print(f"(The reports also include {older} earlier result(s) kept in {out / 'results'} that are not "
              "in this run; delete those files to drop them.)")
    print(f"Wrote: {json_path}\n       {out / 'grades.csv'}\n       {out / 'report.html'} (+ PNG plots)\n"
          f"       {out / 'feedback'}/<student>/<assignment>.html\n       {out / 'results'}/ (one file per submission)")


# ----------------------------------------------------------------------------- secret
