"""Feedback pages whose math renders offline, without a CDN.

nbconvert's HTML page loads MathJax (and require.js) from a CDN, so on a machine without internet
the feedback shows raw ``$...$``. Here the math of the instructor's markdown cells is typeset when
the page is written: every ``$...$`` and ``$$...$$`` outside code becomes MathML (with the pure
Python ``latex2mathml``), which every current browser renders natively; the page template
(``templates/nnkit_feedback``) loads nothing from the network.

:class:`MathToMathML` runs after :class:`autograder.frontends.nbgrader_outputs.InertStudentContent`,
so it only ever sees the markdown cells that are the instructor's own (student text is inert by
then); a formula it cannot convert stays as its LaTeX text.
"""

from __future__ import annotations

import re
from pathlib import Path

from nbconvert.preprocessors import Preprocessor

__all__ = ["MathToMathML", "typeset", "TEMPLATE_DIR", "TEMPLATE_NAME"]

#: nbconvert template folder and name of the kit's feedback page
TEMPLATE_DIR = str(Path(__file__).resolve().parent / "templates")
TEMPLATE_NAME = "nnkit_feedback"

_CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.S)
_MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$", re.S)


def _mathml(tex: str, display: bool) -> str | None:
    from latex2mathml.converter import convert

    try:
        return convert(tex.strip(), display="block" if display else "inline")
    except Exception:  # a formula it cannot read stays as text
        return None


def typeset(markdown: str) -> str:
    """``markdown`` with every formula outside code turned into MathML."""
    def math(m: re.Match) -> str:
        display = m.group(1) is not None
        out = _mathml(m.group(1) if display else m.group(2), display)
        return m.group(0) if out is None else out

    parts = _CODE.split(markdown)
    return "".join(part if i % 2 else _MATH.sub(math, part) for i, part in enumerate(parts))


class MathToMathML(Preprocessor):
    """Typeset the math of markdown cells as MathML (see the module docstring)."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.enabled = True  # nbconvert preprocessors default to disabled

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown" and "$" in cell.source:
            cell.source = typeset(cell.source)
        return cell, resources
