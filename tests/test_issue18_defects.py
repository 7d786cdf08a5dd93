"""The 'other defects' of issue 18, each checked where a reader meets it: link texts that are human titles,
one wording for a missing fact, and glossary terms the sources do not explain kept off the glossary."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest
from browser import chromium_available, launch_chromium, serve_site
from pydantic import ValidationError
from sitekit import ROOT, make_site

from knowledgebase import models as m
from knowledgebase.build import load_project
from knowledgebase.links import abbreviation_terms
from knowledgebase.pages import Site, render_pages


@pytest.fixture(scope="module")
def index(project_index):
    return project_index


def _pages(site: Path) -> dict[str, str]:
    """Every HTML page of a built site, by path (search index and exports are not pages)."""
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def _visible_text(page: str) -> str:
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


# --- Link texts ---------------------------------------------------------------------------------


def test_tiltak_and_goal_titles_quote_their_number_and_text_never_their_id(index):
    entries = index.of_type("tiltak") + index.of_type("mal")
    assert len(entries) > 250
    for e in entries:
        word = "Tiltak" if e.type == "tiltak" else "Mål"
        start = f"{word} {e.record.nummer}: " if e.record.nummer else f"{word}: "
        assert e.title.startswith(start), e.title
        first_words = re.sub(r"\s+", " ", e.record.tekst).split(" ")[0].strip("[")
        assert len(e.title) > len(start) + 3 and first_words[:3] in e.title or "[[" in e.record.tekst, e.title
        if e.local_id != e.record.nummer:
            assert not re.search(rf"(?<![\w-]){re.escape(e.local_id)}(?![\w-])", e.title), e.title
        assert len(e.title) <= len(start) + 70


def test_a_reference_in_a_tiltak_text_reads_as_its_target_in_the_title(index):
    tiltak = index.get("tiltak", "sondre-land/sys-07")  # 'Ta i bruk [[verktoy:i-brukerens-fotspor]].'
    tool = index.get("verktoy", "i-brukerens-fotspor")
    assert tiltak.title == f"Tiltak: Ta i bruk {tool.title}."


_ID_LINK = re.compile(r"<a\b[^>]*>\s*((?:Tiltak|Mål)(?:\s+[a-z]+-[0-9]+)?|[a-z]+-[0-9]+)\s*</a>")


def test_no_link_on_the_site_reads_as_a_bare_kind_or_an_internal_id(project_site):
    found = {path: _ID_LINK.findall(page) for path, page in _pages(project_site).items()}
    found = {path: texts for path, texts in found.items() if texts}
    assert not found, f"{len(found)} pages, e.g. {sorted(found.items())[:3]}"


def test_sel_tiltak_pages_link_their_goals_by_the_goals_own_text(project_site, index):
    checked = 0
    for t in index.of_type("tiltak", "sel"):
        goals = [index.get("mal", f"sel/{g}") for g in t.record.mal]
        if not goals:
            continue
        page = (project_site / t.page.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
        for goal in goals:
            texts = [_visible_text(a).strip()
                     for a in re.findall(rf'<a href="[^"]*#{re.escape(goal.anchor)}">(.*?)</a>', page)]
            assert texts and all(text.startswith("Mål: " + goal.record.tekst[:20]) for text in texts), (t.id, texts)
            checked += 1
    assert checked >= 26


def test_handlingsplan_tables_link_each_tiltak_by_its_text(project_site, index):
    page = (project_site / "kommuner/sondre-land/handlingsplan/index.html").read_text(encoding="utf-8")
    tiltak = index.get("tiltak", "sondre-land/sys-02")
    links = re.findall(r'<a href="../tiltak/sys-02/">(.*?)</a>', page)
    assert links and _visible_text(links[0]).startswith("Forpliktende samarbeid internt i kommunen med: Psykisk")
    assert tiltak.local_id not in _visible_text(links[0])


# --- One wording for a missing fact --------------------------------------------------------------

OTHER_WORDINGS = re.compile(r"Ikke oppgitt(?! i kilden)|Tallet mangler i kilden|Ikke forklart i kilden")
"""Any way but ``NOT_STATED`` of saying the source lacks a fact."""


def test_the_site_says_a_missing_fact_one_way(project_site):
    assert m.NOT_STATED == "Ikke oppgitt i kilden"
    found = {}
    for path, page in _pages(project_site).items():
        hits = OTHER_WORDINGS.findall(_visible_text(page))
        if hits:
            found[path] = sorted(set(hits))
    assert not found, f"{len(found)} pages, e.g. {sorted(found.items())[:5]}"


def test_data_never_spells_another_wording_for_a_missing_fact():
    pattern = re.compile(r"Ikke oppgitt i planen|:\s*\"?Ikke oppgitt\"?\s*[,}\n]|\| Ikke oppgitt(?! i kilden)")
    found = [f"{p.relative_to(ROOT)}:{n}" for folder in ("data", "docs") for p in sorted((ROOT / folder).rglob("*"))
             if p.suffix in (".yml", ".md")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line + "\n")]
    assert not found, found


# --- Glossary terms the sources do not explain ------------------------------------------------------


def _with_unexplained_term(tmp_path: Path) -> Path:
    """The mini fixture with one abbreviation its source does not explain, referred to from the glossary."""
    site = make_site(tmp_path / "site")
    terms = site / "data/nasjonalt/begreper.yml"
    text = terms.read_text(encoding="utf-8").replace("Se [[lov:hol/7-1]].", "Se [[lov:hol/7-1]] og [[begrep:xyz]].")
    terms.write_text(text + "- id: xyz\n  forkortelse: XYZ\n  forklaring: Kilden forklarer ikke XYZ.\n"
                     "  kilder: [{dokument: testplan, kapittel: '1', merknad: Forkortelsen forklares ikke}]\n",
                     encoding="utf-8")
    return site


def test_an_unexplained_abbreviation_is_on_the_editors_list_not_in_the_glossary(tmp_path):
    index = load_project(_with_unexplained_term(tmp_path)).index
    pages = {p.src_uri: p.markdown for p in render_pages(Site(index, date(2026, 11, 1)))}
    term = index.get("begrep", "xyz")
    assert term.title == "XYZ"
    assert "XYZ" not in re.findall(r"(?m)^## (.*?) \{", pages["begreper.md"])
    assert "IP (Individuell plan)" in re.findall(r"(?m)^## (.*?) \{", pages["begreper.md"])
    editors = pages["redaktor/uforklarte-forkortelser.md"]
    assert "## XYZ { #xyz }" in editors and "Kilden forklarer ikke XYZ." in editors
    assert "**Brukt i:** [[begrep:ip]]." in editors  # where it is used, so an editor can ask
    assert "IP" not in re.findall(r"(?m)^## (\w+)", editors)
    # A reference to it still works and leads to the editors' list; no tooltip reads 'not explained'.
    assert term.href_from("begreper.md") == "redaktor/uforklarte-forkortelser.md#xyz"
    assert "XYZ" not in abbreviation_terms(index) and abbreviation_terms(index)["IP"] == "Individuell plan"


def test_a_term_needs_a_term_or_an_abbreviation():
    with pytest.raises(ValidationError) as caught:
        m.Term(id="x", forklaring="Noe.", kilder=[])
    assert ("needs 'term: <the word or phrase>' or, for an abbreviation, 'forkortelse: <as written>'"
            in str(caught.value))
    assert m.Term(id="x", forkortelse="X", forklaring="Noe.", kilder=[]).explained is False


def test_the_glossary_holds_only_explained_terms_and_asks_no_one_to_hover(project_site, index):
    page = (project_site / "begreper/index.html").read_text(encoding="utf-8")
    headings = [_visible_text(h).strip() for h in re.findall(r"<h2 id=[^>]*>(.*?)</h2>", page)]
    unexplained = [e for e in index.of_type("begrep") if not e.record.explained]
    assert len(unexplained) >= 13 and len(headings) == len(index.of_type("begrep")) - len(unexplained)
    assert not [h for h in headings if "forklart" in h.lower()]
    text = _visible_text(page).lower()
    assert not re.search(r"musepeker|\bholder\b|hover", text)  # a phone has no pointer to hold over a word
    editors = (project_site / "redaktor/uforklarte-forkortelser/index.html").read_text(encoding="utf-8")
    for e in unexplained:
        assert f'id="{e.anchor}"' in editors and f'id="{e.anchor}"' not in page


def test_no_abbreviation_tooltip_on_the_site_says_it_is_unexplained(project_site):
    found = {path: t for path, page in _pages(project_site).items()
             for t in re.findall(r'<abbr title="([^"]*)"', page) if "forklart" in t.lower()}
    assert not found, sorted(found.items())[:5]


# --- Wide tables on a phone -------------------------------------------------------------------------

PLAN_COLUMNS = ["Tiltak", "Ansvarlig", "Frist", "Økonomi", "Status"]
WIDE_TABLE_PAGES = [f"kommuner/{k}/handlingsplan/" for k in ("sondre-land", "sel", "flaa")]

_TABLES = """() => [...document.querySelectorAll('article .md-typeset__scrollwrap')].map(wrap => {
  const hint = wrap.previousElementSibling;
  const box = hint && hint.getBoundingClientRect();
  return {
    scrolls: wrap.scrollWidth > wrap.clientWidth + 1,
    hint: hint && hint.classList.contains('kb-scroll-hint') && box.width > 0 && box.height > 0
          && getComputedStyle(hint).visibility === 'visible' ? hint.textContent : null,
    focusable: wrap.getAttribute('tabindex') === '0' && wrap.getAttribute('role') === 'region',
    name: wrap.getAttribute('aria-label'),
    columns: [...wrap.querySelectorAll('thead th')].map(th => th.textContent.trim()),
  };
})"""

_COLUMN_IN_VIEW = """([t, c]) => {
  const wrap = document.querySelectorAll('article .md-typeset__scrollwrap')[t];
  const th = wrap.querySelectorAll('thead th')[c];
  wrap.scrollLeft = th.offsetLeft - 8;  // what a swipe to the column does
  const view = wrap.getBoundingClientRect();
  const cells = [...wrap.querySelectorAll('tbody tr')].map(tr => tr.children[c]);
  const seen = e => {
    const r = e.getBoundingClientRect();
    return r.left >= view.left - 1 && r.right <= view.right + 1 && r.left >= -1 && r.right <= innerWidth + 1;
  };
  return {header: seen(th), cells: cells.every(seen),
          width: Math.min(...cells.map(td => td.getBoundingClientRect().width)),
          clipped: cells.filter(td => td.scrollWidth > td.clientWidth + 1).length};
}"""


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason="needs Chromium")
def test_handlingsplan_tables_at_360px_show_every_column_and_say_that_they_scroll(project_site):
    with serve_site(project_site) as base, launch_chromium() as browser:
        page = browser.new_page(viewport={"width": 360, "height": 740})
        for path in WIDE_TABLE_PAGES:
            page.goto(base + path)
            tables = page.evaluate(_TABLES)
            assert tables, path
            plan_tables = [i for i, t in enumerate(tables) if t["columns"] == PLAN_COLUMNS]
            assert plan_tables, (path, [t["columns"] for t in tables])
            for i, table in enumerate(tables):
                if table["scrolls"]:
                    assert table["hint"] and "Sveip" in table["hint"] and table["focusable"], (path, i, table)
                else:
                    assert table["hint"] is None, (path, i, table)
            # A screen reader lists regions by name: each scrolling table has its own, after its heading.
            names = [t["name"] for t in tables if t["scrolls"]]
            assert all(n and n.startswith("Tabell: ") for n in names) and len(set(names)) == len(names), (path, names)
            for i in plan_tables:
                assert tables[i]["scrolls"], (path, i)  # five columns do not fit a phone's width
                for c, name in enumerate(tables[i]["columns"]):
                    seen = page.evaluate(_COLUMN_IN_VIEW, [i, c])
                    assert seen["header"] and seen["cells"] and not seen["clipped"], (path, i, name, seen)
                    assert seen["width"] >= 70, (path, i, name, seen)  # readable words, not a letter per line


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason="needs Chromium")
def test_tables_that_fit_at_1280px_have_no_scroll_hint(project_site):
    with serve_site(project_site) as base, launch_chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + WIDE_TABLE_PAGES[0])
        tables = page.evaluate(_TABLES)
        assert tables and not any(t["scrolls"] or t["hint"] for t in tables), tables
