"""What covers each topic of IS-1332 today (issue 15): data, editor errors and pages.

Unit tests on the model; fixture projects that get one IS-1332 chapter page and make one mistake each
(exact one-line message) or put hostile text in the data (shown as text); then tests on the project's own
data and built site: every IS-1332 chapter page, every recommendation and the document page show, from
the data, the chapter that covers the topic today or that none was found, linked to the page checked.
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError
from sitekit import kb_command, make_site, mkdocs_build

from knowledgebase import models as m
from knowledgebase.pages import _long_date
from knowledgebase.routes import page_url, route

DOCS = "data/nasjonalt/dokumenter.yml"
TOC = "https://example.invalid/ny-veileder"
ENTRY = (f"  dekkes_i_dag:\n"
         f"  - kapittel: 2\n"
         f"    dokument: ny-veileder\n"
         f"    dagens_kapittel: Bolig\n"
         f"    url: {TOC}/bolig\n"
         f"    sjekket: 2026-12-04\n")
CHAPTER_PAGE = """---
title: "2 Bolig"
---

# 2 Bolig

!!! note "Fra 2005"
    Teksten er fra 2005.

    Andre avsnitt i boksen.

## 2.1 Boligplanlegging

Tekst.
"""
SUMMARY = "1 problem in the data; the site was not built. Fix them and build again."


# --- Model -------------------------------------------------------------------------------------------


def test_a_check_date_in_the_future_is_refused_and_today_is_not():
    fields = {"kapittel": 2, "dokument": "x", "url": "https://example.invalid/x"}
    assert m.CoveredToday(**fields, sjekket=date.today())
    with pytest.raises(ValidationError, match="is in the future; write the day the page was read"):
        m.CoveredToday(**fields, sjekket=date.today() + timedelta(days=1))


def test_dates_read_as_a_reader_says_them():
    assert _long_date(date(2026, 12, 4)) == "4. desember 2026"
    assert _long_date(date(2025, 2, 26)) == "26. februar 2025"


# --- Fixture projects: editor errors and hostile text ---------------------------------------------------------


def _site_with_chapter(tmp_path: Path, entry: str = ENTRY) -> Path:
    """The mini fixture with one IS-1332 chapter page and a 'dekkes_i_dag' list on IS-1332."""
    site = make_site(tmp_path / "site")
    page = site / "docs/veileder/is-1332/02-bolig.md"
    page.parent.mkdir(parents=True)
    page.write_text(CHAPTER_PAGE, encoding="utf-8")
    docs = site / DOCS
    text = docs.read_text(encoding="utf-8")
    docs.write_text(text.replace("  kilder:\n    - dokument: testplan\n",
                                 "  kilder:\n    - dokument: testplan\n" + entry, 1), encoding="utf-8")
    return site


ERRORS = {
    "missing url": (
        lambda s: s.replace(f"    url: {TOC}/bolig\n", ""),
        f"{DOCS}:12: Document(id='is-1332') field 'dekkes_i_dag.url': item 1: is required but missing; add it",
    ),
    "a chapter IS-1332 does not have": (
        lambda s: s.replace("  - kapittel: 2\n", "  - kapittel: 15\n"),
        f"{DOCS}:12: Document(id='is-1332') field 'dekkes_i_dag.kapittel': IS-1332 has no chapter 15 (no page "
        "docs/veileder/is-1332/15-....md); write the number of one of its chapters: 2",
    ),
    "a check date in the future": (
        lambda s: s.replace("    sjekket: 2026-12-04\n", "    sjekket: 2999-01-01\n"),
        f"{DOCS}:16: Document(id='is-1332') field 'dekkes_i_dag.sjekket': item 1: 2999-01-01 is in the future;"
        f" write the day the page was read, today ({date.today().isoformat()}) at the latest",
    ),
    "an unknown document": (
        lambda s: s.replace("    dokument: ny-veileder\n", "    dokument: ny-veiledr\n"),
        f"{DOCS}:13: Document(id='is-1332') field 'dekkes_i_dag.dokument': 'ny-veiledr' is not a known nasjonalt "
        "dokument (dokument); did you mean 'ny-veileder'? use the id of an existing record in "
        "data/nasjonalt/dokumenter.yml",
    ),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_a_bad_entry_gives_one_line_with_file_line_field_and_fix(tmp_path, case):
    mutate, expected = ERRORS[case]
    site = _site_with_chapter(tmp_path)
    docs = site / DOCS
    docs.write_text(mutate(docs.read_text(encoding="utf-8")), encoding="utf-8")
    result = kb_command(site, "check")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [expected, SUMMARY]
    assert "Traceback" not in result.stderr


def test_fixture_chapter_page_shows_the_entry_after_its_box_and_hostile_text_stays_text(tmp_path):
    hostile = "Bolig { onclick=alert(1) } & *arbeid* [x](https://example.invalid/y)"
    site = _site_with_chapter(tmp_path, ENTRY.replace("dagens_kapittel: Bolig", f"dagens_kapittel: '{hostile}'"))
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (site / "site/veileder/is-1332/02-bolig/index.html").read_text(encoding="utf-8")
    assert not re.search(r"<[^>]*\sonclick=", page)
    assert "<em>arbeid</em>" not in page
    text = html.unescape(re.sub(r"<[^>]+>", "", page[page.index("<h1"):]))
    assert f"I dag: kapittelet «{hostile}» i Ny veileder, sjekket 4. desember 2026." in text
    assert page.count('href="https://example.invalid/y"') == 0  # the link in the title stays text
    # The entry comes after the whole «Fra 2005» box and before the first section.
    assert text.index("Andre avsnitt i boksen.") < text.index("I dag:") < text.index("2.1 Boligplanlegging")
    assert f'<a class="kb-today" href="{TOC}/bolig">' in page


# --- The project's own data and built site ------------------------------------------------------------------


@pytest.fixture(scope="module")
def index(project_index):
    return project_index


def _html(site: Path, src: str) -> str:
    return (site / page_url(src) / "index.html").read_text(encoding="utf-8")


def _today_links(fragment: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'<a class="kb-today" href="([^"]+)"', fragment)]


def test_is1332_every_chapter_has_an_entry_and_only_chapter_1_names_a_chapter(index):
    doc = index.get("dokument", "is-1332").record
    chapters = index.guide_chapters("is-1332")
    assert list(chapters) == list(range(1, 15))
    assert sorted(c.kapittel for c in doc.dekkes_i_dag) == list(range(1, 15))
    found = [c for c in doc.dekkes_i_dag if c.dagens_kapittel]
    assert (1, "Bakgrunn, metode og prosess") in [(c.kapittel, c.dagens_kapittel) for c in found]
    assert all(c.url.startswith("https://") and "horingsutkast" not in c.url for c in doc.dekkes_i_dag)
    assert "ikke kartlagt" not in doc.status_merknad


def test_is1332_every_chapter_page_shows_what_covers_it_today_after_its_box(project_site, index):
    for number, src in index.guide_chapters("is-1332").items():
        page = _html(project_site, src)
        covered = index.covered_today("is-1332", number)
        start = page.index('<p class="admonition-title">Hva dekker temaet i dag</p>')
        box = page[start:page.index("</div>", start)]
        assert _today_links(box) == [c.url for c in covered], src
        text = html.unescape(re.sub(r"<[^>]+>", "", box))
        for c in covered:
            expected = f"kapittelet «{c.dagens_kapittel}»" if c.dagens_kapittel else "I dag: kapittel ikke bekreftet."
            assert expected in text and "sjekket 4. desember 2026" in text, src
        assert page.index('<p class="admonition-title">Fra 2005</p>') < start, src


def test_is1332_every_recommendation_shows_what_covers_its_chapter_today(project_site, index):
    page = _html(project_site, route("anbefalinger", dokument="is-1332"))
    recommendations = [e for e in index.of_type("anbefaling") if e.parent == "is-1332"]
    assert len(recommendations) == 52
    for e in recommendations:
        start = page.index(f'id="{e.anchor}"')
        end = page.find("<h2 ", start)
        section = page[start:end if end > 0 else len(page)]
        chapter = int(e.record.kapittel.split(".")[0])
        urls = [c.url for c in index.covered_today("is-1332", chapter)]
        assert urls and _today_links(section) == urls, e.id
        assert "I dag: " in section and "sjekket 4. desember 2026" in section, e.id


def test_is1332_document_page_has_the_table_of_what_covers_the_topics_today(project_site, index):
    page = _html(project_site, route("dokument", id="is-1332"))
    start = page.index('id="hva-dekker-temaene-i-dag"')
    table = page[start:page.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    doc = index.get("dokument", "is-1332").record
    assert len(rows) == 14
    for number, row in zip(index.guide_chapters("is-1332"), rows, strict=True):
        (covered,) = index.covered_today("is-1332", number)
        assert _today_links(row) == [covered.url]
        cell = html.unescape(re.sub(r"<[^>]+>", "", row))
        assert (f"«{covered.dagens_kapittel}»" if covered.dagens_kapittel else "Ikke bekreftet") in cell
        assert "4. desember 2026" in cell
    assert sum("Ikke bekreftet" in r for r in rows) == sum(1 for c in doc.dekkes_i_dag if not c.dagens_kapittel)


def test_the_editors_list_names_every_chapter_without_a_confirmed_chapter_and_every_unknown_status(project_site,
                                                                                                   index):
    """What the national layer lacks is a work list for the editors (the reader is told on each page)."""
    page = _html(project_site, route("nasjonale-mangler"))
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
    documents = sorted(index.of_type("dokument"), key=lambda e: e.title.lower())
    missing = [(doc, c) for doc in documents for c in doc.record.dekkes_i_dag if not c.dagens_kapittel]
    assert missing and len(rows) == len(missing)
    for (doc, covered), row in zip(missing, rows, strict=True):
        chapter = index.guide_chapters(doc.id)[covered.kapittel]
        hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]+)"', row)]
        assert hrefs[0].rstrip("/").endswith(page_url(chapter).rstrip("/").rsplit("/", 1)[-1]), row
        assert hrefs[-1] == covered.url
    unknown = [e for e in index.of_type("dokument") if e.record.status == "ukjent"]
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    for e in unknown:
        assert e.title in text
