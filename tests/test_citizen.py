"""The citizen's way through the site, in a real browser: scenarios, search, keyboard, phone."""

from __future__ import annotations

import pytest
from browser import chromium_available, launch_chromium, serve_site

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not chromium_available(), reason="needs Chromium")]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def browser_and_base(project_site):
    with serve_site(project_site) as base, launch_chromium() as browser:
        yield browser, base


def new_page(browser_and_base, viewport=PHONE):
    browser, base = browser_and_base
    page = browser.new_page(viewport=viewport)
    return page, base


def click_link(page, text: str) -> None:
    page.locator("article").get_by_role("link", name=text, exact=False).first.click()
    page.wait_for_load_state("domcontentloaded")


def section_text(page, heading: str) -> str:
    """Text between an h2 and the next h2 of the article."""
    return page.evaluate(
        """(heading) => {
            const h = [...document.querySelectorAll('article h2')].find(e => e.textContent.trim() === heading);
            if (!h) return null;
            let text = '', el = h.nextElementSibling;
            while (el && el.tagName !== 'H2') { text += el.innerText + '\\n'; el = el.nextElementSibling; }
            return text.trim();
        }""", heading)


def test_parent_in_flaa_finds_help_for_an_anxious_teenager_in_three_clicks(browser_and_base):
    page, base = new_page(browser_and_base)
    page.goto(base)
    click_link(page, "Flå")                                      # 1
    click_link(page, "Bekymret for et barn eller en ungdom")     # 2
    first_service = page.locator("article h3").first.inner_text()
    click_link(page, f"Les mer om {first_service}")              # 3
    assert page.locator("h1").inner_text() == first_service
    how = section_text(page, "Slik får du hjelp")
    assert how and "Ta kontakt selv" in how
    assert section_text(page, "Kontakt") is not None
    assert "Angst" in page.locator("article").inner_text()


def test_adult_in_sondre_land_who_drinks_too_much_finds_help_in_three_clicks(browser_and_base):
    page, base = new_page(browser_and_base)
    page.goto(base)
    click_link(page, "Søndre Land")
    click_link(page, "Rus eller spill")
    cards = page.locator("article h3").all_inner_texts()
    assert any("samtale" in c.lower() or "lavterskel" in c.lower() or "rus" in c.lower() for c in cards), cards
    click_link(page, f"Les mer om {cards[0]}")
    assert page.locator("h1").inner_text() == cards[0]
    how = section_text(page, "Slik får du hjelp")
    # The page says how to get the help, or says plainly that the plan does not say it.
    assert how and ("Ta kontakt selv" in how or "Henvisning" in how or "Søknad" in how
                    or "Ikke oppgitt i kilden. Ta kontakt og spør" in how)


@pytest.mark.parametrize("path", ["", "kommuner/sel/", "kommuner/sel/hjelp/akutt-krise/",
                                  "kommuner/sel/tjenester/legevakt/", "regelverk/hol/", "kommuner/sel/handlingsplan/"])
def test_crisis_numbers_are_on_the_first_screen_of_a_phone(browser_and_base, path):
    page, base = new_page(browser_and_base)
    page.goto(base + path)
    for number in ("113", "116117"):
        box = page.locator(f'.kb-crisis a[href="tel:{number}"]').bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], (path, number)
        assert box["height"] >= 44, "tap target smaller than 44 px"


def search(page, base, query: str) -> list[str]:
    """Search on the search page, as a citizen does; the result links, best first."""
    page.goto(base + "sok/?q=" + query)
    page.wait_for_selector(".kb-search__result", timeout=15000)
    return page.eval_on_selector_all(".kb-search__result > a", "els => els.map(e => e.getAttribute('href'))")


def test_search_psykolog_finds_the_municipal_psychologist_services(browser_and_base, project_site):
    page, base = new_page(browser_and_base, DESKTOP)
    hrefs = search(page, base, "psykolog")
    top = " ".join(hrefs[:5])
    assert "tjenester/psykologtjeneste" in top or "kommunepsykolog" in top, hrefs[:5]


@pytest.mark.parametrize("query, expected", [
    ("angst", "hjelp/angst-depresjon"),
    ("depresjon", "hjelp/angst-depresjon"),
    ("rusproblem", "tjenester/"),
    ("selvmordstanker", "hjelp/akutt-krise"),
    ("psykose", "hjelp/alvorlig-psykisk-lidelse"),
])
def test_everyday_words_lead_to_situation_and_service_pages(browser_and_base, query, expected):
    page, base = new_page(browser_and_base, DESKTOP)
    hrefs = search(page, base, query)
    assert any(expected in h for h in hrefs[:3]), (query, hrefs[:5])


def test_keyboard_alone_reaches_a_services_contact_details(browser_and_base):
    page, base = new_page(browser_and_base, DESKTOP)
    page.goto(base)

    def tab_to(text: str, limit: int = 400) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement && document.activeElement.innerText")
            if focused and focused.strip() == text:
                outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
                assert outline != "none", f"focus on {text!r} is not visible"
                with page.expect_navigation():
                    page.keyboard.press("Enter")
                return
        raise AssertionError(f"could not reach {text!r} with Tab")

    # The skip link is the first stop.
    page.keyboard.press("Tab")
    assert "md-skip" in (page.evaluate("document.activeElement.className") or "")
    tab_to("Flå")
    tab_to("Bekymret for et barn eller en ungdom")
    name = page.locator("article h3").first.inner_text()
    tab_to(f"Les mer om {name}")
    assert page.locator("h1").inner_text() == name
    assert section_text(page, "Kontakt") is not None


@pytest.mark.parametrize("path", ["", "kommuner/flaa/", "kommuner/flaa/hjelp/barn-unge/",
                                  "kommuner/flaa/tjenester/helsestasjon-ungdom/", "kommuner/sel/handlingsplan/",
                                  "kommuner/sondre-land/statistikk/", "regelverk/hol/", "begreper/"])
def test_no_horizontal_scrolling_on_a_phone(browser_and_base, path):
    page, base = new_page(browser_and_base)
    page.goto(base + path)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{path}: page is {width} px wide"


def test_choice_links_are_large_enough_to_tap(browser_and_base):
    page, base = new_page(browser_and_base)
    for path in ("", "kommuner/flaa/"):
        page.goto(base + path)
        boxes = [el.bounding_box() for el in page.locator(".kb-choices a").all()]
        assert len(boxes) >= 3, path
        for box in boxes:
            assert box and box["height"] >= 44 and box["width"] >= 44


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_screenshots_of_citizen_pages(browser_and_base, viewport, tmp_path_factory):
    """Screenshots at both widths (kept under the test's temp folder for a person to look at)."""
    page, base = new_page(browser_and_base, viewport)
    out = tmp_path_factory.mktemp(f"screens-{viewport['width']}")
    for path in ("", "kommuner/flaa/", "kommuner/flaa/hjelp/barn-unge/", "kommuner/flaa/tjenester/helsestasjon-ungdom/",
                 "akutt-hjelp/"):
        page.goto(base + path)
        shot = out / ((path.strip("/").replace("/", "_") or "index") + ".png")
        page.screenshot(path=str(shot))
        # A person sees the crisis numbers and the page's heading on the first screen, and nothing sticks
        # out to the side.
        for selector in (".kb-crisis", "article h1"):
            box = page.locator(selector).first.bounding_box()
            assert box and box["height"] > 0 and 0 <= box["y"] < viewport["height"], (path, selector)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
