"""The Nu HTML Checker (vnu) finds no error of our own on the sample pages (every page with KB_FULL=1).

Errors that come from Material's own templates are listed in KNOWN with the reason; everything else fails.
``scripts/ensure_vnu.sh`` (run by the test command) fetches vnu.jar from the npm package vnu-jar.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sample import sample_pages
from sitekit import ROOT

JARS = sorted((ROOT / ".cache" / "vnu").glob("vnu-*.jar"))
pytestmark = pytest.mark.skipif(not JARS or not shutil.which("java"),
                                reason="needs Java and vnu.jar: run scripts/ensure_vnu.sh")

KNOWN = {
    r"^Attribute “autocomplete” is only allowed when the input type is":
        "Material 9.8 puts autocomplete=off on its checkbox toggles (drawer, search, toc), to keep browsers "
        "from restoring their state",
    r"^The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control":
        "Material's navigation always has a label for the table-of-contents toggle '__toc', also on pages "
        "whose table of contents is hidden or empty",
}


def vnu_errors(site: Path, pages: list[str]) -> list[dict[str, object]]:
    result = subprocess.run(["java", "-jar", str(JARS[-1]), "--format", "json", "--exit-zero-always",
                             *[str(site / p) for p in pages]], capture_output=True, text=True, timeout=600)
    return [m for m in json.loads(result.stderr)["messages"] if m["type"] in ("error", "non-document-error")]


def test_no_html_errors_of_our_own(project_site):
    pages = sample_pages(project_site)
    errors = vnu_errors(project_site, pages)
    ours = [m for m in errors if not any(re.search(p, str(m["message"])) for p in KNOWN)]
    lines = [f"{str(m.get('url', '')).split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}" for m in ours]
    assert not lines, f"{len(lines)} HTML errors on {len(pages)} pages:\n" + "\n".join(lines[:40])


@pytest.mark.browser  # runs the checker (Java), with the HTML-validity layer
def test_the_checker_finds_errors(tmp_path):
    """The check above can fail: an unescaped element name and a duplicate id are reported."""
    (tmp_path / "index.html").write_text('<!doctype html><html lang="nb"><head><title>x</title></head><body>'
                                         '<p>data/kommuner/<id>/x.yml</p><h2 id="a">a</h2><h2 id="a">b</h2>'
                                         "</body></html>", encoding="utf-8")
    messages = [str(m["message"]) for m in vnu_errors(tmp_path, ["index.html"])]
    assert any("Duplicate ID" in m for m in messages) and any("“id”" in m for m in messages), messages
