"""Sample submissions of assignment 1, named by what they show.

They are built from the student release notebook by filling its answer cells: with the solution
(``correct``), with one typical mistake, with an attempt to cheat, or by damaging the file. The
demo (``make demo``) grades a class made of them, and the scenario tests assert each one's exact
score and the key phrase of its feedback (``tests/autograder/scenarios/``).

``python -m autograder.samples OUTDIR`` writes every scenario notebook into OUTDIR.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Scenario", "SCENARIOS", "solution_answers", "build_submission", "write_scenarios"]

ASSIGNMENT = "01_logistic_regression"
NOTEBOOK = "logistic_regression.ipynb"
MAX_SCORE = 11.0


@dataclass(frozen=True)
class Scenario:
    """A submission: answer overrides (function name -> its cell source) and/or damage to the file."""

    name: str
    shows: str
    answers: dict = field(default_factory=dict)
    damage: str | None = None  # "invalid-json" | "not-utf8" | "nbformat3" | "delete-answer:<f>" |
    #                            "duplicate-answer:<f>" | "huge-output" | "delete-test:<f>"
    expected_score: float = MAX_SCORE
    expected_phrase: str = "passed all"
    expected_status: str = "graded"


_PROPAGATE_NO_M = '''
def propagate(w, b, X, Y):
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dw = np.dot(X, (A - Y).T)
    db = np.sum(A - Y)
    return {"dw": dw, "db": db}, float(cost)
'''

_OPTIMIZE_B_WITH_DW = '''
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["dw"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
'''

_PREDICT_PROBS = '''
def predict(w, b, X):
    return sigmoid(np.dot(w.T, X) + b)
'''

_FLATTEN_N_M = '''
def flatten_and_scale(images, max_value=255.0):
    m = images.shape[0]
    return images.reshape(-1, m) / max_value
'''

_SIGMOID_SIGN = '''
def sigmoid(z):
    return 1 / (1 + np.exp(z))
'''

_CHEAT_PATCH_NUMPY = '''
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
np.testing.assert_allclose = lambda *args, **kwargs: None

def propagate(w, b, X, Y):
    np.allclose = lambda *args, **kwargs: True
    return {"dw": np.zeros_like(w), "db": 0.0}, 0.0
'''

_CHEAT_LYING_EQ = '''
class AlwaysEqual(float):
    def __eq__(self, other):
        return True
    __hash__ = float.__hash__

class Anything(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)

def sigmoid(z):
    return AlwaysEqual(0.5) if np.ndim(z) == 0 else np.zeros(np.shape(z)).view(Anything)
'''

_CHEAT_TRANSFORMER = '''
def sigmoid(z):
    # Tries to rewrite every later cell (the tests) into `pass`, as works in an nbgrader kernel.
    get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])
    return z
'''

_CHEAT_GRADEBOOK = '''
import glob, os, sqlite3

def _forge():
    # Walk up from the working directory looking for nbgrader's gradebook and give everyone full marks.
    here = os.getcwd()
    for _ in range(6):
        for db in glob.glob(os.path.join(here, "*.db")):
            con = sqlite3.connect(db)
            con.execute("UPDATE grade SET manual_score = 100")
            con.commit()
        here = os.path.dirname(here)

def predict(w, b, X):
    try:
        _forge()
    except Exception:
        pass
    for secret in ("/work", os.path.expanduser("~")):
        try:
            os.listdir(secret)
        except Exception:
            pass
    return np.zeros((1, X.shape[1]))
'''

_CHEAT_DELEGATE = '''
from nnkit.logistic import propagate as _reference_propagate

def propagate(w, b, X, Y):
    return _reference_propagate(w, b, X, Y)
'''

_CHEAT_EXIT = '''
import os

def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    os._exit(0)
'''

_INFINITE_LOOP = '''
def predict(w, b, X):
    while True:
        pass
'''

_MEMORY_BOMB = '''
def initialize_with_zeros(dim):
    hog = [np.ones((1 << 27,)) for _ in range(64)]  # 64 GiB
    return np.zeros((dim, 1)), 0.0
'''

_RENAMED = '''
def propgate(w, b, X, Y):
    A = sigmoid(np.dot(w.T, X) + b)
    m = X.shape[1]
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    return {"dw": np.dot(X, (A - Y).T) / m, "db": np.sum(A - Y) / m}, float(cost)
'''

_WARNS = '''
import warnings

def sigmoid(z):
    warnings.warn("this warning goes to stderr and must not cost points")
    print("debug output is fine too")
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
'''

SCENARIOS: tuple[Scenario, ...] = (
    Scenario("correct", "the solution: full marks"),
    Scenario("missing-1-over-m", "propagate forgets to divide by m", {"propagate": _PROPAGATE_NO_M},
             expected_score=MAX_SCORE - 3, expected_phrase="missing-1/m"),
    Scenario("b-updated-with-dw", "optimize updates b with dw", {"optimize": _OPTIMIZE_B_WITH_DW},
             expected_score=MAX_SCORE - 2, expected_phrase="b-updated-with-dw"),
    Scenario("probabilities-not-labels", "predict returns probabilities", {"predict": _PREDICT_PROBS},
             expected_score=MAX_SCORE - 1, expected_phrase="probabilities-not-labels"),
    Scenario("flatten-reshape-n-m", "flatten_and_scale uses reshape(n, m)", {"flatten_and_scale": _FLATTEN_N_M},
             expected_score=MAX_SCORE - 1, expected_phrase="reshape(n, m)"),
    Scenario("sigmoid-sign-error", "sigmoid uses exp(z); only sigmoid loses points",
             {"sigmoid": _SIGMOID_SIGN}, expected_score=MAX_SCORE - 1, expected_phrase="sign-error"),
    Scenario("warnings-and-prints", "a correct sigmoid that warns and prints: no points lost",
             {"sigmoid": _WARNS}),
    Scenario("cheat-patch-numpy", "monkeypatches numpy's comparisons, with a wrong propagate",
             {"propagate": _CHEAT_PATCH_NUMPY}, expected_score=MAX_SCORE - 3, expected_phrase="propagate"),
    Scenario("cheat-lying-eq", "returns objects whose __eq__ always says True",
             {"sigmoid": _CHEAT_LYING_EQ}, expected_score=MAX_SCORE - 1, expected_phrase="sigmoid"),
    Scenario("cheat-input-transformer", "tries an IPython input transformer to disable the tests",
             {"sigmoid": _CHEAT_TRANSFORMER}, expected_score=MAX_SCORE - 1, expected_phrase="get_ipython"),
    Scenario("cheat-write-gradebook", "tries to rewrite the gradebook from a graded function",
             {"predict": _CHEAT_GRADEBOOK}, expected_score=MAX_SCORE - 1, expected_phrase="predict"),
    Scenario("cheat-calls-reference", "propagate just calls nnkit's reference", {"propagate": _CHEAT_DELEGATE},
             expected_score=MAX_SCORE - 3, expected_phrase="reference implementation"),
    Scenario("cheat-exit-process", "model ends the grading process with os._exit",
             {"model": _CHEAT_EXIT}, expected_score=MAX_SCORE - 2, expected_phrase="stopped the grading process"),
    Scenario("infinite-loop", "predict never returns", {"predict": _INFINITE_LOOP},
             expected_score=MAX_SCORE - 1, expected_phrase="did not finish"),
    Scenario("memory-bomb", "initialize_with_zeros allocates 64 GiB", {"initialize_with_zeros": _MEMORY_BOMB},
             expected_score=MAX_SCORE - 1, expected_phrase="initialize_with_zeros"),
    Scenario("renamed-function", "propagate renamed to propgate", {"propagate": _RENAMED},
             expected_score=MAX_SCORE - 3, expected_phrase="Did you rename it?"),
    Scenario("deleted-answer-cell", "the answer cell of optimize was deleted", damage="delete-answer:optimize",
             expected_score=MAX_SCORE - 2, expected_phrase="No function named `optimize`"),
    Scenario("duplicated-answer-cell", "a later, wrong copy of predict overrides the right one",
             {"predict": _PREDICT_PROBS}, damage="duplicate-answer:predict",
             expected_score=MAX_SCORE - 1, expected_phrase="probabilities-not-labels"),
    Scenario("deleted-test-cell", "the test cell of sigmoid was deleted: it is graded anyway",
             damage="delete-test:sigmoid"),
    Scenario("huge-output", "a cell printed 40 MB of output", damage="huge-output"),
    Scenario("invalid-json", "the file was truncated", damage="invalid-json", expected_score=0.0,
             expected_phrase="not valid notebook JSON", expected_status="error"),
    Scenario("not-utf8", "the file was saved in Latin-1", damage="not-utf8", expected_score=0.0,
             expected_phrase="not valid UTF-8", expected_status="error"),
    Scenario("wrong-format", "an nbformat 3 notebook", damage="nbformat3", expected_score=0.0,
             expected_phrase="format 4 is required", expected_status="error"),
)


def _grade_id(cell) -> str:
    md = cell.get("metadata", {}).get("nbgrader", {})
    return md.get("grade_id", "") if isinstance(md, dict) else ""


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else source


def solution_answers(source_nb: dict) -> dict[str, str]:
    """Answer-cell sources of the instructor notebook with the solution markers removed."""
    out = {}
    for cell in source_nb["cells"]:
        gid = _grade_id(cell)
        if gid.startswith("answer_"):
            lines = [ln for ln in _text(cell["source"]).splitlines() if not re.match(r"\s*### (BEGIN|END) SOLUTION", ln)]
            out[gid[len("answer_"):]] = "\n".join(lines) + "\n"
    return out


def build_submission(release_nb: dict, answers: dict[str, str], scenario: Scenario) -> bytes:
    """The bytes of the notebook a student with this scenario would submit."""
    nb = copy.deepcopy(release_nb)
    filled = {**answers, **scenario.answers}
    for cell in nb["cells"]:
        gid = _grade_id(cell)
        if gid.startswith("answer_") and gid[len("answer_"):] in filled:
            cell["source"] = filled[gid[len("answer_"):]].strip("\n") + "\n"
    damage = scenario.damage or ""
    kind, _, target = damage.partition(":")
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


def write_scenarios(outdir: str | Path, release_path: str | Path, source_path: str | Path) -> list[Path]:
    """Write every scenario notebook as ``OUTDIR/<name>.ipynb``; return the paths."""
    release = json.loads(Path(release_path).read_text(encoding="utf-8"))
    answers = solution_answers(json.loads(Path(source_path).read_text(encoding="utf-8")))
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for sc in SCENARIOS:
        path = outdir / f"{sc.name}.ipynb"
        path.write_bytes(build_submission(release, answers, sc))
        paths.append(path)
    return paths


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[1]


if __name__ == "__main__":
    root = _repo_root()
    target = sys.argv[1] if len(sys.argv) > 1 else "scenarios"
    written = write_scenarios(target, root / "assignments" / ASSIGNMENT / NOTEBOOK, root / "solutions" / ASSIGNMENT / NOTEBOOK)
    print(f"wrote {len(written)} scenario notebooks to {target}")
