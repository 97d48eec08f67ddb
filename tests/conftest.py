"""Settings every test shares: graders started by the tests keep their state out of the user's home.

A grader working outside an nbgrader course keeps its course secret in ``$XDG_STATE_HOME``
(``autograder.frontends.secret``); the tests point it at a folder of their own, so running the suite
never creates or reads a secret in the developer's (or CI's) home.
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_state_home(tmp_path_factory):
    state = tmp_path_factory.mktemp("xdg-state")
    previous = os.environ.get("XDG_STATE_HOME")
    os.environ["XDG_STATE_HOME"] = str(state)
    yield state
    if previous is None:
        os.environ.pop("XDG_STATE_HOME", None)
    else:
        os.environ["XDG_STATE_HOME"] = previous
