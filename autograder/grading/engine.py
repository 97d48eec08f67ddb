"""The grading engine: student code in, trusted verdicts out.

``grade(notebook, assignment)`` is the one entry point. For one notebook of an assignment:

1. extract the student's definitions (:mod:`autograder.grading.extract`);
2. draw the test inputs of every exercise of that notebook from a seeded ``rng`` (different seeds
   for the visible run in the notebook and the hidden run at grading);
3. compute the reference results here, on the trusted side, while the sandbox boots or runs all
   the student's calls as ONE job (:mod:`autograder.isolation`), each graded
   function in its own process there: each call sees the reference versions of the *other* graded
   functions and of the helpers the notebook provides, so one mistake costs the points of one
   function only; the reference of the function under test, and the nnkit functions that compute
   the same thing, are not available in its process at all;
4. compare every result with the reference (:mod:`autograder.grading.compare`) and turn the
   outcomes into verdicts (:mod:`autograder.grading.verdict`).

A crash that kills a function's process (``os._exit``, a memory bomb) costs that function only. The
sandbox is a new one per call of :func:`grade` (started while the notebook is read), or a warm
one lent by a pool (:func:`sandbox_pool`, passed as ``backend``) when a class is graded.
"""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Iterable

import numpy as np

from autograder.grading import bounded
from autograder.grading.extract import StudentCode, SubmissionError
from autograder.grading.sandboxes import ONE_SHOT_PARALLEL, STUB_MODULES, sandbox_pool
from autograder.grading.spec import Assignment, Exercise
from autograder.grading.verdict import CaseCall, ExerciseResult, GradeReport, Outcome, Status, verdict
from autograder import isolation

#: (``sandbox_pool``, ``STUB_MODULES`` and ``ONE_SHOT_PARALLEL`` live in :mod:`autograder.grading.sandboxes`)
__all__ = ["grade", "case_rng", "case_calls", "drawn_calls", "with_expected", "select_exercises", "sandbox_pool",
           "STUB_MODULES", "ONE_SHOT_PARALLEL"]

#: More restarts than this after crashes and the remaining exercises are marked as not graded.
MAX_RESTARTS = 8


def case_rng(assignment: str, exercise: str, run: str, key: str = "") -> np.random.Generator:
    """The generator of one exercise's inputs: a stable function of its names, the run ("visible"
    or "hidden") and a key (for the hidden run, a course secret and the student's id)."""
    digest = hashlib.sha256(f"{assignment}/{exercise}/{run}/{key}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "little"))


def case_calls(assignment: Assignment, ex: Exercise, run: str, key: str = "") -> list[CaseCall]:
    """The cases of one exercise with the reference's results (computed here, on copies)."""
    return [with_expected(c) for c in drawn_calls(assignment, ex, run, key)]


def drawn_calls(assignment: Assignment, ex: Exercise, run: str, key: str = "") -> list[CaseCall]:
    """The cases of one exercise, drawn, without the reference's results yet (``expected`` is None):
    what the sandbox needs to run them; :func:`with_expected` adds the results."""
    cases = ex.cases(case_rng(assignment.name, ex.name, run, key))
    return [CaseCall(f"{ex.name}-{i}", ex, case, None) for i, case in enumerate(cases)]


def with_expected(c: CaseCall) -> CaseCall:
    """``c`` with the reference's result on copies of its inputs (None for an exercise graded by a ``check``)."""
    if c.exercise.check:
        return c
    return CaseCall(c.id, c.exercise, c.case,
                    c.exercise.reference(*copy.deepcopy(c.case.args), **copy.deepcopy(c.case.kwargs)))


def select_exercises(assignment: Assignment, notebook: str | None, defined: Iterable[str] = (),
                     only: set[str] | None = None) -> list[Exercise]:
    """The exercises to grade in one notebook file.

    ``only`` wins; else the notebook named ``notebook`` (file or stem); else, for a notebook whose
    name matches none (a renamed copy), the assignment's only notebook, or the one whose graded
    functions the code defines most of.
    """
    if only is not None:
        return [ex for ex in assignment.exercises if ex.name in only]
    if notebook:
        stem = Path(notebook).name
        for nb in assignment.notebooks:
            if stem in (nb.file, nb.stem):
                return list(nb.exercises)
    if len(assignment.notebooks) == 1:
        return list(assignment.exercises)
    names = set(defined)
    best = max(assignment.notebooks, key=lambda nb: sum(ex.name in names for ex in nb.exercises))
    return list(best.exercises)


def grade(notebook: str | Path | dict | StudentCode | bounded.Reading, assignment: str | Assignment, *,
          notebook_name: str | None = None,
          run: str = "hidden", key: str = "", only: set[str] | None = None, limits: isolation.Limits | None = None,
          backend: str | isolation.Pool | None = None) -> GradeReport:
    """Grade one notebook of ``assignment``: a file path, a parsed notebook (a dict as
    :func:`autograder.grading.extract.parse_notebook` returns), a file being read
    (:func:`autograder.grading.bounded.start_file`) or already extracted code.

    Problems with the file become ``status="error"`` with a message, never exceptions.
    """
    from autograder.assignments import get_assignment

    assignment = get_assignment(assignment) if isinstance(assignment, str) else assignment
    if isinstance(notebook, (str, Path)):
        notebook_name = notebook_name or Path(notebook).name
    elif isinstance(notebook, bounded.Reading):
        notebook_name = notebook_name or notebook.name
    # reading and parsing run in a bounded child (autograder.grading.bounded): a crafted file costs
    # its submission an error, never the grader's memory or minutes
    try:
        if isinstance(notebook, (str, Path)):
            student = bounded.extract_file(notebook)
        elif isinstance(notebook, StudentCode):
            student = notebook
        elif isinstance(notebook, bounded.Reading):
            student = notebook.result()
        else:
            student = bounded.extract_parsed(notebook, notebook_name or "notebook")
    except SubmissionError as exc:
        return GradeReport(assignment.name, notebook_name or "notebook", "error", str(exc))
    exercises = select_exercises(assignment, notebook_name, student.defined, only)
    return _grade_code(student, assignment, exercises, notebook_name or "notebook", run, key, limits, backend)


def _grade_code(student: StudentCode, assignment: Assignment, exercises: list[Exercise], notebook: str, run: str,
                key: str, limits, backend) -> GradeReport:
    present = set(student.defined)
    pool, own = (backend, False) if isinstance(backend, isolation.Pool) else (None, True)
    try:
        if own and any(ex.name in present for ex in exercises):  # it boots while the inputs are drawn
            pool = sandbox_pool((assignment.name,), 1, backend, limits=limits, parallel=ONE_SHOT_PARALLEL, many=False)
            pool.prestart()
        calls = {ex.name: drawn_calls(assignment, ex, run, key) for ex in exercises}
        order = [ex for ex in exercises if ex.name in present]
        if pool is not None and pool.parallel > 1:  # so that the lanes end together: graded functions build on
            order.reverse()  # the ones before them (model on optimize on propagate), so the last cost the most
        to_run = [c for ex in order for c in calls[ex.name]]

        def references() -> None:  # run while the sandbox boots or runs the calls (see Pool.run)
            for name, cs in calls.items():
                calls[name] = [with_expected(c) for c in cs]

        if to_run:
            outcomes, used_backend, tamper = _run_in_sandbox(student, assignment, to_run, limits, pool, references)
        else:
            references()
            outcomes, used_backend, tamper = {}, None, []
    finally:
        if own and pool is not None:
            pool.close()
    report = GradeReport(assignment.name, notebook, "graded", backend=used_backend, tamper=tamper)
    for ex in exercises:
        if ex.name not in present:
            report.exercises.append(ExerciseResult(ex.name, 0.0, float(ex.points), False, None,
                                                   student.missing_message(ex.name), Status.MISSING, 0,
                                                   len(calls[ex.name]), ex.notebook))
            continue
        report.exercises.append(verdict(ex, calls[ex.name], outcomes, student.locate))
    return report


# ----------------------------------------------------------------------------- sandbox runs
def _sandbox_call(c: CaseCall, refs: dict[str, str]) -> isolation.Call:
    replace: dict = {n: p for n, p in refs.items() if n != c.exercise.name}
    for name, (factory, args) in c.case.bind.items():
        replace[name] = {"factory": factory, "args": list(args)}
    return isolation.Call(c.id, c.exercise.name, tuple(c.case.args), dict(c.case.kwargs), c.exercise.timeout_s,
                          replace=replace, forbid=c.exercise.forbidden)


def _run_in_sandbox(student: StudentCode, assignment: Assignment, calls: list[CaseCall], limits,
                    pool: isolation.Pool, meanwhile=None) -> tuple[dict[str, Outcome], str | None, list[str]]:
    """Run the calls in ``pool``'s sandboxes. Each graded function runs in its own process there, so a
    crash or timeout costs that function only; calls of functions that never started (the sandbox
    itself was stopped) run again in a new job. ``meanwhile``: called once, while the first job's
    sandbox boots or runs (see :meth:`autograder.isolation.pool.Pool.run`).

    Returns ``{call id: Outcome}``, the protections that were in force (a one-line summary) and what
    student code was seen trying (integrity notes for the instructor).
    """
    outcomes: dict[str, Outcome] = {}
    tamper: list[str] = []
    # the other graded functions are the references while one is graded, and provided helpers
    # are always the trusted versions
    refs = {**assignment.provided(), **{ex.name: ex.reference_path for ex in assignment.exercises}}
    pending = list(calls)
    used = None
    lim = limits or isolation.Limits()
    for _ in range(MAX_RESTARTS + 1):
        if not pending:
            break
        wall = min(lim.wall_s, 5.0 + sum(c.exercise.timeout_s for c in pending))
        job = isolation.Job(student.source, tuple(_sandbox_call(c, refs) for c in pending), parallel=pool.parallel)
        result = pool.run(job, isolation.replace_limits(lim, wall_s=wall), meanwhile=meanwhile)
        meanwhile = None
        used = result.protections.summary() if result.protections else result.backend
        tamper += [t for t in result.tamper if t not in tamper]
        for r in result.results:
            outcomes[r["id"]] = Outcome.from_dict(r)
        rest = [c for c in pending if c.id not in outcomes]
        if len(rest) == len(pending):  # no progress: this job cannot run here
            reason = result.killed_reason or "the sandbox ended without reporting"
            for c in rest:
                outcomes[c.id] = Outcome("crashed", error_message=reason)
            break
        pending = rest
    for c in pending:
        outcomes.setdefault(c.id, Outcome("crashed", error_message="too many crashes"))
    return outcomes, used, tamper
