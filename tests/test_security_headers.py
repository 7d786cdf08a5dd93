"""The built site runs under its own strict Content-Security-Policy without a single violation."""

from __future__ import annotations

import pytest
from browser import chromium_available, launch_chromium, serve_site

from knowledgebase.security import parse_headers_file

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not chromium_available(), reason="needs Chromium")]

PAGES = ["", "akutt-hjelp/", "regelverk/hol/", "kommuner/flaa/", "kommuner/flaa/handlingsplan/",
         "kommuner/flaa/statistikk/", "kommuner/sel/tjenester/", "begreper/"]


def test_policy_is_strict(project_site):
    headers = parse_headers_file((project_site / "_headers").read_text(encoding="utf-8"))
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    script = next(d for d in policy.split("; ") if d.startswith("script-src "))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script and "http" not in script


def test_pages_and_search_work_under_the_policy(project_site):
    headers = parse_headers_file((project_site / "_headers").read_text(encoding="utf-8"))
    violations = []
    with serve_site(project_site, headers) as base, launch_chromium() as browser:
        page = browser.new_page()
        page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                             " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
        for path in PAGES:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            violations += [f"{path}: {v}" for v in page.evaluate("window.__csp")]
        page.goto(base)
        page.keyboard.press("/")
        page.keyboard.type("helsestasjon")
        page.wait_for_selector(".md-search-result__item", timeout=15000)
        violations += [f"search: {v}" for v in page.evaluate("window.__csp")]
    assert not violations, violations


def test_policy_allows_exactly_the_inline_scripts_in_the_built_pages(project_site):
    from knowledgebase.security import content_security_policy

    headers = parse_headers_file((project_site / "_headers").read_text(encoding="utf-8"))
    assert headers["Content-Security-Policy"] == content_security_policy(project_site)
