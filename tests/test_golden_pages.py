"""Golden tests: generated Markdown of the fixture site is compared with files in tests/golden/.

A deliberate change to a template shows up here as a diff to review. Regenerate the files with
UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden_pages.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sitekit import FIXTURES

from knowledgebase.build import load_project
from knowledgebase.pages import Site, render_pages

GOLDEN = Path(__file__).parent / "golden"
PAGES = [
    "regelverk/hol.md",
    "regelverk/bvl-1992.md",
    "dokumenter/is-1332.md",
    "anbefalinger/is-1332.md",
    "kommuner/testby/index.md",
    "kommuner/testby/tjenester/samtaler.md",
    "kommuner/testby/enheter/helsestasjon.md",
    "kommuner/testby/ansvar/individuell-plan.md",
    "kommuner/testby/handlingsplan.md",
    "kommuner/testby/tiltak/1.1.2.md",
    "kommuner/testby/statistikk.md",
    "kommuner/testby/mangler.md",
    "begreper.md",
    "akutt-hjelp.md",
]


@pytest.fixture(scope="module")
def rendered():
    index = load_project(FIXTURES / "mini").index
    return {p.src_uri: p.markdown for p in render_pages(Site(index, date(2026, 11, 1)))}


@pytest.mark.parametrize("page", PAGES)
def test_generated_page_matches_golden_file(rendered, page):
    golden = GOLDEN / page
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(rendered[page], encoding="utf-8")
    assert rendered[page] == golden.read_text(encoding="utf-8")


def test_two_exports_in_separate_processes_are_byte_identical(tmp_path):
    """Pages and export files (JSON, CSV, Excel, the open data in Turtle, JSON-LD and HSDS) of one commit are the
    same bytes in two processes, each with its own order of sets (hash seed)."""
    trees = []
    for n in (1, 2):
        out = tmp_path / f"out{n}"
        result = subprocess.run([sys.executable, "-m", "knowledgebase", "export", str(out)], cwd=FIXTURES / "mini",
                                capture_output=True, text=True, timeout=120,
                                env=dict(os.environ, PYTHONHASHSEED=str(n)))
        assert result.returncode == 0, result.stderr
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
        time.sleep(1.1)  # a time stamp of whole seconds would differ
    assert {"docs/export/tjenester.ttl", "docs/export/tjenester.jsonld", "docs/export/katalog.ttl",
            "docs/export/hsds/services.json"} <= set(trees[0])
    assert len(trees[0]) > 20 and trees[0] == trees[1]
