"""The site navigation, built from the index and the list of pages.

Imports :mod:`index` and :mod:`routes`. Returns MkDocs' ``nav`` structure (a list of ``{title: path}`` dicts);
only pages that exist are listed, so the nav never points at nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from .index import Index, natural_key
from .routes import in_menu, route, route_of


def build_nav(index: Index, generated: set[str], only: Collection[str] | None = None) -> list[Any]:
    """Return the nav: front page, crisis help, kommuner (all or ``only``), national layer, routines, about."""
    hand = {p.src_uri: p for p in index.pages}
    exists = generated | set(hand)
    placed: set[str] = set()

    def item(title: str | None, path: str) -> dict[str, str] | str | None:
        if path not in exists:
            return None
        placed.add(path)
        # Without a title MkDocs uses the page's own first heading.
        return {title: path} if title else path

    def section(title: str, items: list[Any]) -> dict[str, list[Any]] | None:
        items = [i for i in items if i]
        return {title: items} if items else None

    nav: list[Any] = [item("Forside", route("front")), item("Akutt hjelp", route("akutt-hjelp"))]
    kommuner = []
    for k in index.kommuner():
        kid = k.id
        if only is not None and kid not in only:
            continue
        chapters = sorted(index.of_type("kapittel", kid), key=lambda e: natural_key(e.record.kapittel))
        kommuner.append(section(k.title, [
            item("Oversikt", route("kommune", kommune=kid)),
            item("Kontakt kommunen", route("kommune-kontakt", kommune=kid)),
            item("Om kommunen og planen", route("kommune-om", kommune=kid)),
            item("Tjenester", route("tjenester", kommune=kid)),
            section("Planen", [item("Innhold", route("plan", kommune=kid))]
                    + [item(c.title, c.page) for c in chapters]),
            item("Handlingsplan", route("handlingsplan", kommune=kid)),
            item("Oversikt over tiltak", route("tiltaksoversikt", kommune=kid)),
            item("Ansvar", route("ansvarsliste", kommune=kid)),
            item("Enheter og roller", route("enheter", kommune=kid)),
            item("Statistikk", route("kommunestatistikk", kommune=kid)),
            item("Dekning", route("kommune-dekning", kommune=kid)),
            item("Mangler i kilden", route("mangler", kommune=kid)),
            item("Til kontroll", route("til-kontroll", kommune=kid)),
        ]))
    nav.append(section("Kommuner", [item("Alle kommuner", route("kommuner"))] + kommuner))
    laws = [e for e in index.of_type("lov") if e.parent is None]
    docs = index.of_type("dokument")
    guide_pages = sorted(p for p in hand if route_of(p) in ("veileder", "veilederkapittel"))
    nav.append(section("Nasjonalt", [
        section("Lover og forskrifter", [item("Oversikt", route("lover"))]
                + [item(e.title[:1].upper() + e.title[1:], e.page) for e in sorted(laws, key=lambda e: e.title)]),
        section("Veilederen IS-1332", [item(_title(index, p), p) for p in guide_pages]),
        item("Nasjonale dokumenter", route("dokumenter")),
        *[item(f"Anbefalinger: {d.record.nummer or d.title}", route("anbefalinger", dokument=d.id)) for d in docs],
        section("Hovedforløp", [item("Oversikt", route("forlopliste"))]
                + [item(e.title, e.page) for e in index.of_type("forlop")]),
        item("Kartleggingsverktøy", route("verktoyliste")),
        item("Ansvar, forebygging og samarbeid", route("prinsipper")),
        item("Krav til rutiner", route("krav")),
        item("Nasjonal statistikk", route("statistikk")),
        item("Ordliste", route("begreper")),
    ]))
    nav.append(section("Dekning", [item("Anbefalinger og kommunene", route("dekning-anbefalinger")),
                                   item("Krav og kommunene", route("dekning-krav")),
                                   item("Kommunene side om side", route("sammenligning")),
                                   item("Utdaterte kilder", route("utdaterte-kilder"))]))
    routines = sorted(index.of_type("rutine"), key=lambda e: e.title)
    nav.append(section("Rutiner", [item("Oversikt", route("rutiner"))] + [item(e.title, e.page) for e in routines]))
    rest = sorted(p for p in exists if p not in placed and in_menu(p))
    nav.append(section("Om kunnskapsbasen", [item(_title(index, p), p) for p in rest]))
    return [n for n in nav if n]


def _title(index: Index, path: str) -> str | None:
    entry = index.entries.get(("side", path))
    return entry.title if entry else None
