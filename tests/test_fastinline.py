"""Skipping inline patterns that cannot match changes no HTML: the same output as Python-Markdown's own processor."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import markdown
import pytest
from markdown import inlinepatterns
from mkdocs.config import load_config

from knowledgebase import fastinline

ROOT = Path(__file__).resolve().parents[1]


@cache
def _site_config() -> Any:
    """The site's mkdocs.yml, for its Markdown extensions and their settings."""
    return load_config(str(ROOT / "mkdocs.yml"))

HARD_CASES = [
    "Ren tekst uten tegn som betyr noe.",
    "En [lenke](https://example.org/a_b) og en ![figur](bilde.png \"tittel\") og [ref][r] og [r].\n\n[r]: /ref/",
    "Bilde som referanse: ![alt][img] og ![img]\n\n[img]: /bilde.png",
    "Kode `a [b] <c> &d *e*` og ``dobbel ` inni`` og \\`ikke kode\\`.",
    "Escapet \\*stjerne\\* og \\[klamme\\] og \\\\ skråstrek og \\_under\\_.",
    "*kursiv* **fet** ***begge*** _kursiv_ __fet__ ___begge___ a * b * c snake_case_word",
    "Autolenke <https://lovdata.no/lov/2011-06-24-30> og e-post <post@kommune.no> og <b>html</b> <!-- kommentar -->.",
    "Entiteter: &amp; &#169; &#xA9; &nbsp; og løs & og a&b.",
    "Linjeskift med to mellomrom  \nneste linje og en tom\\\nlinje.",
    "| Kolonne | Lenke |\n|---|---|\n| *a* | [b](c) |\n| d&e | `f` |",
    "!!! note \"Merk\"\n    Innhold med **fet** og [[ikke en referanse]].",
    "- punkt med [lenke](/x/)\n- punkt med *vekt*\n\n1. nummer <span>html</span>",
    "ROP-lidelser og ACT-team {: #anker .klasse }",
    "Tekst med \x02 og \x03 og klzzwxh:0001 som ligner plassholdere.",
    "Understrek_i_ord og *stjerne*i*ord* og * alene * og _ alene _.",
    "<div markdown>\n**fet i html**\n</div>",
]


def _converter(fast: bool) -> markdown.Markdown:
    config = _site_config()
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
    if fast:
        fastinline.install(md)
    return md


@pytest.mark.parametrize("text", HARD_CASES)
def test_same_html_as_python_markdown(text):
    plain, fast = _converter(False), _converter(True)
    assert isinstance(fast.treeprocessors["inline"], fastinline.SkippingInlineProcessor)
    assert fast.convert(text) == plain.convert(text)


def test_every_markdown_page_converts_the_same():
    plain, fast = _converter(False), _converter(True)
    pages = sorted((ROOT / "docs").rglob("*.md"))
    assert len(pages) > 50
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert fast.reset().convert(text) == plain.reset().convert(text), page


def test_a_skipped_pattern_could_not_have_matched():
    """The table's promise, pattern by pattern: a text without the character never matches the expression."""
    md = _converter(False)
    samples = HARD_CASES + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md"))]
    checked = 0
    for pattern in md.inlinePatterns:
        chars = fastinline.needs(pattern)
        if chars is None:
            continue
        for sample in samples:
            for line in sample.split("\n\n"):
                if chars.isdisjoint(line):
                    assert pattern.compiled_re.search(line) is None, (pattern, line)
                    checked += 1
    assert checked > 1000


def test_all_of_python_markdowns_own_patterns_are_known():
    """A Python-Markdown upgrade that changes an expression makes its pattern always tried: correct but slower.
    This test says so, so the table is checked against the new expressions."""
    md = _converter(False)
    unknown = [name for name in md.inlinePatterns._priority if fastinline.needs(md.inlinePatterns[name.name]) is None
               and type(md.inlinePatterns[name.name]).__module__ == inlinepatterns.__name__]
    assert unknown == []
