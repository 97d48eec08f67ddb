"""Adding an assignment is one content package and its notebooks, nothing else (README, "Adding an
assignment"): in a temporary copy of the kit, a throwaway assignment is added exactly as the README
says, then released with nbgrader, checked by a student with `autograder check`, graded as a class
with `autograder grade` and through `nbgrader autograde`, with its exact scores."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

REPO = Path(__file__).resolve().parents[3]
NAME = "99_throwaway"

PACKAGE = {
    "__init__.py": '''
        """A throwaway assignment: one notebook, one graded function."""

        from autograder.grading.spec import Assignment, Case, Exercise, Misconception, Notebook, Scenario

        from . import references as ref


        def cases(rng):
            return [Case("x = 3.0", (3.0,)), Case("x of shape (2, 3)", (rng.normal(size=(2, 3)),))]


        def add_not_double(x):
            return x + 1.0


        ASSIGNMENT = Assignment(
            name="99_throwaway", title="A throwaway assignment",
            notebooks=(Notebook("throwaway.ipynb", (
                Exercise(name="double", reference=ref.double, cases=cases, points=2, signature="double(x) -> 2 x",
                         misconceptions=(Misconception("adds-one", add_not_double, "Multiply by 2, do not add 1."),)),
            )),),
            scenarios=(Scenario("correct", "the solution"),
                       Scenario("adds-one", "adds 1", {"double": "def double(x):\\n    return x + 1.0\\n"},
                                expected_score=0.0, expected_phrase="adds-one"),
                       Scenario("cheat-calls-reference", "calls the reference",
                                {"double": "from autograder.assignments.a99_throwaway.references import double\\n"},
                                expected_score=0.0, expected_phrase="reference implementation"),
                       Scenario("invalid-json", "a truncated file", damage="invalid-json", expected_score=0.0,
                                expected_phrase="not valid notebook JSON", expected_status="error")),
            demo_class={"ann": "correct", "bo": "adds-one"},
        )
    ''',
    "references.py": '''
        """The reference of the throwaway assignment."""

        import numpy as np


        def double(x):
            """2 x, for a number or an array of any shape."""
            return 2.0 * x
    ''',
}


def _nbgrader(grade_id, **kw):
    md = {"schema_version": 3, "grade": False, "solution": False, "locked": False, "grade_id": grade_id}
    md.update(kw)
    return {"nbgrader": md}


def _source_notebook():
    return new_notebook(cells=[
        new_markdown_cell("# A throwaway assignment\n\nDouble a number: $y = 2x$.", metadata=_nbgrader("md_intro", locked=True)),
        new_code_cell("import numpy as np\nfrom autograder import Checker\ngrader = Checker(\"99_throwaway\")",
                      metadata=_nbgrader("setup", locked=True)),
        new_code_cell("def double(x):\n    \"\"\"2 x for a number or an array.\"\"\"\n    ### BEGIN SOLUTION\n"
                      "    return 2.0 * x\n    ### END SOLUTION", metadata=_nbgrader("answer_double", solution=True)),
        new_code_cell("# Visible tests: run this cell to check your function.\ngrader.check(\"double\", double)\n"
                      "### BEGIN HIDDEN TESTS\ngrader.check(\"double\", double, run=\"hidden\")\n### END HIDDEN TESTS",
                      metadata=_nbgrader("test_double", grade=True, locked=True, points=2)),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    """A copy of the kit with the throwaway assignment added: its package and its source notebook."""
    root = tmp_path_factory.mktemp("kit")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("autograder", "nnkit"):
        shutil.copytree(REPO / name, root / name, ignore=ignore)
    shutil.copy(REPO / "nbgrader_config.py", root)
    package = root / "autograder" / "assignments" / "a99_throwaway"
    package.mkdir()
    for file, text in PACKAGE.items():
        (package / file).write_text(textwrap.dedent(text).lstrip())
    (root / "solutions" / NAME).mkdir(parents=True)
    nbformat.write(_source_notebook(), root / "solutions" / NAME / "throwaway.ipynb")
    home = root / ".home"
    env = {**os.environ, "PYTHONPATH": str(root), "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "jc"),
           "JUPYTER_DATA_DIR": str(home / "jd"), "IPYTHONDIR": str(home / "ip"), "MPLCONFIGDIR": str(home / "mpl"),
           "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
           "PYTHONWARNINGS": "ignore:Object of type"}
    proc = subprocess.run([str(Path(sys.executable).with_name("nbgrader")), "generate_assignment", NAME],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    release = json.loads((root / "assignments" / NAME / "throwaway.ipynb").read_text())
    for student, body in {"ann": "    return 2.0 * x", "bo": "    return x + 1.0"}.items():
        nb = json.loads(json.dumps(release))
        for cell in nb["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") == "answer_double":
                cell["source"] = "def double(x):\n" + body + "\n"
        folder = root / "submitted" / student / NAME
        folder.mkdir(parents=True)
        (folder / "throwaway.ipynb").write_text(json.dumps(nb))
    return root, env


def _run(kit, *args, timeout=300):
    root, env = kit
    return subprocess.run([sys.executable, *map(str, args)], cwd=root, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_it_is_discovered_with_nothing_else_changed(kit):
    proc = _run(kit, "-c", "from autograder.assignments import ASSIGNMENT_NAMES; print(ASSIGNMENT_NAMES)")
    assert NAME in proc.stdout and "01_logistic_regression" in proc.stdout, proc.stderr


def test_the_release_has_no_solution(kit):
    root, _ = kit
    text = (root / "assignments" / NAME / "throwaway.ipynb").read_text()
    assert "BEGIN SOLUTION" not in text and "2.0 * x" not in text and 'run=\\"hidden\\"' not in text


def test_a_student_checks_it(kit):
    root, _ = kit
    ok = _run(kit, "-m", "autograder", "check", root / "submitted" / "ann" / NAME / "throwaway.ipynb")
    assert ok.returncode == 0 and "Total: 2 / 2" in ok.stdout, ok.stdout + ok.stderr
    wrong = _run(kit, "-m", "autograder", "check", root / "submitted" / "bo" / NAME / "throwaway.ipynb")
    assert wrong.returncode == 1 and "adds-one" in wrong.stdout, wrong.stdout + wrong.stderr


def test_an_instructor_grades_the_class(kit):
    root, _ = kit
    proc = _run(kit, "-m", "autograder", "grade", root / "submitted", "--jobs", "1", "--out", root / "report", "--quiet")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    subs = {s["student"]: s for s in json.loads((root / "report" / "report.json").read_text())["submissions"]}
    assert (subs["ann"]["score"], subs["ann"]["max_score"]) == (2.0, 2.0)
    assert subs["bo"]["score"] == 0.0 and subs["bo"]["exercises"][0]["misconception"] == "adds-one"


def test_nbgrader_autograde_grades_it(kit):
    root, env = kit
    proc = subprocess.run([str(Path(sys.executable).with_name("nbgrader")), "autograde", NAME], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    code = ("from nbgrader.api import Gradebook\n"
            f"with Gradebook('sqlite:///{root}/gradebook.db', 'nnkit') as gb:\n"
            f"    print({{s: gb.find_submission('{NAME}', s).score for s in ('ann', 'bo')}})")
    scores = _run(kit, "-c", code)
    assert scores.stdout.strip() == "{'ann': 2.0, 'bo': 0.0}", scores.stdout + scores.stderr


def test_editing_one_assignment_leaves_the_others_cached_results_valid(kit):
    """The result cache's grader version is per assignment: editing the throwaway package changes its
    own version only (assignment 1's cached results stay valid); editing the core changes both."""
    root, _ = kit
    code = ("from autograder.frontends.batch import grader_version\n"
            f"print(grader_version('01_logistic_regression'), grader_version('{NAME}'))")

    def versions():
        proc = _run(kit, "-c", code)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.split()

    a1, mine = versions()
    refs = root / "autograder" / "assignments" / "a99_throwaway" / "references.py"
    core = root / "autograder" / "grading" / "compare.py"
    original_refs, original_core = refs.read_text(), core.read_text()
    try:
        refs.write_text(original_refs + "\n# an edit of the throwaway assignment's content\n")
        a1_after, mine_after = versions()
        assert a1_after == a1 and mine_after != mine
        core.write_text(original_core + "\n# an edit of the grading core\n")
        a1_core, mine_core = versions()
        assert a1_core != a1 and mine_core != mine_after
    finally:
        refs.write_text(original_refs)
        core.write_text(original_core)


def test_a_function_graded_in_two_notebooks_is_refused():
    from dataclasses import replace

    from autograder.assignments import get_assignment
    from autograder.grading.spec import Assignment

    nb = get_assignment("01_logistic_regression").notebooks[0]
    twin = replace(nb, file="twin.ipynb")
    with pytest.raises(ValueError, match=r"`flatten_and_scale` is graded in both logistic_regression.ipynb and twin.ipynb"):
        Assignment(name="dup", title="dup", notebooks=(nb, twin))
