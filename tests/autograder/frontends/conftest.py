"""Front-end tests never touch the grader's own course secret: submissions graded outside a course
take their secret from ``$XDG_STATE_HOME/nnkit-autograder/secret``, here a folder of the test."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_state_home(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state-home")))
