"""Currency of sources (issue 15, part 3): what is no longer in force is flagged where it is cited.

Unit tests on the models and the flag, then tests on the project's own data and built site: every page
that cites a repealed or replaced paragraph shows the flag, the report lists every such citation, and
IS-1332's recommendations carry their year and status.
"""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from knowledgebase import models as m
from knowledgebase.currency import citation_flag, currency_of, outdated_citations
from knowledgebase.links import resolve_markdown
from knowledgebase.pages import Site, render_pages
from knowledgebase.routes import page_url, route


@pytest.fixture(scope="module")
def index(project_index):
    return project_index


def test_historic_status_without_a_reason_is_refused():
    with pytest.raises(ValidationError, match="historisk"):
        m.Provision(nr="3-7", tittel="x", sammendrag="y", status="historisk")
    with pytest.raises(ValidationError, match="historisk"):
        m.Document(id="x", type="veileder", tittel="x", status="historisk")
    assert m.Document(id="x", type="veileder", tittel="x", status="historisk", status_merknad="Fra 2005.")


def test_repealed_paragraph_is_flagged_where_cited_with_its_successor(index):
    md = resolve_markdown("Se [[lov:hol/3-7]].", route("tjeneste", kommune="sondre-land", id="varig-botilbud"), index)
    assert md == ("Se [Helse- og omsorgstjenesteloven § 3-7](../../../regelverk/hol.md#paragraf-3-7) (opphevet 2023; "
                  "se [Lov om kommunenes ansvar på det boligsosiale feltet](../../../regelverk/bsl.md)).")


def test_paragraph_of_a_replaced_law_is_flagged_and_a_law_in_force_is_not(index):
    page = route("kommune", kommune="sel")
    assert citation_flag(index, index.get("lov", "sotjl-1991"), page).startswith(" (erstattet 2012 av [")
    assert citation_flag(index, index.get("lov", "hol/3-1"), page) == ""
    assert citation_flag(index, index.get("lov", "hol"), page) == ""


def test_no_flag_on_the_law_own_page_nor_on_its_successor_page(index):
    assert citation_flag(index, index.get("lov", "hol/3-7"), route("lov", id="hol")) == ""
    assert citation_flag(index, index.get("lov", "khl"), route("lov", id="hol")) == ""


def test_is_1332_is_historic_with_its_reason_and_year(index):
    currency = currency_of(index, index.get("dokument", "is-1332"))
    assert currency is not None and (currency.status, currency.year) == ("historisk", 2005)
    assert "ikke bekreftet" in index.get("dokument", "is-1332").record.status_merknad


def _out_of_force_paragraphs(index):
    """Every cited paragraph not in force, by its own status or its law's, read from the index."""
    return [e for e in index.of_type("lov") if isinstance(e.record, m.Provision) and currency_of(index, e)]


def test_report_lists_every_citation_of_a_repealed_paragraph(index):
    listed = {(c.citing.key, c.cited.key) for c in outdated_citations(index)}
    expected = set()
    for p in _out_of_force_paragraphs(index):
        for source in index.backlinks.get(p.key, ()):
            citing = index.entries[source]
            if citing.type not in ("lov", "dokument"):
                expected.add((source, p.key))
    assert ("ansvar", "sondre-land/varig-botilbud") in {s for s, _ in expected}
    assert expected and expected <= listed


def test_report_page_groups_the_citations_per_kommune(index):
    pages = {p.src_uri: p.markdown for p in render_pages(Site(index, date.today()))}
    report = pages[route("utdaterte-kilder")]
    assert "## Søndre Land" in report and "## Sel" in report and "## Flå" in report
    soendre = report.split("## Søndre Land", 1)[1]
    assert "[[ansvar:sondre-land/varig-botilbud]] | [[lov:hol/3-7]] | Opphevet (2023) | [[lov:bsl]] |" in soendre


def test_is_1332_recommendations_show_year_and_status(index):
    pages = {p.src_uri: p.markdown for p in render_pages(Site(index, date.today()))}
    page = pages[route("anbefalinger", dokument="is-1332")]
    count = sum(1 for e in index.of_type("anbefaling") if e.parent == "is-1332")
    assert count == 52
    assert page.count("- Fra: IS-1332, 2005. Status: historisk") == count
    assert '!!! warning "IS-1332 er fra 2005. Status: historisk"' in page


def _html_of(site: Path, src: str) -> str:
    return (site / page_url(src) / "index.html").read_text(encoding="utf-8")


def test_every_page_citing_a_repealed_paragraph_shows_the_flag(project_site, index):
    checked = 0
    for p in _out_of_force_paragraphs(index):
        currency = currency_of(index, p)
        word = "opphevet" if currency.status == "opphevet" else currency.status
        for source in sorted(index.backlinks.get(p.key, ())):
            citing = index.entries[source]
            if citing.page in {currency.source.page, *(s.page for s in currency.successors)}:
                continue
            text = html.unescape(_html_of(project_site, citing.page))
            anchor = re.escape(p.anchor)
            assert re.search(rf'href="[^"]*#{anchor}"[^>]*>[^<]*</a>\s*\({word}', text), \
                f"{citing.page} cites {p.id} without the flag '({word} …)'"
            checked += 1
    assert checked >= 10


def test_a_document_of_unknown_status_without_a_reason_is_refused():
    with pytest.raises(ValidationError, match="status 'ukjent' needs 'status_merknad"):
        m.Document(id="x", type="veileder", tittel="x")
    assert m.Document(id="x", type="veileder", tittel="x", status_merknad="Ingen kilde sier om den er revidert.")


def test_every_document_of_unknown_status_says_why_on_its_page_and_in_the_list(index):
    unknown = [e for e in index.of_type("dokument") if e.record.status == "ukjent"]
    assert len(unknown) >= 80 and all(e.record.status_merknad for e in unknown)
    pages = {p.src_uri: p.markdown for p in render_pages(Site(index, date.today()))}
    listing = pages[route("dokumenter")]
    reasons = listing.split("## Hvorfor statusen er ukjent", 1)[1]
    for e in unknown:
        merknad = e.record.status_merknad
        assert f'!!! note "Hvorfor statusen er ukjent"\n    {merknad[:60]}' in pages[e.page], e.id
        assert f"[Ukjent](#ukjent-{e.id})" in listing, e.id
        assert f"{{: #ukjent-{e.id} }}: {merknad}" in reasons, e.id
    known = [e for e in index.of_type("dokument") if e.record.status != "ukjent"]
    assert not any(f"#ukjent-{e.id})" in listing for e in known)


def test_a_cited_is_1332_recommendation_carries_its_year_and_status(index):
    page = route("tiltak", kommune="sel", id="sel-11")
    md = resolve_markdown("[[anbefaling:is-1332/2-1]]", page, index)
    assert md.endswith(" (IS-1332: historisk, fra 2005)")
    assert resolve_markdown("[[anbefaling:is-1332/2-1]]", route("anbefalinger", dokument="is-1332"), index) \
        == "[Råd 2-1: Kartlegge boligbehov](#rad-2-1)"
    assert "(IS-1332" not in resolve_markdown("[[anbefaling:is-1332/2-1]]", route("dekning-anbefalinger"), index)
