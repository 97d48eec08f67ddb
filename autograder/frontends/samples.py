"""Build the sample submissions of an assignment (its ``scenarios``) as notebook files.

A scenario is filled in from the student release notebooks: every answer cell gets the solution
(taken from the instructor notebooks without the solution markers), then the scenario's own
answers replace some of them, then the file may be damaged on purpose. The demo (``make demo``)
grades a class made of them, and the scenario tests assert each one's exact score and the key
phrase of its feedback.

``python -m autograder.frontends.samples ASSIGNMENT OUTDIR`` writes every scenario of an assignment
as ``OUTDIR/<scenario>/<notebook>.ipynb``.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

from autograder.grading.spec import Assignment, Scenario

__all__ = ["solution_answers", "build_submission", "write_scenarios", "load_notebooks", "REPO"]

REPO = Path(__file__).resolve().parents[2]


def _grade_id(cell) -> str:
    md = cell.get("metadata", {}).get("nbgrader", {})
    return md.get("grade_id", "") if isinstance(md, dict) else ""


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else source


def solution_answers(source_nb: dict) -> dict[str, str]:
    """Answer-cell sources of an instructor notebook with the solution markers removed."""
    out = {}
    for cell in source_nb["cells"]:
        gid = _grade_id(cell)
        if gid.startswith("answer_"):
            lines = [ln for ln in _text(cell["source"]).splitlines() if not re.match(r"\s*### (BEGIN|END) SOLUTION", ln)]
            out[gid[len("answer_"):]] = "\n".join(lines) + "\n"
    return out


def load_notebooks(assignment: Assignment, root: Path = REPO) -> tuple[dict[str, dict], dict[str, str]]:
    """The release notebooks of ``assignment`` (file -> parsed JSON) and the solution answers of all its
    notebooks (function -> source), read from ``root/assignments`` and ``root/solutions``."""
    releases, answers = {}, {}
    for file in assignment.notebook_files:
        releases[file] = json.loads((root / "assignments" / assignment.name / file).read_text(encoding="utf-8"))
        answers.update(solution_answers(json.loads((root / "solutions" / assignment.name / file).read_text(encoding="utf-8"))))
    return releases, answers


def _damage_target(assignment: Assignment, kind: str, target: str) -> str:
    """The notebook file a damage applies to."""
    if kind in ("delete-answer", "delete-test", "duplicate-answer"):
        return assignment.exercise(target).notebook
    return assignment.notebook(target).file if target else assignment.notebook_files[0]


def _fill(nb: dict, filled: dict[str, str]) -> dict:
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        gid = _grade_id(cell)
        if gid.startswith("answer_") and gid[len("answer_"):] in filled:
            cell["source"] = filled[gid[len("answer_"):]].strip("\n") + "\n"
    return nb


def _damaged(nb: dict, kind: str, target: str, answers: dict[str, str]) -> bytes:
    if kind == "delete-answer":
        nb["cells"] = [c for c in nb["cells"] if _grade_id(c) != f"answer_{target}"]
    elif kind == "delete-test":
        nb["cells"] = [c for c in nb["cells"] if _grade_id(c) != f"test_{target}"]
    elif kind == "duplicate-answer":
        # The right answer first, then (later in the notebook) the scenario's wrong one, without metadata.
        idx = next(i for i, c in enumerate(nb["cells"]) if _grade_id(c) == f"answer_{target}")
        wrong = copy.deepcopy(nb["cells"][idx])
        nb["cells"][idx]["source"] = answers[target]
        wrong["metadata"] = {}
        wrong.pop("id", None)
        nb["cells"].insert(idx + 2, wrong)
    elif kind == "huge-output":
        cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x" * (40 << 20)}]
    elif kind == "nbformat3":
        nb["nbformat"] = 3
    text = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    if kind == "invalid-json":
        return text[: len(text) // 2].encode("utf-8")
    if kind == "not-utf8":
        raw = text.encode("utf-8")
        return raw[:100] + b"\xc4\xe9\xff" + raw[100:]  # Latin-1 bytes in the middle
    return text.encode("utf-8")


def build_submission(assignment: Assignment, scenario: Scenario, releases: dict[str, dict],
                     answers: dict[str, str]) -> dict[str, bytes]:
    """The files (notebook file -> bytes) a student with this scenario would submit."""
    filled = {**answers, **scenario.answers}
    kind, _, target = (scenario.damage or "").partition(":")
    damaged = _damage_target(assignment, kind, target) if kind else None
    out = {}
    for file in assignment.notebook_files:
        nb = _fill(releases[file], filled)
        if file == damaged:
            out[file] = _damaged(nb, kind, target, answers)
        else:
            out[file] = (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    return out


def write_scenarios(outdir: str | Path, assignment: Assignment, root: Path = REPO) -> dict[str, Path]:
    """Write every scenario of ``assignment`` as ``OUTDIR/<scenario>/<notebook>``; return scenario -> folder."""
    releases, answers = load_notebooks(assignment, root)
    outdir = Path(outdir)
    folders = {}
    for sc in assignment.scenarios:
        folder = outdir / sc.name
        folder.mkdir(parents=True, exist_ok=True)
        for file, data in build_submission(assignment, sc, releases, answers).items():
            (folder / file).write_bytes(data)
        folders[sc.name] = folder
    return folders


if __name__ == "__main__":
    from autograder.assignments import get_assignment

    if len(sys.argv) != 3:
        sys.exit("usage: python -m autograder.frontends.samples ASSIGNMENT OUTDIR")
    written = write_scenarios(sys.argv[2], get_assignment(sys.argv[1]))
    print(f"wrote {len(written)} scenario submissions to {sys.argv[2]}")
