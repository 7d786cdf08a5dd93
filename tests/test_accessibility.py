"""WCAG 2.1 A/AA with axe-core in Debian's Chromium, at a phone's and a desktop's width.

The test command checks a sample at both widths: at least two pages of every route (every template and
every kind of citizen page), hand-written pages and the 404 page (see ``sample.py``). ``make test-full``
sets ``KB_FULL=1`` and also checks every other page of the site at desktop width. The pages are split
over two browser processes.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from browser import chromium_available, launch_chromium, serve_site
from sample import sample_pages, url_of

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not chromium_available(), reason="needs Chromium")]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"phone": (360, 740), "desktop": (1280, 900)}
WORKERS = 2


def check_pages(site: str, pages: list[str], widths: tuple[str, ...] = tuple(WIDTHS)) -> list[str]:
    """Run axe on each page at each of ``widths``; return one line per violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    failures = []
    with serve_site(Path(site)) as base, launch_chromium() as browser:
        for name in widths:
            width, height = WIDTHS[name]
            page = browser.new_page(viewport={"width": width, "height": height})
            for path in pages:
                page.goto(base + url_of(path), wait_until="domcontentloaded")
                result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
                for violation in result.response["violations"]:
                    targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
                    failures.append(f"{path} ({name}): {violation['id']} ({violation['impact']}): "
                                    f"{violation['help']} -> {targets}")
            page.close()
    return failures


def test_no_wcag_violations_on_the_sample_at_phone_and_desktop_width(project_site):
    """The sample at both widths; with KB_FULL=1 (make test-full) also every other page at desktop width."""
    sample = sample_pages(project_site, full=False)
    assert len(sample) >= 40, sample  # every route is there
    rest = [p for p in sample_pages(project_site) if p not in sample]
    jobs = [(pages, tuple(WIDTHS)) for pages in (sample[i::WORKERS] for i in range(WORKERS))]
    jobs += [(pages, ("desktop",)) for pages in (rest[i::WORKERS] for i in range(WORKERS)) if pages]
    with ProcessPoolExecutor(WORKERS) as pool:
        results = pool.map(check_pages, [str(project_site)] * len(jobs), [j[0] for j in jobs], [j[1] for j in jobs])
        failures = [line for part in results for line in part]
    checked = len(sample) + len(rest)
    assert not failures, f"{len(failures)} WCAG violations on {checked} pages:\n" + "\n".join(failures[:60])


def test_no_wcag_violations_on_the_search_page_with_results_at_phone_and_desktop_width(project_site):
    from axe_playwright_python.sync_playwright import Axe

    failures = []
    with serve_site(project_site) as base, launch_chromium() as browser:
        for name, (width, height) in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(base + "sok/?q=psykolog+Sel")
            page.wait_for_selector(".kb-search__result")
            result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            failures += [f"sok/ ({name}): {v['id']}: {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}"
                         for v in result.response["violations"]]
            page.close()
    assert not failures, failures
