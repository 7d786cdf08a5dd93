"""Comparison across kommuner (issue 15, part 2): services by situation and the handlingsplaner side by side,
counted as kb.json counts them, with the plan's year on figures from a plan, and a column per kommune."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from test_coverage import four_kommune_project

from knowledgebase import models as m
from knowledgebase.build import load_project
from knowledgebase.comparison import services_by_situation, tiltak_tables
from knowledgebase.exports import kb_json
from knowledgebase.pages import Site, render_pages
from knowledgebase.routes import route


@pytest.fixture(scope="module")
def index(project_index):
    return project_index


def _page(index) -> str:
    return {p.src_uri: p.markdown for p in render_pages(Site(index, date.today()))}[route("sammenligning")]


def test_services_by_situation_equal_kb_json(index):
    kb = json.loads(kb_json(index))
    table = services_by_situation(index)
    kommuner = [k.id for k in index.kommuner()]
    for (title, cells), key in zip(table.rows, m.SITUATION_TITLES, strict=True):
        assert title == m.SITUATION_TITLES[key]
        for kid, cell in zip(kommuner, cells, strict=True):
            current = sum(1 for s in kb["tjeneste"] if s["kommune"] == kid and key in s.get("situasjoner", [])
                          and s.get("status", "eksisterende") == "eksisterende")
            assert cell.text.split(" ")[0] == str(current), (key, kid)


def test_tiltak_by_status_and_deadline_equal_kb_json(index):
    kb = json.loads(kb_json(index))
    status, deadline, cost, _ = tiltak_tables(index)
    kommuner = [k.id for k in index.kommuner()]
    by_status = Counter((t["kommune"], t["gjeldende_status"]) for t in kb["tiltak"])
    for (title, cells), key in zip(status.rows, m.TILTAK_STATUS_TITLES, strict=False):
        assert [c.text for c in cells] == [str(by_status[(k, key)]) for k in kommuner], title
    assert [c.text for c in status.rows[-1][1]] == [str(sum(1 for t in kb["tiltak"] if t["kommune"] == k))
                                                    for k in kommuner]
    by_year = Counter((t["kommune"], t.get("frist_ar")) for t in kb["tiltak"])
    for title, cells in deadline.rows[:-1]:
        assert [c.text for c in cells] == [str(by_year[(k, int(title))]) for k in kommuner]
    for k, cell in zip(index.kommuner(), cost.rows[0][1], strict=True):
        assert cell.text.endswith(f"(planen fra {k.record.plan.kildear})")


def test_page_has_tables_first_and_a_chart_with_its_numbers_in_text(index):
    page = _page(index)
    table_at = page.index("| Situasjon |")
    chart_at = page.index("<svg")
    assert table_at < chart_at
    assert 'role="img"' in page and "<title id=" in page and "<desc id=" in page
    desc = page.split("<desc", 1)[1].split("</desc>", 1)[0]
    first = index.kommuner()[0].title
    assert f"{first} " in desc and "Rus og spill: " in desc


def test_a_fourth_kommune_adds_a_column_to_every_comparison_table(tmp_path: Path):
    index = load_project(four_kommune_project(tmp_path)).index
    for table in [services_by_situation(index), *tiltak_tables(index)]:
        assert all(len(cells) == 4 for _, cells in table.rows), table.title
    page = _page(index)
    assert page.count("| Andreby | Fjerdeby | Testby | Tredjeby |") == 5
