"""Each kommune's whole plan prints from one page, and headless Chromium makes a PDF of it."""

from __future__ import annotations

import io
import re

import pytest
from browser import chromium_available, launch_chromium, serve_site
from sitekit import ROOT

from knowledgebase.build import load_project
from knowledgebase.index import natural_key

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not chromium_available(), reason="needs Chromium")]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("\u00ad", "").strip().lower()


@pytest.mark.parametrize("kommune", ["flaa", "sondre-land", "sel"])
def test_pdf_of_the_whole_plan_has_every_chapter_heading_in_order(project_site, kommune, tmp_path):
    from pypdf import PdfReader

    index = load_project(ROOT).index
    chapters = sorted(index.of_type("kapittel", kommune), key=lambda e: natural_key(e.record.kapittel))
    assert chapters
    pdf_path = tmp_path / f"{kommune}.pdf"
    with serve_site(project_site) as base, launch_chromium() as browser:
        page = browser.new_page()
        page.goto(base + f"kommuner/{kommune}/plan/utskrift/")
        headings = page.eval_on_selector_all("article h2", "els => els.map(e => e.textContent.trim())")
        page.pdf(path=str(pdf_path), format="A4", print_background=False)
    text = normalise(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages))
    # Every chapter's heading is a heading of the print page and appears in the PDF in plan order.
    position = 0
    for chapter in chapters:
        heading = next((h for h in headings if normalise(chapter.record.tittel)[:30] in normalise(h)), None)
        assert heading, f"chapter {chapter.record.kapittel} {chapter.record.tittel!r} has no heading on the print page"
        found = text.find(normalise(heading)[:40], position)
        assert found >= 0, f"{heading!r} missing or out of order in the PDF"
        position = found
    assert text.find("handlingsplan", position) >= 0
    # No navigation or crisis block on paper.
    assert "akutt hjelp:" not in text


def test_print_page_has_no_menu_or_crisis_block_when_printed(project_site):
    with serve_site(project_site) as base, launch_chromium() as browser:
        page = browser.new_page()
        page.goto(base + "kommuner/flaa/plan/utskrift/")
        page.emulate_media(media="print")
        shown = page.evaluate("""() => Object.fromEntries(['.md-banner', '.md-sidebar--primary', '.md-header',
            '.md-footer'].map(s => [s, document.querySelector(s) ? getComputedStyle(document.querySelector(s)).display
                                        : 'missing']))""")
        assert shown and all(display == "none" for display in shown.values()), shown
