"""The class report of ``autograder grade``: ``report.html`` with, per assignment, the score
distribution, the most common named mistakes, the pass rate of every function, the integrity flags
(who called the reference, what the sandbox saw someone try), and every student's row linking to
their feedback page. The plots are PNGs drawn with matplotlib's object API (no display, no global
state); their titles and bars are sized to fit whatever the labels are.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from urllib.parse import quote

from autograder.frontends.report import (_by_assignment, _esc, _page, _percent, _rich, atomic_write_text,
                                         exercise_names, feedback_path, fmt_points, safe_name)

__all__ = ["write_class_report"]

#: characters of a bar label before it is wrapped onto a second line
_LABEL_CHARS = 38


def _plots(name: str, subs: list[dict], stats: dict, out_dir: Path) -> dict[str, str]:
    """The PNGs of one assignment; returns {kind: file name}. Uses matplotlib's object API with the
    Agg canvas, so it neither needs a display nor changes the global pyplot backend (and is safe
    next to other threads)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    files = {}
    stem = safe_name(name)
    scores = [float(s.get("score") or 0.0) for s in subs if s.get("status") == "graded"]
    max_score = stats["max_score"] or (max(scores) if scores else 1.0)

    def save(fig, kind):
        FigureCanvasAgg(fig)
        fname = f"{kind}_{stem}.png"
        fig.savefig(out_dir / fname, dpi=100, bbox_inches="tight")  # titles and labels are never cut
        files[kind] = fname

    def title(ax, text):
        ax.set_title("\n".join(textwrap.wrap(text, 60)))

    def label(text):
        return "\n".join(textwrap.wrap(text, _LABEL_CHARS)[:3])

    if scores:
        fig = Figure(figsize=(6.4, 3.4))
        ax = fig.add_subplot()
        integral = all(float(x).is_integer() for x in scores) and max_score <= 60
        if integral:
            bins = [b - 0.5 for b in range(0, int(max_score) + 2)]
        else:
            bins = [max_score * i / 10 for i in range(11)]
        ax.hist(scores, bins=bins, color="#4c78a8", edgecolor="white", rwidth=0.9)
        ax.set_xlim(-0.5 if integral else 0, max_score + (0.5 if integral else 0))
        ax.set_xlabel(f"score (out of {fmt_points(max_score)})")
        ax.set_ylabel("students")
        title(ax, f"{name}: score distribution ({len(scores)} graded)")
        ax.yaxis.get_major_locator().set_params(integer=True)
        save(fig, "scores")
    if stats["misconceptions"]:
        mis = list(reversed(stats["misconceptions"]))
        labels = [label(f"{m['exercise']}: {m['misconception']}") for m in mis]
        lines = sum(lb.count("\n") + 1 for lb in labels)
        fig = Figure(figsize=(6.4, 1.2 + 0.3 * lines + 0.1 * len(mis)), layout="constrained")
        ax = fig.add_subplot()
        ax.barh(labels, [m["count"] for m in mis], color="#e45756")
        ax.set_xlabel("students")
        title(ax, f"{name}: most common mistakes")
        ax.xaxis.get_major_locator().set_params(integer=True)
        save(fig, "misconceptions")
    if stats["pass_rates"]:
        items = list(stats["pass_rates"].items())[::-1]
        fig = Figure(figsize=(6.4, 1.2 + 0.38 * len(items)), layout="constrained")
        ax = fig.add_subplot()
        ax.barh([n for n, _ in items], [100 * (r["rate"] or 0.0) for _, r in items], color="#54a24b")
        ax.set_xlim(0, 100)
        ax.set_xlabel("% of graded submissions that pass")
        title(ax, f"{name}: pass rate per function")
        save(fig, "pass_rates")
    return files


def write_class_report(submissions: list[dict], out_dir: str | Path, *, title: str, summary: dict) -> Path:
    """Write ``report.html`` and its PNGs (score histogram, misconceptions, pass rates) per assignment.

    The page links each student to their feedback page (``feedback/<student>/<assignment>.html``)
    and lists the submissions that could not be graded with the reason.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    parts = [f"<h1>{_esc(title)}</h1>",
             f"<p class=\"sub\">{summary['submissions']} submissions: {summary['graded']} graded, "
             f"{summary['errors']} could not be graded.</p>"]
    for name, subs in _by_assignment(submissions).items():
        st = summary["assignments"][name]
        imgs = _plots(name, subs, st, out_dir)
        parts.append(f"<h2>{_esc(name)}</h2>")
        mean = "–" if st["mean_score"] is None else f"{st['mean_score']:.2f}"
        median = "–" if st["median_score"] is None else fmt_points(st["median_score"])
        parts.append(f"<p class=\"score\">Mean score <b>{mean}</b> / {fmt_points(st['max_score'])} · median {median}"
                     f" · full marks {st['full_marks']} of {st['graded']} graded · errors {st['errors']}</p>")
        for kind in ("scores", "misconceptions", "pass_rates"):
            if kind in imgs:
                parts.append(f"<p><img src=\"{quote(imgs[kind])}\" alt=\"{_esc(kind)} of {_esc(name)}\"></p>")
        if st["misconceptions"]:
            rows = "".join(f"<tr><td><code>{_esc(m['exercise'])}</code></td><td>{_esc(m['misconception'])}</td>"
                           f"<td class=\"num\">{m['count']}</td></tr>" for m in st["misconceptions"])
            parts.append("<h3>Most common mistakes</h3><table><thead><tr><th>Function</th>"
                         f"<th>Mistake</th><th class=\"num\">Students</th></tr></thead><tbody>{rows}</tbody></table>")
        else:
            parts.append("<p>No known misconception was detected.</p>")
        if st["integrity"]:
            rows = "".join(f"<tr><td>{_esc(f['student'])}</td><td>{_esc(f['flag'])}</td></tr>" for f in st["integrity"])
            parts.append("<h3>Integrity flags</h3><p>Not mistakes: a function that called nnkit's reference instead "
                         "of computing (it earned nothing), or what the sandbox saw a submission try. Worth a "
                         "conversation.</p><table><thead><tr><th>Student</th><th>Flag</th></tr></thead>"
                         f"<tbody>{rows}</tbody></table>")
        if st["pass_rates"]:
            rows = "".join(f"<tr><td><code>{_esc(n)}</code></td><td class=\"num\">{r['passed']} / {r['graded']}</td>"
                           f"<td class=\"num\">{_percent(r['rate'])}</td></tr>"
                           for n, r in st["pass_rates"].items())
            parts.append("<h3>Pass rate per function</h3><table><thead><tr><th>Function</th>"
                         f"<th class=\"num\">Passed</th><th class=\"num\">Rate</th></tr></thead><tbody>{rows}</tbody></table>")
        names = exercise_names(subs)
        head = "".join(f"<th class=\"num\"><code>{_esc(n)}</code></th>" for n in names)
        rows = []
        for s in subs:
            link = quote(feedback_path(s.get("student", ""), s.get("assignment", ""), s.get("stem")))
            pts = {e.get("name"): e for e in s.get("exercises") or []}
            if s.get("status") == "graded":
                cells = "".join(
                    f"<td class=\"num\"><span class=\"{'ok' if pts[n].get('passed') else 'ko'}\">"
                    f"{fmt_points(pts[n].get('points'))}</span></td>" if n in pts else "<td></td>" for n in names)
                rows.append(f"<tr><td><a href=\"{link}\">{_esc(s.get('student'))}</a></td>"
                            f"<td class=\"num\">{fmt_points(s.get('score'))} / {fmt_points(s.get('max_score'))}</td>{cells}</tr>")
            else:
                rows.append(f"<tr><td><a href=\"{link}\">{_esc(s.get('student'))}</a></td>"
                            f"<td class=\"ko\">error</td><td colspan=\"{max(len(names), 1)}\">{_rich(s.get('error'))}</td></tr>")
        parts.append("<h3>Students</h3><table><thead><tr><th>Student</th><th class=\"num\">Score</th>"
                     f"{head}</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>")
    return atomic_write_text(out_dir / "report.html", _page(title, "\n".join(parts)))
