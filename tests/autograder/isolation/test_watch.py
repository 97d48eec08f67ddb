"""What the sandbox sees student code try becomes integrity flags for the instructor (never a grade):
each attempt below is denied by the sandbox, and noted; an honest function is noted for nothing."""

from __future__ import annotations

import textwrap

import pytest

from autograder.assignments import get_assignment
from autograder.grading.engine import grade
from autograder.grading.extract import StudentCode
from autograder.isolation import probe

A1 = get_assignment("01_logistic_regression")
BACKENDS = [b for b in ("bwrap", "landlock") if probe.usable(b)]

HONEST = """
import numpy as np
def sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
"""

ATTEMPTS = {
    "tried to open": "open('/etc/passwd').read()",
    "tried to list": "__import__('os').listdir('/root')",
    "tried to write": "open('/tmp/../gradebook.db', 'w').write('x')",
    "network socket": "__import__('socket').socket()",
    "process": "__import__('subprocess').run(['true'])",
    "sqlite3": "__import__('sqlite3')",
    "replaced numpy.isclose": "np.isclose = lambda *a, **k: True",
}


def _code(attempt: str) -> StudentCode:
    source = textwrap.dedent(f"""
    import numpy as np
    def sigmoid(z):
        try:
            {attempt}
        except BaseException:
            pass
        return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
    """)
    return StudentCode(source, ["np", "sigmoid"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_attempts_become_flags_and_cost_nothing(backend):
    for phrase, attempt in ATTEMPTS.items():
        report = grade(_code(attempt), A1, only={"sigmoid"}, backend=backend)
        assert report.exercises[0].passed, (phrase, report.exercises[0].feedback)  # denied, and not graded on
        assert any(phrase in flag for flag in report.flags), (phrase, report.flags)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_honest_function_is_flagged_for_nothing(backend):
    report = grade(StudentCode(HONEST, ["np", "sigmoid"]), A1, only={"sigmoid"}, backend=backend)
    assert report.exercises[0].passed and report.flags == []
