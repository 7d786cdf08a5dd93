"""WCAG 2.1 A/AA with axe-core in Debian's Chromium over every page of the built site.

The pages are split over four browser processes (the work waits mostly on the browser, not the CPU). Set
KB_AXE_PAGES=N to check only every N-th page while developing; the test command checks all.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from browser import chromium_available, launch_chromium, serve_site

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not chromium_available(), reason="needs Chromium")]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WORKERS = 4


def site_pages(site: Path) -> list[str]:
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    step = int(os.environ.get("KB_AXE_PAGES", "1"))
    return pages[::step]


def check_pages(site: str, pages: list[str]) -> list[str]:
    """Run axe on each page; return one line per violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    failures = []
    with serve_site(Path(site)) as base, launch_chromium() as browser:
        page = browser.new_page()
        # The search index is not part of any page's accessibility; skip loading it.
        page.route("**/search/search_index.json", lambda route: route.abort())
        for path in pages:
            page.goto(base + path, wait_until="domcontentloaded")
            result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            for violation in result.response["violations"]:
                targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
                failures.append(f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return failures


def test_no_wcag_violations_on_any_page(project_site):
    pages = site_pages(project_site)
    assert len(pages) > 0
    chunks = [pages[i::WORKERS] for i in range(WORKERS)]
    with ProcessPoolExecutor(WORKERS) as pool:
        failures = [line for part in pool.map(check_pages, [str(project_site)] * WORKERS, chunks) for line in part]
    assert not failures, f"{len(failures)} WCAG violations on {len(pages)} pages:\n" + "\n".join(failures[:60])
