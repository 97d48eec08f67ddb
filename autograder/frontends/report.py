"""Report writers of class grading: feedback HTML, class CSV, class report (HTML + PNG), JSON.

Every function takes plain data: a *submission* is a dict as the JSON report holds it::

    {"student", "assignment", "notebook", "status": "graded" | "error", "error", "score", "max_score",
     "exercises": [{"name", "points", "max_points", "passed", "misconception", "feedback", ...}], ...}

so the writers can be rebuilt at any time from the per-submission result files, and tested without
running the grader. Nothing here reads hidden tests or reference values: the only texts shown are
the engine's feedback messages, which are written to be safe to show to a student. Student ids,
file names and messages can contain anything, so every text is HTML-escaped in pages, every CSV
text cell is neutralised (:func:`csv_cell`: no formulas, line breaks quoted) and every text for
a terminal goes through :func:`terminal_text` (no control or escape characters).
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import statistics
import tempfile
from collections import Counter
from pathlib import Path
from typing import Iterable

from autograder.frontends.safe_text import csv_cell, csv_writer, safe_name, terminal_text

__all__ = [
    "atomic_write_text",
    "safe_name",
    "terminal_text",
    "csv_cell",
    "csv_writer",
    "fmt_points",
    "exercise_names",
    "summarize",
    "feedback_html",
    "write_feedback",
    "feedback_path",
    "write_grades_csv",
    "write_class_report",
    "write_json_report",
    "integrity_flags",
]

PASS_MARK, FAIL_MARK = "✔", "✘"


# ----------------------------------------------------------------------------- small helpers
def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file and ``os.replace``.

    A reader (or a rerun after a kill) sees either the old file or the new one, never half a file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def fmt_points(x) -> str:
    """``3.0 -> "3"``, ``2.5 -> "2.5"``, None -> ``"–"``."""
    if x is None:
        return "–"
    x = float(x)
    return f"{x:.0f}" if x == round(x) else f"{x:.2f}".rstrip("0")


def feedback_path(student: str, assignment: str, stem: str | None = None) -> str:
    """Where a submission's feedback goes, relative to the output folder (``stem``: the student's
    file name when class grading had to make it unique)."""
    return f"feedback/{stem or safe_name(student)}/{safe_name(assignment)}.html"


def _esc(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _rich(text) -> str:
    """Escape a feedback message, then show its `code` spans as <code> (safe: escaped first)."""
    return re.sub(r"`([^`\n]+)`", r"<code>\1</code>", _esc(text))


def _percent(rate) -> str:
    return "–" if rate is None else f"{100 * rate:.0f} %"


def exercise_names(submissions: Iterable[dict]) -> list[str]:
    """The graded functions in the order they first appear (the order of the assignment's spec)."""
    names: list[str] = []
    for sub in submissions:
        for ex in sub.get("exercises") or []:
            if ex.get("name") not in names:
                names.append(ex.get("name"))
    return names


def _by_assignment(submissions: list[dict]) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for sub in sorted(submissions, key=lambda s: (str(s.get("assignment")), str(s.get("student")))):
        groups.setdefault(str(sub.get("assignment")), []).append(sub)
    return groups


# ----------------------------------------------------------------------------- summary
def summarize(submissions: list[dict], top: int = 10) -> dict:
    """Class statistics: counts, score statistics and per-assignment pass rates and misconceptions.

    Error submissions are counted but left out of the score statistics: their score says nothing
    about the class's understanding, and the instructor has to look at them anyway.
    """
    graded = [s for s in submissions if s.get("status") == "graded"]
    out = {
        "submissions": len(submissions),
        "graded": len(graded),
        "errors": len(submissions) - len(graded),
        "cached": sum(1 for s in submissions if s.get("cached")),
        "assignments": {},
    }
    for name, subs in _by_assignment(submissions).items():
        g = [s for s in subs if s.get("status") == "graded"]
        scores = [float(s.get("score") or 0.0) for s in g]
        max_score = max((float(s.get("max_score") or 0.0) for s in subs), default=0.0)
        pass_rates = {}
        for ex_name in exercise_names(g):
            results = [e for s in g for e in s.get("exercises") or [] if e.get("name") == ex_name]
            passed = sum(1 for e in results if e.get("passed"))
            pass_rates[ex_name] = {"passed": passed, "graded": len(results),
                                   "rate": passed / len(results) if results else None}
        mis = Counter((e.get("name"), e.get("misconception")) for s in g for e in s.get("exercises") or []
                      if e.get("misconception"))
        integrity = [{"student": s.get("student"), "flag": flag} for s in subs for flag in integrity_flags(s)]
        out["assignments"][name] = {
            "submissions": len(subs),
            "graded": len(g),
            "errors": len(subs) - len(g),
            "max_score": max_score,
            "mean_score": statistics.fmean(scores) if scores else None,
            "median_score": statistics.median(scores) if scores else None,
            "full_marks": sum(1 for s in g if max_score and float(s.get("score") or 0) >= max_score),
            "pass_rates": pass_rates,
            "misconceptions": [{"exercise": ex, "misconception": label, "count": n}
                               for (ex, label), n in mis.most_common(top)],
            "integrity": integrity,
        }
    all_scores = [float(s.get("score") or 0.0) for s in graded]
    out["mean_score"] = statistics.fmean(all_scores) if all_scores else None
    mis_all = Counter()
    for a in out["assignments"].values():
        for m in a["misconceptions"]:
            mis_all[(m["exercise"], m["misconception"])] += m["count"]
    out["misconceptions"] = [{"exercise": ex, "misconception": label, "count": n}
                             for (ex, label), n in mis_all.most_common(top)]
    out["integrity"] = [{"assignment": name, **flag} for name, a in out["assignments"].items()
                        for flag in a["integrity"]]
    return out


def integrity_flags(sub: dict) -> list[str]:
    """What the instructor should look at, apart from mistakes: a function that called nnkit's
    reference instead of computing (``<function>: calls-reference``), and what the sandbox saw the
    student's code try (``sub["flags"]``: tampering attempts)."""
    flags = [f"{e.get('name')}: calls-reference" for e in sub.get("exercises") or [] if e.get("status") == "delegated"]
    return list(dict.fromkeys(flags + [str(f) for f in sub.get("flags") or [] if str(f) not in flags]))


# ----------------------------------------------------------------------------- feedback HTML
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.2rem}.sub{color:#666;margin-top:0}
.score{font-size:1.3rem;margin:1rem 0;padding:.6rem 1rem;background:#f3f5f8;border-radius:6px}
.error{background:#fdecea;border-left:4px solid #c0392b;padding:.6rem 1rem;border-radius:4px}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{text-align:left;vertical-align:top;padding:.45rem .6rem;border-bottom:1px solid #e3e3e3}
th{background:#fafafa}
.ok{color:#1e7d32;font-weight:bold}.ko{color:#c0392b;font-weight:bold}
.mis{display:inline-block;background:#fff3cd;border:1px solid #f0d98a;border-radius:4px;padding:0 .35rem;
font-size:.9em;margin-bottom:.2rem}
code{background:#f1f1f1;padding:0 .2rem;border-radius:3px}
.num{text-align:right;white-space:nowrap}
img{max-width:100%}
""".strip()


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_esc(title)}</title><style>{_CSS}</style></head>\n<body>\n{body}\n</body></html>\n")


def feedback_html(sub: dict) -> str:
    """A self-contained HTML page (inline CSS, no scripts, no external files) for one submission."""
    student, assignment = sub.get("student", ""), sub.get("assignment", "")
    parts = [f"<h1>Feedback: {_esc(assignment)}</h1>",
             f"<p class=\"sub\">Student <b>{_esc(student)}</b> · notebook <code>{_esc(sub.get('notebook'))}</code></p>"]
    if sub.get("status") != "graded":
        parts.append("<p class=\"score\">Not graded</p>")
        parts.append(f"<div class=\"error\"><b>Your submission could not be graded.</b><br>{_rich(sub.get('error'))}</div>")
        return _page(f"Feedback {assignment} – {student}", "\n".join(parts))
    parts.append(f"<p class=\"score\">Score: <b>{fmt_points(sub.get('score'))}</b> / {fmt_points(sub.get('max_score'))}</p>")
    rows = []
    for ex in sub.get("exercises") or []:
        mark = (f"<span class=\"ok\">{PASS_MARK}</span>" if ex.get("passed")
                else f"<span class=\"ko\">{FAIL_MARK}</span>")
        mis = (f"<span class=\"mis\">Likely misconception: {_esc(ex.get('misconception'))}</span><br>"
               if ex.get("misconception") else "")
        rows.append(f"<tr><td>{mark}</td><td><code>{_esc(ex.get('name'))}</code></td>"
                    f"<td class=\"num\">{fmt_points(ex.get('points'))} / {fmt_points(ex.get('max_points'))}</td>"
                    f"<td>{mis}{_rich(ex.get('feedback'))}</td></tr>")
    parts.append("<table><thead><tr><th></th><th>Function</th><th class=\"num\">Points</th><th>Feedback</th></tr>"
                 "</thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>")
    if sub.get("note"):  # e.g. the notebook had an unexpected name but was graded
        parts.append(f"<p class=\"sub\">Note: {_rich(sub.get('note'))}</p>")
    parts.append("<p class=\"sub\">Graded by the course autograder on hidden test inputs; each function is "
                 "tested on its own, so one mistake costs only that function's points.</p>")
    return _page(f"Feedback {assignment} – {student}", "\n".join(parts))


def write_feedback(sub: dict, out_dir: str | Path) -> Path:
    """Write ``feedback/<student>/<assignment>.html`` under ``out_dir``; returns its path."""
    return atomic_write_text(Path(out_dir) / feedback_path(sub.get("student", ""), sub.get("assignment", ""),
                                                           sub.get("stem")),
                             feedback_html(sub))


# ----------------------------------------------------------------------------- CSV
def write_grades_csv(submissions: list[dict], path: str | Path) -> Path:
    """``student, assignment, score, max_score, status, <one column per function>, integrity_flags, error``.

    Function columns hold that function's points; they are empty for an error submission (it was
    not graded), which a spreadsheet then tells apart from a 0.
    """
    subs = sorted(submissions, key=lambda s: (str(s.get("assignment")), str(s.get("student"))))
    names = exercise_names(subs)
    buf = io.StringIO()
    w = csv_writer(buf)
    w.writerow(["student", "assignment", "score", "max_score", "status", *names, "integrity_flags", "error"])
    for s in subs:
        points = {e.get("name"): e.get("points") for e in s.get("exercises") or []}
        graded = s.get("status") == "graded"
        w.writerow([csv_cell(s.get("student")), csv_cell(s.get("assignment")),
                    fmt_points(s.get("score")) if graded else "", fmt_points(s.get("max_score")) if graded else "",
                    csv_cell(s.get("status")),
                    *[fmt_points(points[n]) if graded and n in points else "" for n in names],
                    csv_cell("; ".join(integrity_flags(s))), csv_cell(s.get("error"))])
    return atomic_write_text(path, buf.getvalue())


def write_class_report(submissions: list[dict], out_dir: str | Path, *, title: str = "Class report",
                       summary: dict | None = None) -> Path:
    """The class report page and its plots (see :mod:`autograder.frontends.class_report`)."""
    from autograder.frontends.class_report import write_class_report as write

    return write(submissions, out_dir, title=title, summary=summary or summarize(submissions))


# ----------------------------------------------------------------------------- JSON
def write_json_report(submissions: list[dict], path: str | Path, **extra) -> Path:
    """``{"submissions": [...], **extra}`` as indented JSON (``extra``: summary, timings, versions)."""
    subs = sorted(submissions, key=lambda s: (str(s.get("assignment")), str(s.get("student"))))
    return atomic_write_text(path, json.dumps({**extra, "submissions": subs}, indent=2, ensure_ascii=False) + "\n")
