"""The link check finds broken internal links and anchors, and accepts folder URLs with anchors."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from sitekit import ROOT

_spec = importlib.util.spec_from_file_location("linkcheck", ROOT / "scripts" / "linkcheck.py")
assert _spec is not None and _spec.loader is not None
linkcheck = importlib.util.module_from_spec(_spec)
sys.modules["linkcheck"] = linkcheck  # the worker processes find its functions by name
_spec.loader.exec_module(linkcheck)


def page(site: Path, rel: str, body: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")


def test_broken_links_and_anchors_are_named_with_their_page(tmp_path):
    page(tmp_path, "index.html", '<a href="lov/#p-3-1">ok</a> <a href="lov/#p-9">bad anchor</a> '
                                 '<a href="mangler/">missing</a> <a href="#top">self</a> <img src="bilde.png"> '
                                 '<a href="https://lovdata.no/x">external</a> <a href="tel:113">call</a>')
    page(tmp_path, "lov/index.html", '<h2 id="p-3-1">§ 3-1</h2><a href="../index.html#top">up</a>')
    (tmp_path / "index.html").write_text((tmp_path / "index.html").read_text().replace("<body>", '<body id="top">'))
    problems = linkcheck.check(tmp_path)
    assert problems == [
        "index.html: lov/#p-9 (no id 'p-9' on the page)",
        "index.html: mangler/ (no such file)",
        "index.html: bilde.png (no such file)",
    ]
    assert linkcheck.CHECKED == 6


def test_a_site_without_broken_links_passes(tmp_path):
    page(tmp_path, "index.html", '<a href="a/">a</a>')
    page(tmp_path, "a/index.html", '<a href="../">home</a><a href="/a/index.html">self</a>')
    assert linkcheck.check(tmp_path) == []
