"""The service catalogue in CPSV-AP-NO (Turtle and JSON-LD) and the DCAT-AP-NO catalogue of the exports.

Imports :mod:`index`, :mod:`models`, :mod:`refs`, :mod:`routes`, :mod:`gitdates` and ``rdflib``.
Every node has a stable IRI under the site URL (no blank nodes), so two builds of one commit give
byte-identical files. A field the source does not give is left out; nothing is inferred.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, FOAF, RDF, RDFS, SKOS, TIME, XSD
from rdflib.namespace import DCTERMS as DCT

from . import models as m
from .gitdates import last_changed
from .index import Entry, Index
from .refs import Ref, replace_refs
from .routes import page_url, route

CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
PREFIXES = {"cpsv": CPSV, "cv": CV, "dct": DCT, "eli": ELI, "skos": SKOS, "foaf": FOAF, "dcat": DCAT,
            "time": TIME, "rdfs": RDFS, "xsd": XSD}
DEFAULT_SITE_URL = "http://localhost:8000/"
AUDIENCE_LABELS: dict[str, str] = {
    "barn": "Barn", "ungdom": "Ungdom", "unge_voksne": "Unge voksne", "voksne": "Voksne", "eldre": "Eldre",
    "foreldre": "Foreldre", "gravide": "Gravide", "parorende": "Pårørende", "flyktninger": "Flyktninger",
    "ansatte": "Ansatte", "alle": "Alle",
}
"""Norwegian labels of the audience codes (models.Audience), for the concept scheme."""
SITE_TITLE = "Kunnskapsbase psykisk helse og rus"  # site_name in mkdocs.yml
CHANNEL_LABELS: dict[str, str] = {"telefon": "Telefon", "epost": "E-post", "nettside": "Nettside",
                                  "oppmote": "Oppmøte"}


def site_url(given: str | None = None) -> str:
    """The site's address with one trailing slash: ``given``, else $KB_SITE_URL, else localhost."""
    url = given or os.environ.get("KB_SITE_URL") or DEFAULT_SITE_URL
    return url.rstrip("/") + "/"


def nb(text: str) -> Literal:
    return Literal(text, lang="nb")


def plain(index: Index, text: str) -> str:
    """Text without reference markup: ``[[tjeneste:flaa/x|label]]`` becomes its label or the target's title."""

    def title(ref: Ref) -> str:
        entry = index.get(ref.type, ref.id)
        return ref.label or (entry.title if entry else ref.id)

    return re.sub(r"\s+", " ", replace_refs(text, title)).strip()


class _Builder:
    """Adds services to one graph; shared nodes (kommuner, laws, concepts) are added once."""

    def __init__(self, index: Index, base: str) -> None:
        self.index, self.base, self.g = index, base, Graph()
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns)
        self.done: set[URIRef] = set()
        self.tiltak: dict[tuple[str, str], list[str]] = {}
        for t in index.of_type("tiltak"):
            for service in t.record.tjenester:
                self.tiltak.setdefault((t.kommune or "", service), []).append(t.local_id)

    def iri(self, *parts: str) -> URIRef:
        return URIRef(self.base + "id/" + "/".join(parts))

    def once(self, node: URIRef) -> bool:
        if node in self.done:
            return False
        self.done.add(node)
        return True

    def concept(self, scheme: str, key: str, label: str) -> URIRef:
        node, scheme_node = self.iri("begrep", scheme, key), self.iri("begrep", scheme)
        if self.once(node):
            self.g.add((node, RDF.type, SKOS.Concept))
            self.g.add((node, SKOS.prefLabel, nb(label)))
            self.g.add((node, SKOS.inScheme, scheme_node))
            self.g.add((scheme_node, RDF.type, SKOS.ConceptScheme))
        return node

    def document(self, url: str) -> URIRef:
        node = URIRef(url)
        self.g.add((node, RDF.type, FOAF.Document))
        return node

    def kommune(self, kommune_id: str) -> URIRef:
        """The kommune as cv:PublicOrganisation with its place and, where sourced, homepage and contact point."""
        node = self.iri("kommune", kommune_id)
        if not self.once(node):
            return node
        record: m.Kommune = self.index.entries[("kommune", kommune_id)].record
        g, place = self.g, self.iri("sted", kommune_id)
        g.add((node, RDF.type, CV.PublicOrganisation))
        g.add((node, SKOS.prefLabel, nb(f"{record.navn} kommune")))
        g.add((node, DCT.identifier, Literal(kommune_id)))
        g.add((node, DCT.spatial, place))
        g.add((place, RDF.type, DCT.Location))
        g.add((place, RDFS.label, nb(record.navn)))
        k = record.kontakt
        if k and k.nettside:
            g.add((node, FOAF.homepage, self.document(k.nettside.verdi)))
        if k and (k.sentralbord or k.epost):
            point = self.iri("kontakt", "kommune", kommune_id)
            g.add((node, CV.contactPoint, point))
            g.add((point, RDF.type, CV.ContactPoint))
            if k.sentralbord:
                g.add((point, CV.telephone, Literal(k.sentralbord.verdi)))
            if k.epost:
                g.add((point, CV.email, Literal(k.epost.verdi)))
            if k.nettside:
                g.add((point, CV.contactPage, self.document(k.nettside.verdi)))
        return node

    def legal(self, ref: str) -> URIRef | None:
        """A law or paragraph as eli:LegalResource at its Lovdata address."""
        from .pages import law_url, provision_url

        entry = self.index.get("lov", ref)
        if entry is None:
            return None
        if isinstance(entry.record, m.Law):
            node = URIRef(law_url(entry.record))
        else:
            law = self.index.entries[("lov", entry.parent or "")]
            node = URIRef(provision_url(law.record, entry.record))
        if self.once(node):
            self.g.add((node, RDF.type, ELI.LegalResource))
            self.g.add((node, DCT.title, nb(entry.title)))
            self.g.add((node, DCT.identifier, Literal(entry.id)))
            if entry.parent:
                parent = self.legal(entry.parent)
                if parent is not None:
                    self.g.add((node, ELI.is_part_of, parent))
        return node

    def contact_point(self, service: URIRef, node: URIRef, phone: str | None = None, email: str | None = None,
                      page: str | None = None, hours: str | None = None) -> None:
        g = self.g
        # CPSV-AP 3.x names the property cv:contactPoint; CPSV-AP-NO cv:hasContactPoint. Both are given.
        g.add((service, CV.contactPoint, node))
        g.add((service, CV.hasContactPoint, node))
        if not self.once(node):
            return
        g.add((node, RDF.type, CV.ContactPoint))
        if phone:
            g.add((node, CV.telephone, Literal(phone)))
        if email:
            g.add((node, CV.email, Literal(email)))
        if page:
            g.add((node, CV.contactPage, self.document(page)))
        if hours:
            when = URIRef(str(node) + "/apningstid")
            g.add((node, CV.openingHours, when))
            g.add((when, RDF.type, TIME.TemporalEntity))
            g.add((when, DCT.description, nb(hours)))

    def channel(self, service: URIRef, ident: str, kind: str) -> None:
        node = URIRef(f"{service}/kanal/{kind}")
        self.g.add((service, CV.hasChannel, node))
        self.g.add((node, RDF.type, CV.Channel))
        self.g.add((node, DCT.identifier, Literal(f"{ident}/{kind}")))
        self.g.add((node, DCT.type, self.concept("kanal", kind, CHANNEL_LABELS[kind])))

    def service(self, entry: Entry[m.Service]) -> URIRef:
        """One service as cpsv:PublicService with everything the source gives about it."""
        s: m.Service = entry.record
        kommune = entry.kommune or ""
        g, node = self.g, self.iri("tjeneste", kommune, entry.local_id)
        g.add((node, RDF.type, CPSV.PublicService))
        g.add((node, DCT.identifier, Literal(entry.id)))
        g.add((node, DCT.title, nb(s.navn)))
        if s.beskrivelse:
            g.add((node, DCT.description, nb(plain(self.index, s.beskrivelse))))
        authority = self.kommune(kommune)
        g.add((node, CV.hasCompetentAuthority, authority))
        g.add((node, DCT.spatial, self.iri("sted", kommune)))
        g.add((node, RDFS.seeAlso, URIRef(self.base + page_url(entry.page))))
        for ref in s.hjemmel:
            legal = self.legal(ref)
            if legal is not None:
                g.add((node, CV.hasLegalResource, legal))
        for situation in s.situasjoner:
            concept = self.concept("situasjon", situation, m.SITUATION_TITLES[situation])
            g.add((node, CV.thematicArea, concept))
            g.add((node, CV.isClassifiedBy, concept))
        for kind in s.slag:
            g.add((node, CV.isClassifiedBy, self.concept("slag", kind, m.SERVICE_KIND_TITLES[kind])))
        for audience in s.malgrupper:
            concept = self.concept("malgruppe", audience, AUDIENCE_LABELS[audience])
            g.add((node, DCT.audience, concept))
            g.add((node, CV.isClassifiedBy, concept))
        if s.pris:
            cost = URIRef(f"{node}/kostnad")
            g.add((node, CV.hasCost, cost))
            g.add((cost, RDF.type, CV.Cost))
            g.add((cost, DCT.identifier, Literal(f"{entry.id}/kostnad")))
            g.add((cost, DCT.description, nb(plain(self.index, s.pris))))
        self._contacts(entry, node)
        for tiltak in sorted(self.tiltak.get((kommune, entry.local_id), [])):
            g.add((node, DCT.relation, self.iri("tiltak", kommune, tiltak)))
        return node

    def _contacts(self, entry: Entry[m.Service], node: URIRef) -> None:
        s, k = entry.record, entry.record.kontakt
        # A number the source gives for professionals is never published as a way in for citizens.
        phone = k.telefon if k and k.telefon and not k.for_fagfolk else None
        if k and (phone or k.epost or k.nettside):
            self.contact_point(node, URIRef(f"{node}/kontakt"), phone, k.epost, k.nettside, s.apningstid)
        if s.hjelpetelefon:
            line = self.index.get("hjelpetelefon", s.hjelpetelefon)
            if line is not None:
                self.contact_point(node, self.iri("kontakt", "hjelpetelefon", line.id), line.record.nummer,
                                   page=line.record.url, hours=line.record.nar)
        kinds = {"telefon": phone or s.hjelpetelefon, "epost": k and k.epost, "nettside": k and k.nettside,
                 "oppmote": k and k.adresse}
        for kind, present in kinds.items():
            if present:
                self.channel(node, entry.id, kind)


def service_graph(index: Index, base: str, entries: Iterable[Entry[m.Service]] | None = None) -> Graph:
    """The CPSV-AP-NO graph of ``entries`` (default: every service of every kommune)."""
    builder = _Builder(index, base)
    for entry in index.of_type("tjeneste") if entries is None else entries:
        builder.service(entry)
    return builder.g


def turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")


def _sorted_jsonld(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_jsonld(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted_jsonld(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def jsonld(graph: Graph) -> str:
    """The graph as JSON-LD with the prefixes as context; nodes and values sorted, so builds agree."""
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = data.get("@graph", [data] if "@id" in data else [])
    out = {"@context": context, "@graph": _sorted_jsonld(nodes)}
    return json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# -- DCAT-AP-NO catalogue of the exports ----------------------------------------------------------

MEDIA_TYPES = {".json": "application/json", ".csv": "text/csv", ".ttl": "text/turtle",
               ".jsonld": "application/ld+json",
               ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _years(index: Index, documents: Iterable[str]) -> list[int]:
    return sorted({d.ar for key, d in index.sources.items() if key in set(documents) and d.ar})


def catalogue_graph(index: Index, base: str, datasets: list[dict[str, Any]]) -> Graph:
    """One dcat:Dataset per export, each with its distributions, publisher, time span and last change.

    ``datasets`` are dicts with id, title, description, files (paths), kommune (or None) and standard
    (a URI or None). There is no licence to state: the site has none yet, so dct:license is left out.
    """
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    changed = last_changed(index.root)
    catalogue = URIRef(base + "id/katalog")
    g.add((catalogue, RDF.type, DCAT.Catalog))
    g.add((catalogue, DCT.title, nb(f"{SITE_TITLE}: åpne data")))
    g.add((catalogue, DCT.publisher, _publisher(g, base)))
    g.add((catalogue, DCT.description, nb("Eksportene fra kunnskapsbasen: tjenester, handlingsplaner og hele "
                                          "datagrunnlaget, i åpne formater.")))
    g.add((catalogue, FOAF.homepage, URIRef(base + page_url(route("apne-data")))))
    for spec in datasets:
        node = URIRef(base + "id/datasett/" + spec["id"])
        g.add((catalogue, DCAT.dataset, node))
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCT.identifier, Literal(spec["id"])))
        g.add((node, DCT.title, nb(spec["title"])))
        g.add((node, DCT.description, nb(spec["description"])))
        g.add((node, DCAT.landingPage, URIRef(base + page_url(route("apne-data")))))
        kommune = spec.get("kommune")
        g.add((node, DCT.publisher, _publisher(g, base)))
        if kommune:
            g.add((node, DCT.spatial, URIRef(base + "id/sted/" + kommune)))
        prefix = f"data/kommuner/{kommune}/" if kommune else "data/"
        dates = [d for path, d in changed.items() if path.startswith(prefix)]
        if dates:
            g.add((node, DCT.modified, Literal(max(dates).isoformat(), datatype=XSD.date)))
        if kommune:
            plan = index.entries[("kommune", kommune)].record.plan
            # The plan's period and date, its source's year and the years of the tiltak deadlines it states.
            dated = [plan.periode_fra, plan.periode_til, plan.dato and plan.dato.year]
            dated += [t.record.frist_ar for t in index.of_type("tiltak", kommune)]
            years = sorted({y for y in dated if y} | set(_years(index, [plan.kildedokument])))
        else:
            years = _years(index, index.sources)
        if years:
            period = URIRef(f"{node}/periode")
            g.add((node, DCT.temporal, period))
            g.add((period, RDF.type, DCT.PeriodOfTime))
            g.add((period, DCAT.startDate, Literal(str(years[0]), datatype=XSD.gYear)))
            g.add((period, DCAT.endDate, Literal(str(years[-1]), datatype=XSD.gYear)))
        for path in spec["files"]:
            dist = URIRef(base + "id/distribusjon/" + path)
            url = URIRef(base + path)
            g.add((node, DCAT.distribution, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCT.title, nb(path.rsplit("/", 1)[-1])))
            g.add((dist, DCAT.accessURL, url))
            g.add((dist, DCAT.downloadURL, url))
            media = MEDIA_TYPES["." + path.rsplit(".", 1)[-1]]
            g.add((dist, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/" + media)))
            if spec.get("standard"):
                g.add((dist, DCT.conformsTo, URIRef(spec["standard"])))
    return g


def _publisher(g: Graph, base: str) -> URIRef:
    """The site itself publishes the export files; no organisation has yet been named as its publisher."""
    node = URIRef(base + "id/utgiver")
    g.add((node, RDF.type, FOAF.Agent))
    g.add((node, FOAF.name, nb(SITE_TITLE)))
    g.add((node, FOAF.homepage, URIRef(base)))
    return node
