"""Consistency between the project's data, its built pages and its exports."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest
from sitekit import ROOT


@pytest.fixture(scope="module")
def kb(project_site):
    return json.loads((project_site / "export/kb.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def index(project_index):
    return project_index


CORE_LAWS = ["hol", "pbrl", "phlvl", "fhl", "sotjl", "bvl-1992", "bvl", "hpl", "alkl", "hrf"]


@pytest.mark.parametrize("law", CORE_LAWS)
def test_core_laws_have_pages_with_paragraphs_lovdata_links_and_backlinks(project_site, kb, law):
    records = {r["id"]: r for r in kb["lov"]}
    assert law in records, f"{law} missing from kb.json"
    page = (project_site / records[law]["url"] / "index.html").read_text(encoding="utf-8")
    assert records[law]["ekstern_url"] in page
    for pid in records[law]["paragrafer"]:
        anchor = records[pid]["url"].split("#")[1]
        assert f'id="{anchor}"' in page
        assert records[pid]["ekstern_url"].replace("&", "&amp;") in page


def test_replaced_laws_point_at_their_successor(kb):
    records = {r["id"]: r for r in kb["lov"]}
    assert records["bvl-1992"]["status"] == "erstattet" and records["bvl-1992"]["erstattet_av"] == "bvl"
    for record in records.values():
        successors = record.get("erstattet_av") or []
        for successor in successors if isinstance(successors, list) else [successors]:  # a paragraph lists them
            assert successor in records


def test_paragraph_backlinks_appear_on_the_law_page(project_site, index):
    for entry in index.of_type("lov"):
        if entry.parent is None:
            continue
        sources = index.backlinks_of(entry.key)
        if not sources:
            continue
        page = (project_site / entry.page.replace(".md", "") / "index.html").read_text(encoding="utf-8")
        section = page.split(f'id="{entry.anchor}"')[1].split("<h3")[0]
        text = html.unescape(re.sub(r"<[^>]+>", "", section))
        for group in sources.values():
            for source in group:
                assert source.title.split(" (")[0][:30] in text, (entry.id, source.id)


@pytest.mark.parametrize("kommune", ["flaa", "sondre-land", "sel"])
def test_handlingsplan_csv_matches_the_tiltak_in_kb_json(project_site, kb, kommune):
    text = (project_site / f"export/{kommune}/handlingsplan.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    ids = sorted(f"{kommune}/{r['id']}" for r in rows)
    assert ids == sorted(r["id"] for r in kb["tiltak"] if r["kommune"] == kommune)
    for row in rows:
        assert row["tiltak"] and row["ansvarlig"] and row["frist"]


def test_every_record_in_kb_json_has_id_type_and_an_existing_page(project_site, kb):
    for kind, records in kb.items():
        if kind == "kilde":
            continue
        for record in records:
            assert record["type"] == kind
            path = record["url"].split("#")[0]
            assert (project_site / path / "index.html").exists() or (project_site / path).is_file(), record["id"]


def test_every_page_has_the_crisis_numbers(project_site):
    for path in project_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert 'href="tel:113"' in text and 'href="tel:116117"' in text, path


def test_nothing_is_loaded_from_other_hosts(project_site):
    pattern = re.compile(
        r'<(?:script|img|iframe|source|video|audio)[^>]+src="(https?:)?//'
        r'|<link[^>]+rel="(?:stylesheet|preload|icon|modulepreload|prefetch)"[^>]+href="(https?:)?//', re.I)
    offenders = [p for p in project_site.rglob("*.html") if pattern.search(p.read_text(encoding="utf-8"))]
    assert not offenders, offenders[:5]
    css = "".join(p.read_text(encoding="utf-8") for p in project_site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "@import url(http" not in css


def test_pages_show_when_their_source_last_changed_in_git(project_site):
    import subprocess
    from datetime import date

    out = subprocess.run(["git", "log", "-1", "--format=%cs", "--", "data/nasjonalt/lover.yml"], cwd=ROOT,
                         capture_output=True, text=True).stdout.strip()
    if not out:
        pytest.skip("not a git checkout")
    expected = date.fromisoformat(out).strftime("%d.%m.%Y")
    page = (project_site / "regelverk/hol/index.html").read_text(encoding="utf-8")
    assert f"Sist endret: {expected}" in page


def test_the_site_publishes_every_committed_schema_for_the_data_format_page(project_site):
    committed = sorted((ROOT / "schema").glob("*.schema.json"))
    assert committed
    for path in committed:
        assert (project_site / "schema" / path.name).read_bytes() == path.read_bytes(), path.name


def test_no_menu_entry_shows_a_file_name_instead_of_a_title(project_site):
    html_text = (project_site / "utvikler/ytelse/index.html").read_text(encoding="utf-8")
    labels = re.findall(r'class="md-nav__link[^"]*"[^>]*>\s*<span class="md-ellipsis">\s*([^<]+?)\s*<', html_text)
    assert "Kryssreferanser" in labels and "Dataformater" in labels
    assert not [label for label in labels if label.endswith(".md")]
