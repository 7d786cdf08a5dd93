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
# Only violations are reported in full: axe then skips describing every node that passes, which halves its time
# on a large page and changes no verdict (test_axe_still_reports_a_violation guards that).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
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
                result = axe.run(page, options=AXE_OPTIONS)
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
            result = Axe().run(page, options=AXE_OPTIONS)
            failures += [f"sok/ ({name}): {v['id']}: {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}"
                         for v in result.response["violations"]]
            page.close()
    assert not failures, failures


def test_axe_still_reports_a_violation_on_a_large_page(project_site, tmp_path):
    """The options that make axe fast still let it report what is wrong: a large real page with an image without
    alternative text and a button without a name fails."""
    rel = "kommuner/sondre-land/tiltaksoversikt/index.html"
    site = tmp_path / "site"
    for child in project_site.iterdir():
        if child.name != "kommuner":
            (site / child.name).parent.mkdir(parents=True, exist_ok=True)
            (site / child.name).symlink_to(child)
    page = site / rel
    page.parent.mkdir(parents=True)
    html = (project_site / rel).read_text(encoding="utf-8")
    page.write_text(html.replace("</article>", '<img src="x.png"><button></button></article>', 1), encoding="utf-8")
    failures = check_pages(str(site), [rel], widths=("phone",))
    assert any("image-alt" in line for line in failures) and any("button-name" in line for line in failures), failures
