"""Comparison across kommuner (issue 15, part 2): services by kind and by situation, figures per 1000
inhabitants and the handlingsplaner side by side, counted as kb.json counts them, with the year on every figure,
and a column per kommune."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError
from test_coverage import four_kommune_project

from knowledgebase import models as m
from knowledgebase.build import load_project
from knowledgebase.comparison import (
    figures_per_1000,
    services_by_kind,
    services_by_situation,
    services_without_kind,
    tiltak_tables,
)
from knowledgebase.exports import kb_json
from knowledgebase.pages import Site, render_pages
from knowledgebase.routes import route
from knowledgebase.worklist import work_list


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


def _leading_count(text: str) -> int:
    first = text.split(" ")[0]
    return 0 if first == "ingen" else int(first)


def test_services_by_kind_equal_kb_json_and_link_to_the_services_counted(index):
    kb = json.loads(kb_json(index))
    table, lists = services_by_kind(index)
    kommuner = [k.id for k in index.kommuner()]
    assert [title for title, _ in table.rows] == list(m.SERVICE_KIND_TITLES.values())
    for (_, cells), key, kind_list in zip(table.rows, m.SERVICE_KIND_TITLES, lists, strict=True):
        assert kind_list.key == key
        for kid, cell, (k, listed) in zip(kommuner, cells, kind_list.services, strict=True):
            of_kind = [s for s in kb["tjeneste"] if s["kommune"] == kid and key in s.get("slag", [])]
            current = [s for s in of_kind if s.get("status", "eksisterende") == "eksisterende"]
            planned = [s for s in of_kind if s.get("status") == "planlagt"]
            assert _leading_count(cell.text) == len(current), (key, kid, cell.text)
            assert (f"(og {len(planned)} planlagt)" in cell.text) == bool(planned), (key, kid, cell.text)
            assert k.id == kid and sorted(e.id for e in listed) == sorted(s["id"] for s in current + planned)
            assert cell.anchor == (kind_list.anchor if listed else None)
    assert sum(1 for s in kb["tjeneste"] if s.get("slag")) >= 150
    assert sum(services_without_kind(index).values()) == sum(1 for s in kb["tjeneste"] if not s.get("slag"))


def test_page_lists_the_services_of_each_kind_under_the_table_and_says_where_those_without_are(index):
    page = _page(index)
    table_at = page.index("| Slag |")
    _, lists = services_by_kind(index)
    for kind_list in lists:
        heading = f"### {kind_list.title} {{ #{kind_list.anchor} }}"
        assert page.index(heading) > table_at and f"](#{kind_list.anchor})" in page
        block = page.split(heading, 1)[1].split("###", 1)[0]
        for k, listed in kind_list.services:
            line = next(x for x in block.splitlines() if x.startswith(f"- {k.title}: "))
            assert re.findall(r"\[\[tjeneste:([^\]]+)\]\]", line) == [e.id for e in listed]
            assert line.endswith(": ingen") == (not listed)
    missing = services_without_kind(index)
    assert f"{sum(missing.values())} tjenester har ikke fått noe slag" in page
    for k in index.kommuner():
        assert sum(1 for g in work_list(index, k).gaps if g.field == "Slag") == missing[k.id]
        assert f"[{k.title} ({missing[k.id]})](../kommuner/{k.id}/mangler.md)" in page


def test_figures_per_1000_come_only_from_marked_indicators_converted_with_year_and_link(index):
    kb = json.loads(kb_json(index))
    table = figures_per_1000(index)
    kommuner = index.kommuner()
    marked = [i for i in kb["indikator"] if i.get("per_1000_innbyggere")]
    assert len(marked) == 7 and len(table.rows) == len(marked)
    for title, cells in table.rows:
        indicator = next(i for i in marked if i["tittel"] == title)
        for k, cell in zip(kommuner, cells, strict=True):
            if k.id != indicator["kommune"]:
                assert cell.text == m.NOT_STATED and cell.link is None
                continue
            own = next(s for s in indicator["serier"] if s["navn"] == k.title)
            last = [v for v in own["verdier"] if v.get("verdi") is not None][-1]
            assert f"; {last['periode']}, kap. {indicator['kilde']['kapittel']}" in cell.text, cell.text
            assert cell.link == ("kommunestatistikk", {"kommune": k.id})
            assert cell.anchor == index.get("indikator", indicator["id"]).anchor
    rows = dict(table.rows)
    flaa = [k.id for k in kommuner].index("flaa")
    assert rows["Årsverk i psykisk helse- og rusarbeid for voksne per 10 000 innbyggere"][flaa].text == (
        "3,07 per 1000 (omregnet fra 30,7 årsverk per 10 000 innbyggere); SINTEF 2016, kap. 2.3")
    sel = [k.id for k in kommuner].index("sel")
    assert rows["Andel av befolkningen hos fastlege eller legevakt på grunn av psykisk lidelse"][sel].text.startswith(
        "120 per 1000 (omregnet fra 12 prosent av befolkningen)")


def test_an_indicator_marked_per_1000_needs_a_unit_per_inhabitants():
    fields = {"id": "x", "tittel": "x", "serier": [{"navn": "x", "verdier": [{"periode": "2020", "verdi": 1}]}],
              "kilde": {"dokument": "x"}, "per_1000_innbyggere": True}
    with pytest.raises(ValidationError, match="per_1000_innbyggere needs 'enhet'"):
        m.Indicator(**fields, enhet="personer")
    assert m.Indicator(**fields, enhet="årsverk per 10 000 innbyggere")
    assert [m.per_1000_factor(u) for u in ("brukere per 1000 innbyggere", "årsverk per 10 000 innbyggere under 18 år",
                                           "prosent av befolkningen", "prosent")] == [1.0, 0.1, 10.0, None]


def _mark_fjerdeby(project: Path) -> None:
    """Give the fourth kommune a service of a kind and a figure per inhabitants, in its data only."""
    folder = project / "data" / "kommuner" / "fjerdeby"
    services = folder / "tjenester.yml"
    services.write_text(services.read_text(encoding="utf-8").replace(
        "  situasjoner: [angst_depresjon, rus_spill]\n",
        "  situasjoner: [angst_depresjon, rus_spill]\n  slag: [lavterskel_samtale]\n", 1), encoding="utf-8")
    figures = folder / "indikatorer.yml"
    text = figures.read_text(encoding="utf-8").replace("- navn: Testby", "- navn: Fjerdeby")
    figures.write_text(text.replace("  enhet: årsverk per 10 000 innbyggere\n",
                                    "  enhet: årsverk per 10 000 innbyggere\n  per_1000_innbyggere: true\n", 1),
                       encoding="utf-8")


def test_a_fourth_kommune_adds_a_column_to_every_comparison_table(tmp_path: Path):
    project = four_kommune_project(tmp_path)
    _mark_fjerdeby(project)
    index = load_project(project).index
    by_kind, _ = services_by_kind(index)
    per_1000 = figures_per_1000(index)
    for table in [by_kind, services_by_situation(index), per_1000, *tiltak_tables(index)]:
        assert all(len(cells) == 4 for _, cells in table.rows), table.title
    assert [c.text for c in dict(by_kind.rows)["Lavterskel samtaletilbud"]] == ["ingen", "1", "ingen", "ingen"]
    assert [c.text for c in dict(per_1000.rows)["Årsverk i psykisk helsearbeid"]] == [
        m.NOT_STATED, "2,8 per 1000 (omregnet fra 28 årsverk per 10 000 innbyggere); 2017, kap. 2.3", m.NOT_STATED,
        m.NOT_STATED]
    page = _page(index)
    assert page.count("| Andreby | Fjerdeby | Testby | Tredjeby |") == 7
    assert "- Fjerdeby: [[tjeneste:fjerdeby/samtaler]]" in page
