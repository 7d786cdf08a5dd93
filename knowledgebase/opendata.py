"""The open-data exports in standard formats, and what the «Åpne data» page says about them.

Imports :mod:`index`, :mod:`routes`, :mod:`rdf` and :mod:`hsds`. :func:`opendata_paths` and
:func:`opendata_file` are what :mod:`exports` registers; :func:`opendata_page` is the context of
the page. The service graph is built once per index and site URL and serialised to Turtle and
JSON-LD from the same graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from markupsafe import Markup
from rdflib import Graph

from .coverage import MATRIX_NAMES
from .hsds import TABLES, hsds_json, hsds_service, hsds_tables
from .index import Index
from .rdf import catalogue_graph, jsonld, service_graph, site_url, turtle
from .routes import route

CPSV_AP = "https://semiceu.github.io/CPSV-AP/releases/3.2.0/"
HSDS = "https://github.com/openreferral/specification"
_CACHE: dict[str, Any] = {}
_SITE_URL: ContextVar[str | None] = ContextVar("site_url", default=None)


@contextmanager
def site_url_as(url: str | None) -> Iterator[None]:
    """Within the block, the files name their IRIs under ``url`` (the build's site_url) unless told otherwise."""
    token = _SITE_URL.set(url)
    try:
        yield
    finally:
        _SITE_URL.reset(token)


def opendata_paths() -> list[str]:
    """The standard-format export files, relative to the site root."""
    return [route("eksport-ttl"), route("eksport-jsonld"), route("eksport-katalog")] + [
        route("eksport-hsds", table=table) for table in TABLES]


def _cached(index: Index, base: str, name: str, make: Any) -> Any:
    if _CACHE.get("index") is not index or _CACHE.get("base") != base:
        _CACHE.clear()
        _CACHE.update(index=index, base=base)
    if name not in _CACHE:
        _CACHE[name] = make()
    return _CACHE[name]


def datasets(index: Index) -> list[dict[str, Any]]:
    """One description per dataset: the catalogue's datasets and the page's list of files."""
    out: list[dict[str, Any]] = [
        {"id": "tjenester", "title": "Tjenestekatalog (CPSV-AP-NO)", "standard": CPSV_AP,
         "standard_title": "CPSV-AP-NO (bygger på CPSV-AP 3.2)",
         "files": [route("eksport-ttl"), route("eksport-jsonld")],
         "description": "Alle tjenestene i alle kommunene som offentlige tjenester etter CPSV-AP-NO: navn, "
                        "beskrivelse, kommunen som er ansvarlig, kontaktpunkt og kanaler, lovgrunnlag med "
                        "lenke til Lovdata, tema, målgrupper, pris og tiltak i handlingsplanen."},
        {"id": "hsds", "title": "Tjenestekatalog (HSDS 3.0)", "standard": HSDS, "standard_title": "HSDS 3.0",
         "files": [route("eksport-hsds", table=t) for t in TABLES],
         "description": "De samme tjenestene etter Open Referrals Human Services Data Specification 3.0: "
                        "organisasjoner (kommunene), tjenester, steder, telefonnumre og hvilke tjenester som "
                        "gis hvor."},
        {"id": "kunnskapsbase", "title": "Hele kunnskapsbasen (kb.json)", "standard": None,
         "files": [route("eksport-json")],
         "description": "Alt innholdet i kunnskapsbasen som JSON: lover, dokumenter, tjenester, enheter, "
                        "ansvar, mål og tiltak, med kilde for hver post. Formatet er beskrevet på siden om "
                        "dataformater."},
    ]
    if index.kommuner():
        out.append({"id": "dekning", "title": "Dekning: anbefalinger og krav i hver kommune", "standard": None,
                    "files": [route("eksport-dekning-csv", name=name) for name in MATRIX_NAMES]
                    + [route("eksport-dekning-xlsx")],
                    "description": "Hver nasjonal anbefaling og hvert lovkrav, med tiltakene, tjenestene og "
                                   "rutinene som svarer på det i hver kommune, eller at planen ikke svarer."})
    for kommune in index.kommuner():
        out.append({"id": f"mangler-{kommune.id}", "kommune": kommune.id, "standard": None,
                    "title": f"Opplysninger som mangler i kilden, {kommune.record.navn}",
                    "files": [route("eksport-mangler", kommune=kommune.id)],
                    "description": f"Arbeidsliste for redaktører: hver opplysning planen for {kommune.record.navn} "
                                   "ikke gir, med fil og linje."})
        if index.plan_of(kommune.id) is not None:
            out.append({"id": f"handlingsplan-{kommune.id}", "kommune": kommune.id, "standard": None,
                        "title": f"Handlingsplanen for {kommune.record.navn}",
                        "files": [route("eksport-csv", kommune=kommune.id),
                                  route("eksport-xlsx", kommune=kommune.id)],
                        "description": f"Tiltakene i handlingsplanen for {kommune.record.navn} kommune med "
                                       "ansvarlig, frist, økonomi og status, som CSV og Excel."})
    return out


def opendata_file(index: Index, rel: str, given_site_url: str | None = None) -> str:
    """The content of one file named by :func:`opendata_paths`."""
    base = site_url(given_site_url or _SITE_URL.get())
    if rel in (route("eksport-ttl"), route("eksport-jsonld")):
        graph: Graph = _cached(index, base, "graph", lambda: service_graph(index, base))
        if rel == route("eksport-ttl"):
            return str(_cached(index, base, "ttl", lambda: turtle(graph)))
        return str(_cached(index, base, "jsonld", lambda: jsonld(graph)))
    if rel == route("eksport-katalog"):
        return turtle(catalogue_graph(index, base, datasets(index)))
    tables = _cached(index, base, "hsds", lambda: hsds_tables(index, base))
    return hsds_json(tables[rel.rsplit("/", 1)[-1][: -len(".json")]])


def code_block(text: str, language: str) -> Markup:
    """A fenced code block around ``text``; the fence is longer than any run of backticks in it."""
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return Markup(f"{fence}{language}\n{text.rstrip()}\n{fence}")


def opendata_page(index: Index, given_site_url: str | None = None) -> dict[str, Any]:
    """Context of the «Åpne data» page: the datasets and example records made by the export code itself."""
    base = site_url(given_site_url)
    services = index.of_type("tjeneste")
    # The first service that shows the most parts of the format: a contact, a legal basis, a price.
    example = max(services, default=None, key=lambda e: (e.record.has_own_contact, bool(e.record.hjemmel),
                                                          bool(e.record.pris)))
    context: dict[str, Any] = {"datasets": datasets(index), "example": example, "site": base,
                               "cpsv_ap": CPSV_AP, "hsds": HSDS, "tables": TABLES}
    if example is not None:
        # Plain text: the Turtle highlighter colours names with too little contrast (WCAG 1.4.3).
        context["example_ttl"] = code_block(turtle(service_graph(index, base, [example])), "text")
        context["example_hsds"] = code_block(hsds_json([hsds_service(index, example, base)]), "json")
    return context
