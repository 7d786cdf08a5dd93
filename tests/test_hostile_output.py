"""Hostile text in every kind of field reaches no reader as markup, script or a call to another host.

Payloads that validation accepts are built into one copy of the mini fixture project, and every page
and the search results are read: no script element but the theme's, no on* attribute, no javascript:,
data: or vbscript: address, no resource from another host, and the payload text is shown as text.
Payloads that validation refuses each give one clear message with file, line and field.
"""

from __future__ import annotations

import html.parser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitekit import ROOT, make_site

from knowledgebase.build import load_project
from knowledgebase.errors import DataError
from knowledgebase.security import ALLOWED_HASHES, _hash

SERVICES = "data/kommuner/testby/tjenester.yml"
UNITS = "data/kommuner/testby/enheter.yml"
LAWS = "data/nasjonalt/lover.yml"
PAGE = "docs/index.md"

# (file, text to find, text to put instead): accepted by validation, must come out inert.
ACCEPTED = {
    "entity-encoded script in a unit name (title, menu, links)": (
        UNITS, "  navn: Helsestasjonen", "  navn: '&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;'"),
    "attribute list after a paragraph": (
        SERVICES, "  beskrivelse: Du kan få samtaler om det som er vanskelig. Se [[begrep:ip]].",
        "  beskrivelse: \"Du kan få samtaler.\\n{ onclick=alert(1) }\\n\\nMer tekst {: onmouseover=alert(2) }\""),
    "numeric entities spelling javascript in plain text": (
        SERVICES, "  navn: Samtaler med psykiatrisk sykepleier",
        "  navn: 'Samtaler &#106;avascript:alert(1) &#x3C;b&#x3E;'"),
    "a quote in a short title": (LAWS, "  korttittel: helse- og omsorgstjenesteloven",
                                 "  korttittel: 'helse- og \"omsorgs\" loven'"),
    "quotes and an attribute in page front matter": (
        PAGE, "# Testside", "---\ndescription: '\" onmouseover=\"alert(1)'\n"
                            "title: '&lt;/title&gt;&lt;svg/onload=alert(1)&gt;'\n---\n# Testside"),
    "markdown link and emphasis characters in a name": (
        "data/kommuner/testby/kommune.yml", "navn: Testby", "navn: '*Test* _by_ [x]'"),
}

# (file, text to find, text to put instead, the expected message's start): refused by validation.
REFUSED = {
    "javascript link with a numeric entity": (
        SERVICES, "Se [[begrep:ip]].", "Se [x](java&#115;cript:alert(1)).",
        f"{SERVICES}:7: Service(id='samtaler') field 'beskrivelse': the link 'java&#115;cript:alert(1' uses "
        "'javascript:'"),
    "javascript link in mixed case": (SERVICES, "Se [[begrep:ip]].", "Se [x](JaVaScRiPt:alert(1)).",
                                      f"{SERVICES}:7: Service(id='samtaler') field 'beskrivelse': "),
    "javascript link with a tab in the scheme": (SERVICES, "Se [[begrep:ip]].", "Se [x](java\tscript:alert(1)).",
                                                 f"{SERVICES}:7: Service(id='samtaler') field 'beskrivelse': "),
    "javascript link percent-encoded": (SERVICES, "Se [[begrep:ip]].", "Se [x](%6Aavascript:alert(1)).",
                                        f"{SERVICES}:7: Service(id='samtaler') field 'beskrivelse': "),
    "data: link": (SERVICES, "Se [[begrep:ip]].", "Se [x](data:text/html;base64,PHNjcmlwdD4=).",
                   f"{SERVICES}:7: Service(id='samtaler') field 'beskrivelse': "),
    "vbscript: link": (SERVICES, "Se [[begrep:ip]].", "Se [x](vbscript:msgbox(1)).",
                       f"{SERVICES}:7: Service(id='samtaler') field 'beskrivelse': "),
    "tracking image from another host": (
        SERVICES, "Se [[begrep:ip]].", "Se ![p](https://tracker.example/p.gif).",
        f"{SERVICES}:7: Service(id='samtaler') field 'beskrivelse': the image 'https://tracker.example/p.gif' is "
        "on another site"),
    "protocol-relative image": (SERVICES, "Se [[begrep:ip]].", "Se ![p](//tracker.example/p.gif).",
                                f"{SERVICES}:7: Service(id='samtaler') field 'beskrivelse': the image"),
    "link definition for the whole page": (
        SERVICES, "  beskrivelse: Du kan få samtaler om det som er vanskelig. Se [[begrep:ip]].",
        "  beskrivelse: \"Se [x][y].\\n\\n[y]: javascript:alert(1)\"",
        f"{SERVICES}:7: Service(id='samtaler') field 'beskrivelse': "),
    "an image tag with onerror": (SERVICES, "Se [[begrep:ip]].", "<img src=x onerror=alert(1)>",
                                  f"{SERVICES}:7: Service(id='samtaler') field 'beskrivelse': contains HTML"),
    "script written with YAML escapes": (
        SERVICES, "  beskrivelse: Du kan få samtaler om det som er vanskelig. Se [[begrep:ip]].",
        '  beskrivelse: "\\x22\\x3e\\x3cscript\\x3ealert(1)\\x3c/script\\x3e"',
        f"{SERVICES}:7: Service(id='samtaler') field 'beskrivelse': contains HTML"),
    "a URL field that closes the Markdown link": (
        LAWS, "  lovdata_id: LOV-2011-06-24-30", "  lovdata_id: LOV-2011-06-24-30\n  url: https://ok.no)[klikk](javascript:alert(1))",
        f"{LAWS}:6: Law(id='hol') field 'url': 'https://ok.no)[klikk](javascript:alert(1))' does not have the "
        "right form"),
    "a javascript: web address in a contact": (
        SERVICES, '    telefon: "12 34 56 78"', '    telefon: "12 34 56 78"\n    nettside: javascript:alert(1)',
        f"{SERVICES}:20: Service(id='helsestasjon-ungdom') field 'kontakt.nettside': 'javascript:alert(1)' does "
        "not have the right form"),
}


def _apply(site: Path, file: str, old: str, new: str) -> None:
    path = site / file
    text = path.read_text(encoding="utf-8")
    assert old in text, (file, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    site = make_site(tmp_path_factory.mktemp("hostile") / "project")
    for file, old, new in ACCEPTED.values():
        _apply(site, file, old, new)
    shutil.copy(ROOT / "docs" / "sok.md", site / "docs" / "sok.md")  # the search page, to search for the payloads
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site, capture_output=True,
                            text=True, timeout=300, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert result.returncode == 0, result.stdout + result.stderr
    return site / "site"


class _Scan(html.parser.HTMLParser):
    """Everything in a page that could run or call out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.script: list[str] | None = None
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.title = ""
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            address = "".join((value or "").split()).lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=>")
            if name in ("href", "src", "action", "formaction", "srcset") and address.startswith(
                    ("javascript:", "vbscript:", "data:text")):
                self.found.append(f"<{tag} {name}={address[:30]}>")
            if name in ("src", "srcset") and address.startswith(("http:", "https:", "//")):
                self.found.append(f"<{tag} {name}={address[:40]}> from another host")
        if tag in ("iframe", "object", "embed", "base"):
            self.found.append(f"<{tag}>")
        if tag == "script":
            self.script = []
            self.scripts.append((values, ""))
        if tag == "title":
            self.in_title = True

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script.append(data)
        if self.in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            attrs, _ = self.scripts[-1]
            self.scripts[-1] = (attrs, "".join(self.script))
            self.script = None
        if tag == "title":
            self.in_title = False


def scan(path: Path) -> _Scan:
    parser = _Scan()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_page_is_inert(hostile_site):
    problems = []
    for path in sorted(hostile_site.rglob("*.html")):
        parsed = scan(path)
        problems += [f"{path.relative_to(hostile_site)}: {p}" for p in parsed.found]
        for attrs, body in parsed.scripts:
            if attrs.get("src") or "json" in (attrs.get("type") or ""):
                continue
            if _hash(body) not in ALLOWED_HASHES:
                problems.append(f"{path.relative_to(hostile_site)}: script {body[:40]!r}")
    assert not problems, problems


def test_entity_encoded_script_in_a_name_stays_text_in_the_title_and_menu(hostile_site):
    page = hostile_site / "kommuner/testby/enheter/helsestasjon/index.html"
    parsed = scan(page)
    # The editor's characters are shown as written: the entities stay entities, nothing becomes a tag.
    assert parsed.title.startswith("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
    assert [attrs for attrs, _ in parsed.scripts if not attrs.get("src") and "json" not in str(attrs.get("type"))]
    text = page.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)" not in text


def test_attribute_lists_from_data_are_shown_not_applied(hostile_site):
    text = (hostile_site / "kommuner/testby/tjenester/samtaler/index.html").read_text(encoding="utf-8")
    assert not scan(hostile_site / "kommuner/testby/tjenester/samtaler/index.html").found
    assert "&#123; onclick=alert(1) &#125;</p>" in text  # shown to the reader as written


def test_front_matter_quotes_cannot_leave_the_meta_tag(hostile_site):
    parsed = scan(hostile_site / "index.html")
    assert not parsed.found
    text = (hostile_site / "index.html").read_text(encoding="utf-8")
    assert 'content="&#34; onmouseover=&#34;alert(1)"' in text
    assert "<svg/onload" not in text and parsed.title.startswith("</title><svg/onload=alert(1)>")  # text


def test_a_quote_in_a_short_title_does_not_break_the_page(hostile_site):
    text = (hostile_site / "regelverk/hol/index.html").read_text(encoding="utf-8")
    assert "omsorgs" in text and not scan(hostile_site / "regelverk/hol/index.html").found


def test_search_results_show_hostile_text_as_text(hostile_site):
    from browser import launch_chromium, serve_site

    with serve_site(hostile_site) as base, launch_chromium() as browser:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        shown = ""
        for query in ("alert", "script", "javascript", "onclick"):
            page.goto(base + "sok/?q=" + query)
            page.wait_for_function("() => /treff/.test(document.getElementById('kb-search-status').innerText)")
            results = page.locator("#kb-search-results")
            assert results.locator("script, svg, img, iframe, b, [onclick], [onmouseover]").count() == 0, query
            shown += results.inner_text()
    assert "alert(1)" in shown  # the payload is found and shown, as text
    assert not dialogs


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_payload_gives_one_clear_message(tmp_path, case):
    file, old, new, expected = REFUSED[case]
    site = make_site(tmp_path / "site")
    _apply(site, file, old, new)
    with pytest.raises(DataError) as err:
        load_project(site)
    lines = str(err.value).splitlines()
    assert len(lines) == 2 and lines[0].startswith(expected), lines


@pytest.mark.parametrize("markup, expected", [
    ('<p onclick="x">a</p>', "an event attribute onclick= on <p>"),
    ('<a href="java&#115;cript:alert(1)">a</a>', "a javascript: address in href= on <a>"),
    ('<a href=" JAVASCRIPT:alert(1)">a</a>', "a javascript: address in href= on <a>"),
    ('<img src="https://tracker.example/p.gif">', "a resource from another host in src= on <img>: "
                                                  "https://tracker.example/p.gif"),
    ("<script>alert(1)</script>", "an inline script that is not the theme's: 'alert(1)'"),
    ('<iframe src="x.html"></iframe>', "a <iframe> element"),
    ('<meta http-equiv="refresh" content="0;url=https://x">', "a <meta http-equiv=refresh> element"),
    ('<META HTTP-EQUIV="Refresh" CONTENT="5">', "a <meta http-equiv=refresh> element"),
    ('<IFRAME SRC="x.html"></IFRAME>', "a <iframe> element"),
    ('<P ONCLICK="x">a</P>', "an event attribute onclick= on <p>"),
    # Browsers read '/' between attributes as a space.
    ('<img/src="a.png"/onerror="alert(1)">', "a tag that cannot be read: '<img/src=\"a.png\"/onerror=\"alert(1)\">'"),
    ('<a/href="javascript:alert(1)">a</a>', "a tag that cannot be read: '<a/href=\"javascript:alert(1)\">'"),
])
def test_the_build_refuses_markup_that_could_run_or_call_out(markup, expected):
    from knowledgebase.security import unsafe_markup

    assert unsafe_markup(f"<html><body>{markup}</body></html>") == [expected]
    assert unsafe_markup('<html><body><a href="https://lovdata.no/">x</a><img src="../a.png"></body></html>') == []


def test_a_page_with_a_script_fails_the_build_with_its_name(tmp_path):
    site = make_site(tmp_path / "site")
    _apply(site, PAGE, "# Testside", "# Testside\n\n<script>alert(1)</script>")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site, capture_output=True,
                            text=True, timeout=300, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert result.returncode != 0
    assert "index.md: the page is not safe to publish: an inline script that is not the theme's: 'alert(1)'" \
        in result.stderr and "Traceback" not in result.stderr


def test_another_material_version_stops_the_build_until_the_script_list_is_checked(monkeypatch):
    from knowledgebase import security

    monkeypatch.setattr(security, "version", lambda name: "9.9.0")
    assert "mkdocs-material 9.9.0 is installed" in (security.theme_problem() or "")
