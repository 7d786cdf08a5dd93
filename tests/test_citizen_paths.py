"""Every citizen path ends at a way to get help (issue 18).

The journeys run in Chromium for all three kommuner: from the front page, through a situation, to a service. Each
ends at a page with a number to call, an address to write to, or the kommune's contact page and the legevakt. A fact
the source does not give is never shown bare: the notice always comes with the next step. The crisis page shows the
emergency numbers and the help lines for suicidal thoughts, visible and tappable, and they stay within reach after
scrolling on a phone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import chromium_available, launch_chromium, serve_site

KOMMUNER = {"flaa": "Flå", "sel": "Sel", "sondre-land": "Søndre Land"}
JOURNEYS = {
    "someone to talk to": "Angst, depresjon eller søvnvansker",
    "help with alcohol": "Rus eller spill",
    "next of kin": "Pårørende",
}
PHONE = {"width": 360, "height": 740}
EMERGENCY = {"113": "113", "116117": "116 117", "112": "112"}

needs_chromium = pytest.mark.skipif(not chromium_available(), reason="needs Chromium")


# --- The built HTML of every citizen page -------------------------------------------------------------------------


def _citizen_pages(site: Path) -> list[Path]:
    pages = []
    for kid in KOMMUNER:
        base = site / "kommuner" / kid
        pages += sorted((base / "tjenester").glob("*/index.html")) + sorted((base / "hjelp").glob("*/index.html"))
        pages.append(base / "kontakt" / "index.html")
    return pages + [site / "akutt-hjelp" / "index.html"]


def _article(html: str) -> str:
    return html.split("<article", 1)[1].split("</article>", 1)[0]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _blocks(article: str) -> list[str]:
    """The innermost paragraphs, list items and table cells of an article (their HTML)."""
    return [m.group(2) for m in re.finditer(r"<(p|li|td)\b[^>]*>((?:(?!<(?:p|li|td|ul|ol)\b).)*?)</\1>", article,
                                            re.S)]


def test_no_citizen_page_shows_a_missing_fact_without_the_next_step(project_site):
    bare = []
    pages = _citizen_pages(project_site)
    assert len(pages) > 250
    for path in pages:
        for block in _blocks(_article(path.read_text(encoding="utf-8"))):
            if "kb-missing" not in block:
                continue
            rest = _text(re.sub(r'<em class="kb-missing">.*?</em>', "", block, flags=re.S))
            if len(rest) < 15 and "<a " not in block:
                bare.append(f"{path.relative_to(project_site)}: {_text(block)!r}")
    assert not bare, "\n".join(bare[:20])


def test_one_wording_for_a_missing_fact_on_citizen_pages(project_site):
    for path in _citizen_pages(project_site):
        text = _text(_article(path.read_text(encoding="utf-8")))
        for other in ("Ikke oppgitt – kontakt kommunen", "Ikke oppgitt i planen"):
            assert other not in text, path


def test_every_service_page_ends_at_a_way_to_reach_someone(project_site):
    services = [p for kid in KOMMUNER for p in (project_site / "kommuner" / kid / "tjenester").glob("*/index.html")]
    assert len(services) > 200
    for path in services:
        contact = _article(path.read_text(encoding="utf-8")).split('id="kontakt"', 1)[1].split("<h2", 1)[0]
        own = re.search(r'href="(tel:|mailto:|&#109;&#97;|https?://)', contact)
        instead = 'href="../../kontakt/"' in contact and 'href="tel:116117"' in contact
        assert own or instead, path


def test_a_number_meant_for_professionals_is_never_offered_to_citizens(project_site):
    for path in _citizen_pages(project_site):
        html = path.read_text(encoding="utf-8")
        assert "tel:61272014" not in html and "61272014" not in _text(_article(html)), path


def test_legevakt_cards_and_pages_give_116_117(project_site):
    for kid in KOMMUNER:
        page = (project_site / "kommuner" / kid / "tjenester" / "legevakt" / "index.html").read_text(encoding="utf-8")
        how = _article(page).split('id="slik-får-du-hjelp"', 1)[1].split("<h2", 1)[0]
        assert 'href="tel:116117"' in how, kid
        crisis = _article((project_site / "kommuner" / kid / "hjelp" / "akutt-krise" / "index.html")
                          .read_text(encoding="utf-8"))
        card = crisis.split('id="legevakt"', 1)[1].split("<h3", 1)[0]
        assert "Ikke oppgitt" not in _text(card) and 'href="tel:116117"' in card, kid


def test_every_help_line_names_its_source_and_when_it_was_checked(project_site):
    page = _article((project_site / "akutt-hjelp" / "index.html").read_text(encoding="utf-8"))
    sections = page.split("<h3")[1:]
    assert len(sections) == 11
    for section in sections:
        text = _text(section)
        assert re.search(r"Kilde: .+ sjekket \d\d\.\d\d\.\d{4}", text), text[:80]


def test_the_about_page_lists_the_facts_from_outside_the_documents(project_site):
    page = _text(_article((project_site / "om" / "index.html").read_text(encoding="utf-8")))
    part = page.split("Opplysninger som ikke står i de fem dokumentene", 1)[1]
    for line in ("116 123", "22 40 00 40", "Postadresse", "Lovdata"):
        assert line in part, line


# --- In the browser ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser_and_base(project_site):
    if not chromium_available():
        pytest.skip("needs Chromium")
    with serve_site(project_site) as base, launch_chromium() as browser:
        yield browser, base


def _tappable(page, selector: str) -> bool:
    """The element is visible, at least 24 px high, and nothing covers its middle."""
    return page.eval_on_selector(selector, """el => {
        el.scrollIntoView({block: 'center'});
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height < 24) return false;
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return hit === el || el.contains(hit);
    }""")


@needs_chromium
@pytest.mark.parametrize("kommune", KOMMUNER)
@pytest.mark.parametrize("journey", JOURNEYS)
def test_journey_ends_at_a_way_to_contact_someone(browser_and_base, kommune, journey):
    browser, base = browser_and_base
    page = browser.new_page(viewport=PHONE)
    page.goto(base)
    page.locator("article").get_by_role("link", name=KOMMUNER[kommune], exact=True).first.click()
    page.locator("article").get_by_role("link", name=JOURNEYS[journey], exact=True).first.click()
    first = page.locator("article h3").first.inner_text()
    page.locator("article").get_by_role("link", name=f"Les mer om {first}").first.click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("h1").inner_text() == first
    contact = page.locator("#kontakt ~ *").evaluate_all(
        "els => { const out = []; for (const e of els) { if (e.tagName === 'H2') break; out.push(e); }"
        " return out.flatMap(e => [...e.querySelectorAll('a')]).map(a => a.getAttribute('href')); }")
    calls = [h for h in contact if h and h.startswith(("tel:", "mailto:"))]
    assert calls, (journey, kommune, contact)
    # A missing fact always comes with the next step.
    for text in page.locator("article .kb-missing").evaluate_all(
            "els => els.map(e => e.closest('p, li, td').innerText)"):
        assert len(text.replace("Ikke oppgitt i kilden.", "").strip()) > 15, text
    page.close()


@needs_chromium
@pytest.mark.parametrize("kommune", KOMMUNER)
def test_crisis_page_numbers_are_visible_and_tappable(browser_and_base, kommune):
    browser, base = browser_and_base
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base}kommuner/{kommune}/hjelp/akutt-krise/")
    box = ".admonition.danger"
    assert page.locator(box).inner_text().startswith("Haster det?")
    for tel, shown in EMERGENCY.items():
        link = f'{box} a[href="tel:{tel}"]'
        assert page.locator(link).inner_text() == shown
        assert _tappable(page, link), (kommune, tel)
    talk = page.locator("#noen-å-snakke-med + ul").inner_text()
    for number in ("116 123", "22 40 00 40"):
        link = f'a[href="tel:{number.replace(" ", "")}"]'
        assert _tappable(page, f"#noen-å-snakke-med + ul {link}"), number
        assert re.search(number + r" \(hele døgnet\)", talk), talk
    sources = page.locator("details").filter(has_text="Hvor numrene").first
    sources.locator("summary").click()
    assert "Kirkens SOS" in sources.inner_text() and "sjekket" in sources.inner_text()
    page.close()


@needs_chromium
@pytest.mark.parametrize("path", ["kommuner/sel/hjelp/akutt-krise/", "kommuner/flaa/tjenester/legevakt/"])
def test_crisis_numbers_stay_within_reach_after_scrolling_on_a_phone(browser_and_base, path):
    browser, base = browser_and_base
    page = browser.new_page(viewport=PHONE)
    page.goto(base + path)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(200)
    for tel in ("113", "116117"):
        link = f'.kb-crisis-bar a[href="tel:{tel}"]'
        box = page.locator(link).bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], tel
        assert box["height"] >= 44
        hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('a')?.getAttribute('href')",
                            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
        assert hit == f"tel:{tel}"
    # The bar hides nothing: the end of the page can be scrolled above it.
    footer = page.locator(".md-footer-meta").bounding_box()
    bar = page.locator(".kb-crisis-bar").bounding_box()
    assert footer and bar and footer["y"] + footer["height"] <= bar["y"] + 1, (footer, bar)
    page.close()


@needs_chromium
def test_the_bar_is_not_shown_on_a_wide_screen(browser_and_base):
    browser, base = browser_and_base
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + "kommuner/sel/hjelp/akutt-krise/")
    assert not page.locator(".kb-crisis-bar").is_visible()
    page.close()


# --- The age of the facts ------------------------------------------------------------------------------------------


def test_every_kommune_page_says_which_year_its_facts_are_from(project_site):
    from datetime import date

    import yaml

    from knowledgebase.pages import FACT_MAX_AGE_YEARS

    root = Path(__file__).resolve().parents[1]
    for kid, name in KOMMUNER.items():
        plan = yaml.safe_load((root / "data/kommuner" / kid / "kommune.yml").read_text(encoding="utf-8"))["plan"]
        old = date.today().year - plan["kildear"] > FACT_MAX_AGE_YEARS
        pages = sorted((project_site / "kommuner" / kid).rglob("index.html"))
        assert len(pages) > 50
        for path in pages:
            rel = path.relative_to(project_site / "kommuner" / kid).as_posix()
            article = _article(path.read_text(encoding="utf-8"))
            notes = re.findall(r'<p class="kb-age">(.*?)</p>', article, re.S)
            if rel in ("kontakt/index.html", "mangler/index.html"):
                assert not notes, rel  # their facts are not the plan's
                continue
            assert len(notes) == 1, rel
            assert f"planen til {name} kommune" in notes[0]
            assert str(plan.get("periode_fra") or plan["kildear"]) in notes[0]
            assert ("kan være utdatert" in notes[0]) == old, (rel, notes[0])
