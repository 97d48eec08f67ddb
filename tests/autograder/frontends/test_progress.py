"""`autograder progress`: a self-learner's standing over every assignment, from their own notebooks.

A learner's folder is built from the course's own notebooks: assignment 1 with one known mistake,
assignment 2's first notebook with one function filled in and the rest still stubs, the other
notebooks missing. Graded once (in the sandbox, as `autograder check` does); every state is checked.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from autograder.assignments import ASSIGNMENT_NAMES, get_assignment
from autograder.frontends import cli
from autograder.frontends.progress import State, collect, find_notebook, format_progress, stubbed_functions
from autograder.frontends.samples import REPO, build_submission, load_notebooks
from autograder.grading.spec import Scenario

A1, A2 = ASSIGNMENT_NAMES[0], ASSIGNMENT_NAMES[1]


def _write(folder: Path, assignment: str, files: dict[str, bytes]) -> None:
    for file, data in files.items():
        (folder / "assignments" / assignment).mkdir(parents=True, exist_ok=True)
        (folder / "assignments" / assignment / file).write_bytes(data)


@pytest.fixture(scope="module")
def learner(tmp_path_factory):
    """A learner's course folder and the Progress graded from it."""
    folder = tmp_path_factory.mktemp("learner")
    a1 = get_assignment(A1)
    releases, answers = load_notebooks(a1, REPO)
    _write(folder, A1, build_submission(a1, a1.scenario("missing-1-over-m"), releases, answers))

    a2 = get_assignment(A2)
    first = a2.notebooks[0]
    releases, answers = load_notebooks(a2, REPO)
    filled = first.exercises[0].name  # only the first function written, the others still the stub
    files = build_submission(a2, Scenario("partial", "one function written"), releases, {filled: answers[filled]})
    _write(folder, A2, {first.file: files[first.file]})
    return folder, collect(folder), filled


def _states(progress, assignment: str) -> dict[str, tuple[State, str | None]]:
    return {f.name: (f.state, f.mistake) for nb in progress.notebooks if nb.assignment == assignment
            for f in nb.functions}


def test_a_known_mistake_fails_with_its_name_and_the_rest_passes(learner):
    _, progress, _ = learner
    states = _states(progress, A1)
    assert states.pop("propagate") == (State.FAILED, "missing-1/m")
    assert set(states.values()) == {(State.PASSED, None)}
    a1 = [nb for nb in progress.notebooks if nb.assignment == A1]
    assert sum(nb.points for nb in a1) == get_assignment(A1).max_score - 3


def test_stubs_and_missing_notebooks_are_not_started(learner):
    folder, progress, filled = learner
    a2 = get_assignment(A2)
    states = _states(progress, A2)
    assert states.pop(filled) == (State.PASSED, None)
    assert set(states.values()) == {(State.NOT_STARTED, None)}
    missing = [nb for nb in progress.notebooks if nb.path is None]
    assert {(nb.assignment, nb.file) for nb in missing} == {
        (a, f) for a in ASSIGNMENT_NAMES for f in get_assignment(a).notebook_files} - {
        (A1, get_assignment(A1).notebook_files[0]), (A2, a2.notebook_files[0])}
    assert all(f.state is State.NOT_STARTED and f.points == 0 for nb in missing for f in nb.functions)
    # every graded function of the course is listed once, and the totals add up
    assert progress.count(State.PASSED) + progress.count(State.FAILED) + progress.count(State.NOT_STARTED) == sum(
        len(get_assignment(a).exercises) for a in ASSIGNMENT_NAMES)
    assert progress.max_points == sum(get_assignment(a).max_score for a in ASSIGNMENT_NAMES)


def test_the_report_says_where_the_learner_stands_and_what_is_next(learner):
    _, progress, _ = learner
    text = format_progress(progress)
    assert "✘ propagate" in text and "missing-1/m" in text
    assert "not found: copy it from the course's assignments/ folder" in text
    assert f"Total: {progress.points:g} / {progress.max_points:g} points; {progress.count(State.PASSED)} functions pass, 1 fail" in text
    assert "Next: fix `propagate` in " in text  # the first function, in course order, that does not pass
    ascii_text = format_progress(progress, marks=("PASS", "FAIL", "TODO"))
    assert "FAIL propagate" in ascii_text and "✔" not in ascii_text


def test_command_line_prints_the_progress_and_writes_json(learner, tmp_path):
    folder, progress, _ = learner
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["progress", str(folder), "--json", str(tmp_path / "p.json")]) == 0
    assert "Total: " in out.getvalue() and A1 in out.getvalue()
    data = json.loads((tmp_path / "p.json").read_text())
    assert data["points"] == progress.points and data["max_points"] == progress.max_points
    by_name = {f["name"]: f for nb in data["notebooks"] if nb["assignment"] == A1 for f in nb["functions"]}
    assert by_name["propagate"]["state"] == "failed" and by_name["propagate"]["mistake"] == "missing-1/m"


def test_command_line_refuses_a_folder_without_notebooks(tmp_path):
    err = io.StringIO()
    with redirect_stderr(err), redirect_stdout(io.StringIO()):
        assert cli.main(["progress", str(tmp_path / "nowhere")]) == 2
        assert cli.main(["progress", str(tmp_path)]) == 2
    assert "is not a folder" in err.getvalue() and "no notebook of the course" in err.getvalue()


def test_finds_notebooks_in_the_course_its_assignments_folder_or_one_assignment_folder(tmp_path):
    file = get_assignment(A1).notebook_files[0]
    nb = tmp_path / "assignments" / A1 / file
    nb.parent.mkdir(parents=True)
    nb.write_text("{}")
    assert find_notebook(tmp_path, A1, file) == nb
    assert find_notebook(tmp_path / "assignments", A1, file) == nb
    assert find_notebook(tmp_path / "assignments" / A1, A1, file) == nb
    assert find_notebook(tmp_path, A2, file) is None


def test_stubbed_functions_are_those_whose_body_still_raises_not_implemented():
    source = '''
def stub(x):
    # YOUR CODE HERE
    raise NotImplementedError()

def bare(x):
    raise NotImplementedError

def written(x):
    return 2 * x

def guarded(x):
    if x < 0:
        raise NotImplementedError("negative inputs")
    return x

def redefined(x):
    raise NotImplementedError()

def redefined(x):
    return x
'''
    assert stubbed_functions(source) == {"stub", "bare"}
    assert stubbed_functions("def broken(:\n") == set()
