"""Every notebook of every assignment in a real JupyterLab 4, in headless Chromium, as people meet it.

- **source** (the instructor's notebook): Run > Run All Cells; every code cell runs, none shows an
  error, each test cell prints a visible and a hidden ✔ line; every matplotlib figure is an image
  the browser decoded; every ipywidgets control is rendered (not "Loading widget...") and each one,
  changed with the keyboard or the mouse, changes the widget's output; all markdown and math render.
- **release** (the student's notebook, nothing filled in): Run > Run All Cells stops at the first
  unfilled exercise, which says "`f` is not implemented yet" in a feedback block (no traceback
  through the grader); everything above it ran cleanly and its plots render; the markdown and math
  of the whole notebook render. Then, as a student working cell by cell, each exercise's answer
  and test cell give the same not-implemented block; and a known mistake pasted into an answer
  cell gets the block that names it, as the in-process checker names it.
- **class report**: ``autograder grade`` on a small class built by the scenario builder; its
  ``report.html``, opened as a file, shows every student and every plot.

Screenshots of each notebook's key parts land in ``docs/screenshots/`` with ``NNKIT_SCREENSHOTS=1``
(``make screenshots``). Without Chromium or Playwright this module skips with one line (fails
under ``CI=true``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from browser_lab import (cell_locator, cells, exercise_widgets, missing_requirements, open_notebook, run_all,
                         run_cell, save_png, set_cell_source)

_REASON = missing_requirements()
if _REASON and os.environ.get("CI") != "true":
    pytest.skip(_REASON, allow_module_level=True)

from autograder.assignments import ASSIGNMENT_NAMES, get_assignment  # noqa: E402
from autograder.frontends.notebook import evaluate  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = [(a, f) for a in ASSIGNMENT_NAMES for f in get_assignment(a).notebook_files]
IDS = [f"{a}/{f}" for a, f in NOTEBOOKS]
#: What must never reach a student: a traceback, or a frame of the grader.
INTERNALS = re.compile(r"Traceback|File \"|site-packages|autograder/|raise ExerciseFailed|checks\.py")
RAW_MATH = re.compile(r"\$\$?[^$]+\$\$?")


def _existing(side: str, name: str, notebook: str) -> str:
    rel = f"{side}/{name}/{notebook}"
    if not (ROOT / rel).exists():
        pytest.skip(f"{rel} does not exist yet")
    return rel


def _errors(cell) -> list[dict]:
    return [o for o in cell["outputs"] if o["type"] == "error"]


def _assert_markdown_and_math(all_cells) -> int:
    """Every markdown cell rendered, its math typeset by MathJax, no raw ``$...$`` left. Returns
    the number of typeset formulas."""
    formulas = 0
    for c in (c for c in all_cells if c["type"] == "markdown"):
        assert c["markdownRendered"], f"markdown cell {c['index']} is not rendered"
        raw = RAW_MATH.search(c["markdownText"])
        assert raw is None, f"markdown cell {c['index']} shows raw math {raw.group(0)[:60]!r} (MathJax did not render it)"
        if "$" in c["source"]:
            assert c["mathjax"] > 0, f"markdown cell {c['index']} has math but MathJax rendered none"
        formulas += c["mathjax"]
    return formulas


def _assert_figures(code_cells) -> list[int]:
    """Every image output shows a decoded image from a data URI, no figure fell back to text.
    Returns the cells holding figures."""
    with_figures = []
    for c in code_cells:
        model_images = sum(any(m.startswith("image/") for m in o["mimes"]) for o in c["outputs"])
        assert c["imageOutputs"] == model_images, (
            f"cell {c['index']}: {model_images} image outputs in the notebook, {c['imageOutputs']} shown")
        for img in c["images"]:
            assert img["dataUri"], f"cell {c['index']}: a figure without a data URI"
            assert img["decoded"], f"cell {c['index']}: a figure the browser could not decode"
        assert "<Figure size" not in c["shownText"], f"cell {c['index']} shows a figure as text, not as an image"
        if c["images"]:
            with_figures.append(c["index"])
    return with_figures


# ----------------------------------------------------------------------------- source notebooks
@pytest.mark.parametrize("name,notebook", NOTEBOOKS, ids=IDS)
def test_source_notebook_runs_cleanly_in_jupyterlab(name, notebook, page, lab, shots):
    open_notebook(page, lab, _existing("solutions", name, notebook))
    seconds = run_all(page)
    all_cells = cells(page)
    code = [c for c in all_cells if c["type"] == "code"]

    not_run = [c["index"] for c in code if c["source"].strip() and c["executionCount"] is None]
    assert not not_run, f"Run All Cells did not run cells {not_run} ({seconds:.0f} s)"
    errors = [(c["index"], o["ename"], o["evalue"][:200]) for c in code for o in _errors(c)]
    assert not errors, f"errors after Run All Cells: {errors}"

    for c in (c for c in code if c["gradeId"].startswith("test_")):
        f = c["gradeId"][len("test_"):]
        for run in ("visible", "hidden"):
            assert re.search(rf"✔ `{re.escape(f)}` passed all \d+ {run} test cases\.", c["shownText"]), (
                f"{c['gradeId']} should print one ✔ line for the {run} run, shows {c['shownText']!r}")

    figures = _assert_figures(code)
    assert figures, "the notebook drew no figure"
    _assert_markdown_and_math(all_cells)

    widget_cells = [c for c in code
                    if any("application/vnd.jupyter.widget-view+json" in o["mimes"] for o in c["outputs"])]
    for c in widget_cells:
        assert c["widgets"] > 0 and not c["loadingWidget"], (
            f"cell {c['index']}: the widget did not render ({c['shownText'][:80]!r})")
        done = exercise_widgets(page, c["index"])
        assert done, f"cell {c['index']} shows a widget with no slider, list or checkbox to change"
        after = cells(page)[c["index"]]
        assert not _errors(after) and all(img["decoded"] for img in after["images"]), (
            f"cell {c['index']}: after {done}, an error or an undecodable figure")

    stem = f"{name}-{Path(notebook).stem}"
    first_plot = cell_locator(page, figures[0]).locator(".jp-OutputArea-output[data-mime-type^='image/']").first
    save_png(first_plot, shots / f"{stem}-plot.png")
    if widget_cells:
        save_png(cell_locator(page, widget_cells[0]["index"]).locator(".jp-Cell-outputArea"),
                 shots / f"{stem}-widget.png")


# ----------------------------------------------------------------------------- release notebooks
def _named_mistake(assignment, notebook: str):
    """``(function, answer source, expected ExerciseResult)`` of the first sample submission that
    changes one function of ``notebook`` into a mistake the checker names; None if there is none."""
    import numpy as np

    mine = {ex.name for ex in assignment.notebook(notebook).exercises}
    unsafe = ("cheat", "loop", "memory", "bomb", "exit", "crash", "sleep", "hang")
    for sc in assignment.scenarios:
        if sc.damage or len(sc.answers) != 1 or any(w in sc.name for w in unsafe) or sc.expected_status != "graded":
            continue
        (f, source), = sc.answers.items()
        if f not in mine:
            continue
        ns = {"np": np, "__name__": "scenario"}
        try:
            exec(compile(source, f"<scenario {sc.name}>", "exec"), ns)
            result = evaluate(assignment, f, ns[f], "visible")
        except Exception:  # a sample that needs the notebook's other cells: try the next one
            continue
        if not result.passed and result.misconception and result.misconception != "calls-reference":
            return f, source, result
    return None


def _block(cell, kind: str) -> dict:
    blocks = [b for b in cell["feedback"] if kind in b["kind"]]
    assert len(blocks) == 1, f"cell {cell['index']} ({cell['gradeId']}) should show one {kind} block: {cell['feedback']}"
    assert not INTERNALS.search(cell["shownText"]), (
        f"cell {cell['index']} shows grader internals: {INTERNALS.search(cell['shownText']).group(0)!r}")
    return blocks[0]


@pytest.mark.parametrize("name,notebook", NOTEBOOKS, ids=IDS)
def test_release_notebook_stops_at_the_first_unfilled_exercise(name, notebook, page, lab, shots):
    assignment = get_assignment(name)
    open_notebook(page, lab, _existing("assignments", name, notebook))
    run_all(page)
    all_cells = cells(page)
    code = [c for c in all_cells if c["type"] == "code"]
    failed = [c for c in code if _errors(c)]
    assert len(failed) == 1, f"Run All Cells should stop at one error, got errors in cells {[c['index'] for c in failed]}"
    stop = failed[0]["index"]

    answers = {c["gradeId"][len("answer_"):]: c["index"] for c in code if c["gradeId"].startswith("answer_")}
    tests = {c["gradeId"][len("test_"):]: c["index"] for c in code if c["gradeId"].startswith("test_")}
    block = _block(failed[0], "not-implemented")
    f = block["exercise"]
    assert f in answers and answers[f] < stop <= tests[f], (
        f"Run All stopped at cell {stop}, which names `{f}`: it should stop at the first unfilled exercise")
    assert f"{f} is not implemented yet" in block["text"], block["text"]
    for c in code:
        if c["index"] < stop:
            assert not _errors(c) and (c["executionCount"] is not None or not c["source"].strip()), (
                f"cell {c['index']} above the stop did not run cleanly")
        elif c["index"] > stop:
            assert c["executionCount"] is None, f"cell {c['index']} below the stop ran ({c['prompt']})"
    _assert_figures([c for c in code if c["index"] < stop])
    assert _assert_markdown_and_math(all_cells) > 0, "the notebook typeset no math"

    # as a student working down the notebook: each exercise's answer cell, then its test cell
    for g in sorted(tests, key=tests.get):
        run_cell(page, answers[g])
        run_cell(page, tests[g])
        cell = cells(page)[tests[g]]
        assert [o["ename"] for o in _errors(cell)] == ["ExerciseFailed"], f"test_{g}: {cell['outputs']}"
        assert f"{g} is not implemented yet" in _block(cell, "not-implemented")["text"]

    stem = f"{name}-{Path(notebook).stem}"
    shot = cell_locator(page, stop)
    mistake = _named_mistake(assignment, notebook)
    if mistake is not None:  # a student pastes a known mistake: the block names it
        g, source, expected = mistake
        set_cell_source(page, answers[g], source)
        run_cell(page, answers[g])
        run_cell(page, tests[g])
        cell = cells(page)[tests[g]]
        text = _block(cell, "nnkit-feedback-failed")["text"]
        assert f"failed {expected.cases_total - expected.cases_passed} of {expected.cases_total} visible test cases" in text
        assert f"Likely mistake ({expected.misconception})" in text, text
        shot = cell_locator(page, tests[g])
    save_png(shot, shots / f"{stem}-feedback.png")


# ----------------------------------------------------------------------------- the class report
def test_class_report_page_renders(page, shots, tmp_path):
    from autograder.frontends.samples import build_submission, load_notebooks

    name = ASSIGNMENT_NAMES[0]
    assignment = get_assignment(name)
    releases, answers = load_notebooks(assignment, ROOT)
    for student, scenario in assignment.demo_class.items():
        for file, data in build_submission(assignment, assignment.scenario(scenario), releases, answers).items():
            (tmp_path / "class" / student).mkdir(parents=True, exist_ok=True)
            (tmp_path / "class" / student / file).write_bytes(data)
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", str(tmp_path / "class"), "--assignment", name,
                           "--jobs", "2", "--out", str(tmp_path / "report"), "--quiet"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = tmp_path / "report" / "report.html"

    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    images = page.evaluate("() => Array.from(document.images).map(i => [i.getAttribute('src'), i.naturalWidth])")
    assert images, "the class report shows no plot"
    assert all(width > 0 for _, width in images), f"plots that did not load: {[s for s, w in images if not w]}"
    text = page.inner_text("body")
    for student in assignment.demo_class:
        assert student in text, f"the class report does not mention {student}"
    save_png(page, shots / "class-report.png")  # the top of the page, as it opens


# ----------------------------------------------------------------------------- the checks can fail
def test_the_checks_see_an_error_a_dead_widget_and_unrendered_output(page, lab):
    """A notebook made to fail each check: an error stops Run All, a slider whose change nothing
    observes leaves its output as it was, a figure shown as text is caught."""
    import nbformat

    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                                           "language": "python"}})
    nb.cells = [
        nbformat.v4.new_markdown_cell("Some math: $a^{[1]} = g(z^{[1]})$."),
        nbformat.v4.new_code_cell("import ipywidgets as widgets\nfrom IPython.display import display\n"
                                  "out = widgets.Output()\nwith out:\n    print('drawn once')\n"
                                  "display(widgets.VBox([widgets.IntSlider(value=3, max=9), out]))"),
        nbformat.v4.new_code_cell("print('<Figure size 640x480 with 1 Axes>')"),
        nbformat.v4.new_code_cell("1 / 0"),
        nbformat.v4.new_code_cell("print('never reached')"),
    ]
    nbformat.write(nb, lab.root / "broken.ipynb")
    open_notebook(page, lab, "broken.ipynb")
    run_all(page)
    all_cells = cells(page)
    assert [o["ename"] for o in _errors(all_cells[3])] == ["ZeroDivisionError"]
    assert all_cells[4]["executionCount"] is None and all_cells[4]["prompt"] == "[ ]:", "Run All should stop at the error"
    assert _assert_markdown_and_math(all_cells) > 0
    with pytest.raises(AssertionError, match="shows a figure as text"):
        _assert_figures([all_cells[2]])
    assert all_cells[1]["widgets"] > 0 and not all_cells[1]["loadingWidget"]
    with pytest.raises(AssertionError, match="the widget's output did not change"):
        exercise_widgets(page, 1, timeout_ms=3000)
