"""The README's tables of measured numbers are what the measuring scripts last wrote: each table is
rendered from its results file (``benchmarks/readme_tables.py``), so it can never go stale silently."""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

import readme_tables  # noqa: E402


def test_every_table_block_of_the_readme_is_rendered_from_its_results():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    names = re.findall(r"<!-- table: (\w+) -->", text)
    assert sorted(names) == sorted(readme_tables.TABLES), "a README table without a results file, or the reverse"
    assert readme_tables.rewrite(text) == text, "stale: run `python benchmarks/readme_tables.py --write`"


def test_a_changed_result_changes_the_table(tmp_path):
    import json

    for file, _ in readme_tables.TABLES.values():
        (tmp_path / file).write_text((readme_tables.RESULTS / file).read_text())
    doc = json.loads((tmp_path / "variants.json").read_text())
    first = next(iter(doc["variants"]))
    doc["variants"][first]["named"] -= 1
    (tmp_path / "variants.json").write_text(json.dumps(doc))
    assert readme_tables.render("variants", tmp_path) != readme_tables.render("variants")
