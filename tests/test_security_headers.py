"""The built site runs under its own strict Content-Security-Policy, sent as a header or as a <meta> element,
without a single violation, and no page asks any host but the site itself for anything."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys

import pytest
from browser import chromium_available, launch_chromium, serve_site
from sitekit import make_site

from knowledgebase.security import ALLOWED_HASHES, content_security_policy, parse_headers_file

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not chromium_available(), reason="needs Chromium")]

PAGES = ["", "akutt-hjelp/", "regelverk/hol/", "kommuner/flaa/", "kommuner/flaa/handlingsplan/",
         "kommuner/flaa/statistikk/", "kommuner/sel/tjenester/", "begreper/"]
WATCH = ("window.__csp = []; document.addEventListener('securitypolicyviolation',"
         " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")


def test_policy_is_strict_and_the_same_in_headers_and_pages(project_site):
    headers = parse_headers_file((project_site / "_headers").read_text(encoding="utf-8"))
    policy = headers["Content-Security-Policy"]
    assert policy == content_security_policy()
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    script = next(d for d in policy.split("; ") if d.startswith("script-src "))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script and "http" not in script
    page = (project_site / "index.html").read_text(encoding="utf-8")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert meta and meta.group(1) == content_security_policy(meta=True)
    assert page.index("Content-Security-Policy") < page.index("<script")


def test_every_inline_script_of_the_site_is_on_the_fixed_list(project_site):
    found = set()
    for path in project_site.rglob("*.html"):
        for attrs, body in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", path.read_text("utf-8"), re.S):
            if "json" not in attrs:
                found.add("'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'")
    assert found and found <= ALLOWED_HASHES


@pytest.mark.parametrize("mode", ["header", "meta"])
def test_pages_and_search_work_under_the_policy(project_site, mode):
    headers = parse_headers_file((project_site / "_headers").read_text(encoding="utf-8")) if mode == "header" else {}
    violations = []
    with serve_site(project_site, headers) as base, launch_chromium() as browser:
        page = browser.new_page()
        page.add_init_script(WATCH)
        for path in PAGES:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            violations += [f"{path}: {v}" for v in page.evaluate("window.__csp")]
        # The search (Pagefind's WebAssembly, allowed by 'wasm-unsafe-eval' and nothing wider).
        page.goto(base)
        page.get_by_label("Søk i kunnskapsbasen").fill("helsestasjon")
        page.keyboard.press("Enter")
        page.wait_for_selector(".kb-search__result", timeout=15000)
        violations += [f"search: {v}" for v in page.evaluate("window.__csp")]
    assert not violations, violations


def test_no_request_leaves_the_site_even_with_a_github_repository(tmp_path):
    site = make_site(tmp_path / "gh")
    env = dict(os.environ, KB_REPO_URL="https://github.com/example/kb", NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    built = site / "site"
    assert 'class="md-source"' in (built / "index.html").read_text(encoding="utf-8")  # the link is there
    requests = []
    with serve_site(built) as base, launch_chromium() as browser:
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        for path in ["", "kommuner/testby/", "kommuner/testby/tjenester/samtaler/"]:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
        page.keyboard.press("/")
        page.keyboard.type("samtaler")
        page.wait_for_timeout(1500)
    outside = [u for u in requests if not u.startswith(base) and not u.startswith("data:")]
    assert requests and not outside, outside
