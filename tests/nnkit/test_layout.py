"""The shape of the library itself: one topic per module, each a few hundred lines at most."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import nnkit

MODULES = sorted(Path(nnkit.__file__).parent.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(Path(nnkit.__file__).parent)) for p in MODULES])
def test_every_module_is_short_and_says_what_it_is_for(path):
    text = path.read_text()
    assert len(text.splitlines()) <= 400, f"{path.name} has grown past 400 lines: split it by topic"
    assert ast.get_docstring(ast.parse(text)), f"{path.name} has no module docstring"
