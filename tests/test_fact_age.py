"""The age of each fact (issue 15, 4c and 4d): no sentence in the future tense about a year that has passed,
and an editors' «Til kontroll» list per kommune with the oldest facts first."""

from __future__ import annotations

from datetime import date

import pytest
from sitekit import ROOT

from knowledgebase.build import load_project
from knowledgebase.checklist import fact_ages, stale_sentences
from knowledgebase.kinds import KOMMUNE_SUMMARY_KINDS
from knowledgebase.pages import FACT_MAX_AGE_YEARS, Site, render_pages
from knowledgebase.routes import route
from knowledgebase.tense import stale_future_sentences


@pytest.fixture(scope="module")
def index():
    return load_project(ROOT).index


@pytest.mark.parametrize(("text", "year", "found"), [
    ("Fra 1.1.2020 skal alle kommuner ha en psykolog. Det er bra.", 2026,
     ["Fra 1.1.2020 skal alle kommuner ha en psykolog."]),
    ("Fra 1.1.2020 skal alle kommuner ha en psykolog.", 2019, []),
    ("Innføringen skal være ferdig i 2017 og gjelder flere.", 2026,
     ["Innføringen skal være ferdig i 2017 og gjelder flere."]),
    ("Fra 2018 vil tjenesten ha en uke om psykisk helse ([[tiltak:flaa/1.1.2|tiltak 1.1.2]]).", 2026,
     ["Fra 2018 vil tjenesten ha en uke om psykisk helse (…)."]),
    ("Siden 1.1.2020 skal alle kommuner ha en psykolog.", 2026, []),
    ("Planen fra 2018 sa at kommunen skulle lage en avtale i 2018.", 2026, []),
    ("Loven fra 2011 gjelder.", 2026, []),
])
def test_future_tense_about_a_past_year_is_found(text, year, found):
    assert stale_future_sentences(text, year) == found


def test_no_kommune_record_or_chapter_speaks_of_a_past_year_in_the_future_tense(index):
    today = date.today()
    found = [f"{s.entry.type}:{s.entry.id}: {s.sentence}" for k in index.kommuner()
             for s in stale_sentences(index, k.id, today)]
    assert found == []


def test_flaa_psychologist_page_says_since_not_from(index):
    pages = {p.src_uri: p.markdown for p in render_pages(Site(index, date(2026, 12, 4)))}
    page = pages[route("tjeneste", kommune="flaa", id="kommunepsykolog")]
    assert "Fra 1.1.2020 skal" not in page and "Siden 1.1.2020 skal alle kommuner ha en psykolog." in page
    assert "Planen fra 2018 sa at" in page


def test_stale_sentences_are_listed_for_the_editors(index, monkeypatch):
    entry = index.get("tjeneste", "flaa/kommunepsykolog")
    monkeypatch.setattr(entry.record, "beskrivelse", "Fra 1.1.2020 skal alle kommuner ha en psykolog.")
    site = Site(index, date(2026, 12, 4))
    page = {p.src_uri: p.markdown for p in render_pages(site)}[route("til-kontroll", kommune="flaa")]
    assert "| [[tjeneste:flaa/kommunepsykolog]] | Fra 1.1.2020 skal alle kommuner ha en psykolog. |" in page


@pytest.mark.parametrize("kommune", ["flaa", "sel", "sondre-land"])
def test_til_kontroll_lists_every_fact_oldest_first(index, kommune):
    k = index.get("kommune", kommune)
    ages = fact_ages(index, k, date(2026, 12, 4), FACT_MAX_AGE_YEARS)
    dated = [a.known or date.min for a in ages]
    assert dated == sorted(dated)
    listed = {a.entry.key for a in ages if a.entry}
    assert listed == {e.key for t in KOMMUNE_SUMMARY_KINDS for e in index.of_type(t, kommune)}
    plan_year = k.record.plan.kildear
    assert all(a.old == (2026 - plan_year > FACT_MAX_AGE_YEARS) for a in ages if a.basis.startswith("planen"))
    checked = [a for a in ages if a.basis == "sist kontrollert"]
    for a in checked:
        assert a.known == a.entry.record.sist_kontrollert


def test_til_kontroll_page_shows_the_oldest_first(index):
    site = Site(index, date(2026, 12, 4))
    page = {p.src_uri: p.markdown for p in render_pages(site)}[route("til-kontroll", kommune="sel")]
    table = page.split("## Opplysninger, eldste først", 1)[1]
    years = [int(cell.split(".")[-1]) for line in table.splitlines() if line.startswith("| [")
             for cell in [line.split(" | ")[2]] if cell.strip()[-4:].isdigit()]
    assert years and years == sorted(years) and years[0] == 2013

