"""A sample of the built site's pages: at least two of every route (every template and every kind of
citizen page), plus hand-written pages and the 404 page. The browser and HTML-validator tests check the
sample; ``make test-full`` (``KB_FULL=1``) checks every page."""

from __future__ import annotations

import os
from pathlib import Path

from knowledgebase.routes import route_of


def _route(rel: str) -> str:
    """The route of a built page ('kommuner/flaa/tjenester/x/index.html'), or 'side:<folder>' for others."""
    if rel == "404.html":
        return "404"
    folder = rel[: -len("index.html")].rstrip("/")
    for src in (f"{folder}.md", f"{folder}/index.md" if folder else "index.md"):
        name = route_of(src)
        if name is not None:
            return name
    return "side:" + folder.split("/")[0]


def site_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


# Pages the sample always holds besides two of each route: where a defect was once found (wide tables, long
# lists, the coverage pages), so the browser tests keep checking them.
ALWAYS = ["kommuner/sel/handlingsplan/index.html", "kommuner/flaa/handlingsplan/index.html",
          "kommuner/sondre-land/handlingsplan/index.html", "kommuner/sondre-land/tiltaksoversikt/index.html",
          "kommuner/sondre-land/tiltak/sys-02/index.html", "kommuner/sel/tiltak/sel-11/index.html",
          "begreper/index.html", "redaktor/uforklarte-forkortelser/index.html", "kommuner/sel/statistikk/index.html",
          "dekning/anbefalinger/index.html", "dekning/krav/index.html", "dekning/utdaterte-kilder/index.html",
          "kommuner/flaa/dekning/index.html", "anbefalinger/is-1332/index.html",
          "kommuner/sel/til-kontroll/index.html", "kommuner/flaa/mangler/index.html",
          "dekning/sammenligning/index.html"]


def sample_pages(site: Path, per_route: int = 2, full: bool | None = None) -> list[str]:
    """Site-relative paths of the sample (with :data:`ALWAYS`); every page with ``full`` (default: when KB_FULL=1
    is set)."""
    pages = site_pages(site)
    if os.environ.get("KB_FULL") if full is None else full:
        return pages
    by_route: dict[str, list[str]] = {}
    for rel in pages:
        by_route.setdefault(_route(rel), []).append(rel)
    chosen = []
    for _, rels in sorted(by_route.items()):
        # The first and the largest page of each route: the largest is where tables and long lists are.
        picks = [rels[0], max(rels, key=lambda r: (site / r).stat().st_size)]
        chosen += list(dict.fromkeys(picks))[:per_route] if len(rels) > 1 else rels
    missing = [rel for rel in ALWAYS if not (site / rel).exists()]
    assert not missing, f"pages the sample must hold are not in the site: {missing}"
    return sorted(set(chosen) | set(ALWAYS))


def url_of(rel: str) -> str:
    return "" if rel == "index.html" else rel[: -len("index.html")] if rel.endswith("index.html") else rel
