"""Texts from submissions made safe for where they go: file names, terminals, CSV files.

Student ids, notebook file names and messages quoting student code can contain anything: a
terminal escape sequence that clears the screen or retitles the window, a bidirectional override
that makes ``txt.exe`` read as ``exe.txt``, a spreadsheet formula, a line break that splits a CSV
row, a name that is ``..``. Each output goes through one function here (HTML pages escape with
:func:`html.escape` where they are written).
"""

from __future__ import annotations

import csv
import re

__all__ = ["safe_name", "terminal_text", "csv_cell", "csv_writer"]


def safe_name(text: str) -> str:
    """A file-name-safe version of a student or assignment id (ids are folder names, but be sure).

    Never empty, never ``.`` or ``..``, never hidden: a name made of dots only, or starting with
    one, gets a ``_`` in front. Two ids can map to the same name (``a b`` and ``a_b``): class
    grading gives such submissions distinct names (see :func:`autograder.frontends.batch.discover`).
    """
    name = re.sub(r"[^A-Za-z0-9_.\-]", "_", str(text)) or "_"
    return "_" + name if name.startswith(".") else name


#: Characters a terminal may act on: C0 and C1 controls (ESC, CSI, BEL, carriage return...), DEL, and
#: the invisible or reordering Unicode controls (zero-width, line separators, bidirectional overrides).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def terminal_text(text, *, keep_newlines: bool = False) -> str:
    """``text`` safe to print to a terminal: each control or escape character shown as ``\\xNN`` or
    ``\\uNNNN`` (so ``bob\\x1b[2J`` cannot clear the screen, yet the instructor sees what is there)."""
    def shown(m):
        c = m.group()
        if keep_newlines and c == "\n":
            return c
        return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
    return _UNPRINTABLE.sub(shown, "" if text is None else str(text))


def csv_cell(value) -> str:
    """A CSV text cell that a spreadsheet shows as text: a leading ``=``, ``+``, ``-``, ``@``, tab or
    carriage return (which would start a formula, or a formula after the blank) gets a ``'`` in front."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_writer(stream):
    """The one CSV dialect of the kit's exports: RFC 4180 line ends (``\\r\\n``), so that a field with
    a line break (``\\n`` or a lone ``\\r``) is always quoted and never splits a row."""
    return csv.writer(stream, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
