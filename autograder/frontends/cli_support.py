"""What the command line's subcommands share: exit statuses and small output helpers."""

from __future__ import annotations

import sys

from autograder.assignments import ASSIGNMENT_NAMES
from autograder.frontends.batch import UsageError
from autograder.frontends.safe_text import terminal_text

__all__ = ["EXIT_OK", "EXIT_FAILED", "EXIT_USAGE", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_ISOLATION",
           "EXIT_BUSY", "EXIT_OUTPUT", "can_print", "marks", "backend_kw", "err", "check_assignment"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
#: Grading refused to run: no sandbox gives the isolation this machine should give (see ``autograder doctor``).
EXIT_ISOLATION = 5
#: Another run holds the output folder; it is not writable (or a save failed: disk full).
EXIT_BUSY, EXIT_OUTPUT = 6, 7


def can_print(text: str, stream) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "utf-8")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def marks(stream) -> tuple[str, str]:
    """✔/✘ when the terminal can show them, else ASCII (a Windows console or LANG=C pipe)."""
    return ("✔", "✘") if can_print("✔✘–", stream) else ("PASS", "FAIL")


def backend_kw(args) -> dict:
    # "auto": the strongest isolation that works here, refusing to degrade unless the instructor allows it
    # (the "+weak" suffix carries --allow-weak-isolation to the sandbox layer).
    weak = "+weak" if getattr(args, "allow_weak_isolation", False) else ""
    return {"backend": (args.backend or "auto") + weak}


def err(msg: str) -> None:
    print(f"autograder: error: {terminal_text(msg)}", file=sys.stderr)


# ----------------------------------------------------------------------------- check
def check_assignment(name: str) -> str:
    if name not in ASSIGNMENT_NAMES:
        raise UsageError(f"unknown assignment {name!r}; assignments with a grading spec: {', '.join(ASSIGNMENT_NAMES)}.")
    return name
