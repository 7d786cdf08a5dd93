"""The one route map: every page address of the site, by name.

Imports nothing from the package. No other module spells a page path: they ask
:func:`route` for it (``route("tjeneste", kommune="flaa", id="helsestasjon")`` ->
``kommuner/flaa/tjenester/helsestasjon.md``), and templates do the same through the
``url()`` global. Paths are MkDocs source paths (``src_uri``); :func:`page_url` turns one
into the address MkDocs publishes it at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Route:
    """One page address pattern.

    Attributes:
        pattern: The source path with ``{placeholders}``, e.g. ``regelverk/{id}.md``.
        in_menu: False for pages reached from their lists (a service, a tiltak): they stay out of
            the side menu so it stays short.
    """

    pattern: str
    in_menu: bool = True


ROUTES: dict[str, Route] = {
    # National pages
    "front": Route("index.md"),
    "akutt-hjelp": Route("akutt-hjelp.md"),
    "om": Route("om.md"),
    "sok": Route("sok.md"),
    "rettigheter": Route("rettigheter.md"),
    "tilgjengelighet": Route("tilgjengelighet.md"),
    "lover": Route("regelverk/index.md"),
    "lov": Route("regelverk/{id}.md", in_menu=False),
    "dokumenter": Route("dokumenter/index.md"),
    "dokument": Route("dokumenter/{id}.md", in_menu=False),
    "anbefalinger": Route("anbefalinger/{dokument}.md", in_menu=False),
    "begreper": Route("begreper.md"),
    "verktoyliste": Route("verktoy/index.md"),
    "verktoy": Route("verktoy/{id}.md", in_menu=False),
    "forlopliste": Route("hovedforlop/index.md"),
    "forlop": Route("hovedforlop/{id}.md", in_menu=False),
    "krav": Route("krav.md"),
    "prinsipper": Route("prinsipper.md"),
    "statistikk": Route("statistikk.md"),
    "veileder": Route("veileder/{dokument}/index.md", in_menu=False),
    "veilederkapittel": Route("veileder/{dokument}/{name}.md", in_menu=False),
    "rutiner": Route("rutiner/index.md"),
    "rutine": Route("rutiner/{name}.md", in_menu=False),
    "rutinerevisjon": Route("rutiner/revisjon.md", in_menu=False),
    "referanser": Route("redaktor/referanser.md"),
    "uforklarte": Route("redaktor/uforklarte-forkortelser.md"),
    "nasjonale-mangler": Route("redaktor/nasjonale-mangler.md"),
    "dataformat": Route("utvikler/dataformat.md"),
    "apne-data": Route("apne-data.md", in_menu=False),  # linked from the footer
    "utdaterte-kilder": Route("dekning/utdaterte-kilder.md"),
    "dekning-anbefalinger": Route("dekning/anbefalinger.md"),
    "dekning-krav": Route("dekning/krav.md"),
    "sammenligning": Route("dekning/sammenligning.md"),
    # Kommune pages
    "kommuner": Route("kommuner/index.md"),
    "kommune": Route("kommuner/{kommune}/index.md"),
    "kommune-om": Route("kommuner/{kommune}/om.md"),
    "kommune-kontakt": Route("kommuner/{kommune}/kontakt.md"),
    "enheter": Route("kommuner/{kommune}/enheter/index.md"),
    "enhet": Route("kommuner/{kommune}/enheter/{id}.md", in_menu=False),
    "tjenester": Route("kommuner/{kommune}/tjenester/index.md"),
    "tjeneste": Route("kommuner/{kommune}/tjenester/{id}.md", in_menu=False),
    "ansvarsliste": Route("kommuner/{kommune}/ansvar/index.md"),
    "ansvar": Route("kommuner/{kommune}/ansvar/{id}.md", in_menu=False),
    "handlingsplan": Route("kommuner/{kommune}/handlingsplan.md"),
    "tiltaksoversikt": Route("kommuner/{kommune}/tiltaksoversikt.md"),
    "tiltak": Route("kommuner/{kommune}/tiltak/{id}.md", in_menu=False),
    "kommunestatistikk": Route("kommuner/{kommune}/statistikk.md"),
    "mangler": Route("kommuner/{kommune}/mangler.md"),
    "kommune-dekning": Route("kommuner/{kommune}/dekning.md"),
    "til-kontroll": Route("kommuner/{kommune}/til-kontroll.md"),
    "plan": Route("kommuner/{kommune}/plan/index.md"),
    "kapittel": Route("kommuner/{kommune}/plan/{name}.md", in_menu=False),
    "utskrift": Route("kommuner/{kommune}/plan/utskrift.md", in_menu=False),
    "situasjon": Route("kommuner/{kommune}/hjelp/{slug}.md", in_menu=False),
    # Files that are not pages
    "eksport-json": Route("export/kb.json"),
    "eksport-csv": Route("export/{kommune}/handlingsplan.csv"),
    "eksport-xlsx": Route("export/{kommune}/handlingsplan.xlsx"),
    "eksport-ttl": Route("export/tjenester.ttl"),
    "eksport-jsonld": Route("export/tjenester.jsonld"),
    "eksport-katalog": Route("export/katalog.ttl"),
    "eksport-hsds": Route("export/hsds/{table}.json"),
    "eksport-mangler": Route("export/{kommune}/mangler.csv"),
    "skjema": Route("schema/{name}.schema.json"),
    "eksport-dekning-csv": Route("export/dekning/{name}.csv"),
    "eksport-dekning-xlsx": Route("export/dekning/dekning.xlsx"),
}
"""Every address of the site by name. Adding a page means adding its route here."""


def route(route_name: str, /, **params: str) -> str:
    """The source path of the route ``route_name`` with its placeholders filled in."""
    return ROUTES[route_name].pattern.format(**params)


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for name, r in ROUTES.items():
        regex = re.escape(r.pattern)
        regex = re.sub(r"\\\{(\w+)\\\}", lambda m: f"(?P<{m.group(1)}>[^/]+)", regex)
        out.append((name, re.compile(regex + r"\Z")))
    # Exact paths before patterns: 'kommuner/flaa/plan/utskrift.md' is the print page, not a chapter.
    out.sort(key=lambda item: ROUTES[item[0]].pattern.count("{"))
    return out


def route_of(src_uri: str) -> str | None:
    """The name of the route a source path belongs to, or None."""
    for name, pattern in _patterns():
        if pattern.match(src_uri):
            return name
    return None


def params_of(src_uri: str) -> dict[str, str]:
    """The placeholders of the route a source path belongs to (``{"kommune": "flaa", "id": "x"}``), or {}."""
    for _, pattern in _patterns():
        match = pattern.match(src_uri)
        if match:
            return match.groupdict()
    return {}


def in_menu(src_uri: str) -> bool:
    """Whether a page belongs in the side menu (pages of unknown routes do)."""
    name = route_of(src_uri)
    return name is None or ROUTES[name].in_menu


def page_url(src_uri: str, anchor: str | None = None) -> str:
    """The site-relative URL MkDocs gives a page (directory URLs), plus an anchor."""
    path = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    if path == "index":
        path = ""
    elif path.endswith("/index"):
        path = path[: -len("index")]
    elif src_uri.endswith(".md"):
        path += "/"
    return path + (f"#{anchor}" if anchor else "")
