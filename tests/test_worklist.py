"""«Mangler i kilden» as a work list (issue 15, part 5): counts per field, what each service and tiltak lacks,
and a CSV with one row per missing fact that agrees with the page."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date

import pytest
from sitekit import ROOT

from knowledgebase.build import load_project
from knowledgebase.exports import export_file, export_paths
from knowledgebase.index import TYPE_TITLES
from knowledgebase.pages import Site, render_pages
from knowledgebase.routes import route
from knowledgebase.spreadsheet import restore_cell
from knowledgebase.worklist import missing_fields, work_list


@pytest.fixture(scope="module")
def index():
    return load_project(ROOT).index


def _csv_rows(index, kommune):
    text = export_file(index, route("eksport-mangler", kommune=kommune))
    assert isinstance(text, str) and text.startswith("\ufeff")
    return [{k: restore_cell(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text[1:]))]


@pytest.mark.parametrize("kommune", ["flaa", "sel", "sondre-land"])
def test_csv_has_one_row_per_missing_field_of_every_record(index, kommune):
    rows = _csv_rows(index, kommune)
    expected = Counter((e.id, label) for e, labels in missing_fields(index, kommune) for label in labels)
    got = Counter((r["id"], r["mangler"]) for r in rows if r["type"] != "kommune")
    assert got == expected and expected
    services = {r["id"] for r in rows if r["type"] == "tjeneste"}
    tiltak = {r["id"] for r in rows if r["type"] == "tiltak"}
    assert services and all(s.startswith(f"{kommune}/") for s in services | tiltak)
    assert all(r["fil"].startswith(f"data/kommuner/{kommune}/") and int(r["linje"]) > 0 for r in rows)


def test_page_counts_per_field_agree_with_the_csv(index):
    pages = {p.src_uri: p.markdown for p in render_pages(Site(index, date.today()))}
    for k in index.kommuner():
        page = pages[route("mangler", kommune=k.id)]
        rows = _csv_rows(index, k.id)
        assert f"Hele listen ({len(rows)} opplysninger)" in page
        for type_title, field, count in work_list(index, k).counts():
            assert f"| {type_title} | {field} | {count} |" in page
            titles = [("Kommune" if r["type"] == "kommune" else TYPE_TITLES[r["type"]][0]) for r in rows
                      if r["mangler"] == field]
            assert count == titles.count(type_title)
        assert route("eksport-mangler", kommune=k.id) in export_paths(index)


def test_kommune_contact_gaps_are_rows_of_their_own(index):
    rows = _csv_rows(index, "flaa")
    kontakt = index.get("kommune", "flaa").record.kontakt
    missing = {r["mangler"] for r in rows if r["type"] == "kommune"}
    assert ("Sentralbord" in missing) == (kontakt is None or kontakt.sentralbord is None)
    assert all(r["side"] == "kommuner/flaa/kontakt/" for r in rows if r["type"] == "kommune")


def test_exported_titles_cannot_run_as_formulas(tmp_path):
    import shutil

    from sitekit import FIXTURES

    from knowledgebase.coverage import coverage_csv
    from knowledgebase.worklist import work_list_csv

    shutil.copytree(FIXTURES / "mini", tmp_path / "mini")
    for rel, old, new in (("kommuner/testby/tjenester.yml", "navn: Samtaler med psykiatrisk sykepleier",
                           'navn: "=HYPERLINK(\\"x\\")"'),
                          ("nasjonalt/anbefalinger.yml", "tema: Bolig", 'tema: "=1+1"')):
        path = tmp_path / "mini" / "data" / rel
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    index = load_project(tmp_path / "mini").index
    work = work_list_csv(index, "testby")
    assert "'=HYPERLINK" in work and ",=HYPERLINK" not in work
    matrix = coverage_csv(index, "anbefalinger")
    assert "Råd 2-1: =1+1" in matrix and "'" not in matrix  # titles start with 'Råd'; an empty cell is empty
