"""Readability (LIX) of the pages citizens read, as språklova § 9 asks for plain language.

Imports :mod:`models` only. LIX = words per sentence + percentage of words longer than six
letters; below 30 is very easy, 30-40 easy, 40-50 medium. What is measured is the running text of
the page: from the heading down to the sources and backlinks (reference data for staff), without
headings (labels such as «Hva koster det») and without the fixed notice «Ikke oppgitt i kilden»
that stands where the source gives nothing. LIX is a measure of running text; labels
and the notice are not sentences, and repeating the notice on a sparse page would otherwise
decide its score.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import textstat

from .models import Service
from .routes import page_url, route

LIX_LIMIT = 40
"""The test fails for a citizen page above this value."""

_STOP_HEADINGS = ("Kilder", "Kilde", "Dette viser hit")


def article_text(page_html: str) -> str:
    """Readable text of a built page's article, without charts, tables of sources or editor notes."""
    match = re.search(r"<article[^>]*>(.*?)</article>", page_html, re.S)
    body = match.group(1) if match else page_html
    for heading in _STOP_HEADINGS:
        cut = re.search(rf"<h2[^>]*>{heading}</h2>", body)
        if cut:
            body = body[: cut.start()]
    body = re.sub(r"<(script|style|svg|figure)[^>]*>.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<small>.*?</small>", " ", body, flags=re.S)
    body = re.sub(r"<abbr[^>]*>(.*?)</abbr>", r"\1", body, flags=re.S)
    body = re.sub(r"<h[1-6][^>]*>.*?</h[1-6]>", " ", body, flags=re.S)
    body = re.sub(r'<em class="kb-missing">.*?</em>', " ", body, flags=re.S)
    # Headings, list items and table cells end a sentence, as a reader takes them.
    body = re.sub(r"</(h[1-6]|li|td|th|dt|dd|p)>", ". ", body)
    body = re.sub(r"<[^>]+>", " ", body)
    text = html.unescape(body)
    text = re.sub(r"\.(\s*\.)+", ".", text)
    return re.sub(r"\s+", " ", text).strip()


def lix(text: str) -> float:
    """LIX of a text (textstat's implementation)."""
    if not text.strip():
        return 0.0
    return float(textstat.lix(text))


def page_lix(path: Path) -> float:
    return lix(article_text(path.read_text(encoding="utf-8")))


def citizen_pages(site: Path) -> list[Path]:
    """The pages citizens use: front page, situations, services, rights and crisis help."""
    routes = [route("front"), route("akutt-hjelp"), route("rettigheter"), route("kommune", kommune="*"),
              route("situasjon", kommune="*", slug="*"), route("tjeneste", kommune="*", id="*")]
    patterns = [page_url(r) + "index.html" for r in routes]
    found: list[Path] = []
    for pattern in patterns:
        found.extend(p for p in site.glob(pattern) if p.name == "index.html")
    return sorted(set(found))


def service_text(record: Service) -> str:
    """The citizen-facing text fields of a service record, as a page would show them."""
    parts = [record.navn + "."]
    for name in ("beskrivelse", "hvem", "tilgang_merknad", "pris", "klage"):
        value = getattr(record, name)
        if value:
            parts.append(re.sub(r"\[\[[^\]|]+\|([^\]]+)\]\]|\[\[[a-z]+:([^\]]+)\]\]", r"\1\2", value))
    return " ".join(parts)
