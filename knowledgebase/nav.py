"""The site navigation, built from the index and the list of pages.

Imports :mod:`index`. Returns MkDocs' ``nav`` structure (a list of ``{title: path}`` dicts);
only pages that exist are listed, so the nav never points at nothing.
"""

from __future__ import annotations

from .index import Index, natural_key


def build_nav(index: Index, generated: set[str]) -> list:
    """Return the nav: front page, crisis help, kommuner, national layer, routines, about."""
    hand = {p.src_uri: p for p in index.pages}
    exists = generated | set(hand)
    placed: set[str] = set()

    def item(title: str | None, path: str) -> dict | str | None:
        if path not in exists:
            return None
        placed.add(path)
        # Without a title MkDocs uses the page's own first heading.
        return {title: path} if title else path

    def section(title: str, items: list) -> dict | None:
        items = [i for i in items if i]
        return {title: items} if items else None

    nav: list = [item("Forside", "index.md"), item("Akutt hjelp", "akutt-hjelp.md")]
    kommuner = []
    for k in index.kommuner():
        base = f"kommuner/{k.id}"
        chapters = sorted(index.of_type("kapittel", k.id), key=lambda e: natural_key(e.record.kapittel))
        kommuner.append(section(k.title, [
            item("Oversikt", f"{base}/index.md"),
            item("Om kommunen og planen", f"{base}/om.md"),
            item("Tjenester", f"{base}/tjenester/index.md"),
            section("Planen", [item("Innhold", f"{base}/plan/index.md")]
                    + [item(c.title, c.page) for c in chapters]),
            item("Handlingsplan", f"{base}/handlingsplan.md"),
            item("Oversikt over tiltak", f"{base}/tiltaksoversikt.md"),
            item("Ansvar", f"{base}/ansvar/index.md"),
            item("Enheter og roller", f"{base}/enheter/index.md"),
            item("Statistikk", f"{base}/statistikk.md"),
            item("Mangler i kilden", f"{base}/mangler.md"),
        ]))
    nav.append(section("Kommuner", [item("Alle kommuner", "kommuner/index.md")] + kommuner))
    laws = [e for e in index.of_type("lov") if e.parent is None]
    docs = index.of_type("dokument")
    guide_pages = sorted(p for p in hand if p.startswith("veileder/"))
    nav.append(section("Nasjonalt", [
        section("Lover og forskrifter", [item("Oversikt", "regelverk/index.md")]
                + [item(e.title[:1].upper() + e.title[1:], e.page) for e in sorted(laws, key=lambda e: e.title)]),
        section("Veilederen IS-1332", [item(_title(index, p), p) for p in guide_pages]),
        item("Nasjonale dokumenter", "dokumenter/index.md"),
        *[item(f"Anbefalinger: {d.record.nummer or d.title}", f"anbefalinger/{d.id}.md") for d in docs],
        section("Hovedforløp", [item("Oversikt", "hovedforlop/index.md")]
                + [item(e.title, e.page) for e in index.of_type("forlop")]),
        item("Kartleggingsverktøy", "verktoy/index.md"),
        item("Ansvar, forebygging og samarbeid", "prinsipper.md"),
        item("Krav til rutiner", "krav.md"),
        item("Nasjonal statistikk", "statistikk.md"),
        item("Ordliste", "begreper.md"),
    ]))
    routines = sorted(index.of_type("rutine"), key=lambda e: e.title)
    nav.append(section("Rutiner", [item("Oversikt", "rutiner/index.md")] + [item(e.title, e.page) for e in routines]))
    rest = sorted(p for p in exists if p not in placed and not _is_leaf(p))
    nav.append(section("Om kunnskapsbasen", [item(_title(index, p), p) for p in rest]))
    return [n for n in nav if n]


def _is_leaf(path: str) -> bool:
    """Pages reached from their lists, kept out of the menu so it stays short."""
    parts = path.split("/")
    return (
        (parts[0] == "kommuner" and len(parts) == 4
         and parts[2] in ("tjenester", "enheter", "ansvar", "tiltak", "plan", "hjelp"))
        or (parts[0] in ("verktoy", "dokumenter", "regelverk", "hovedforlop", "anbefalinger", "veileder", "rutiner"))
    )


def _title(index: Index, path: str) -> str | None:
    entry = index.entries.get(("side", path))
    return entry.title if entry else None
