"""The service catalogue in Open Referral's HSDS 3.0: one JSON file per table under ``export/hsds/``.

Imports :mod:`index`, :mod:`models` and :mod:`rdf` (for plain text and the site URL). Ids are
UUIDs derived with uuid5 from our ids, so they stay the same from build to build. Addresses in
the data are free text, so locations carry them as a name and description, not as split address
fields that the source does not give.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from . import models as m
from .index import Entry, Index
from .rdf import plain
from .routes import page_url

TABLES = ("organizations", "services", "locations", "phones", "service_at_locations")
"""The HSDS tables written, each as ``export/hsds/<table>.json``."""
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/openreferral/specification#kunnskapsbase")
STATUS = {"eksisterende": "active", "planlagt": "inactive", "avviklet": "defunct"}


def hsds_id(*parts: str) -> str:
    """A stable UUID for one of our records, e.g. ``hsds_id("tjeneste", "flaa/helsestasjon")``."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _organization(index: Index, kommune: Entry[m.Kommune], base: str) -> dict[str, Any]:
    record = kommune.record
    org: dict[str, Any] = {"id": hsds_id("kommune", kommune.id), "name": f"{record.navn} kommune",
                           "description": plain(index, record.beskrivelse) if record.beskrivelse
                           else f"{record.navn} kommune"}
    k = record.kontakt
    if k and k.nettside:
        org["website"] = k.nettside.verdi
    if k and k.epost:
        org["email"] = k.epost.verdi
    return org


def hsds_service(index: Index, entry: Entry[m.Service], base: str) -> dict[str, Any]:
    """One service as an HSDS service record."""
    s = entry.record
    out: dict[str, Any] = {"id": hsds_id("tjeneste", entry.id),
                           "organization_id": hsds_id("kommune", entry.kommune or ""), "name": s.navn,
                           "status": STATUS[s.status], "url": base + page_url(entry.page)}
    if s.beskrivelse:
        out["description"] = plain(index, s.beskrivelse)
    if s.hvem:
        out["eligibility_description"] = plain(index, s.hvem)
    if s.tilgang_merknad or s.tilgang:
        out["application_process"] = plain(index, s.tilgang_merknad or ", ".join(
            m.ACCESS_TITLES[a] for a in s.tilgang))
    if s.pris:
        out["fees_description"] = plain(index, s.pris)
    if s.kontakt and s.kontakt.epost:
        out["email"] = s.kontakt.epost
    if s.sist_kontrollert:
        out["assured_date"] = s.sist_kontrollert.isoformat()
    return out


def hsds_tables(index: Index, base: str) -> dict[str, list[dict[str, Any]]]:
    """Every table as a list of records, sorted by id."""
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for kommune in index.kommuner():
        tables["organizations"].append(_organization(index, kommune, base))
        k = kommune.record.kontakt
        if k and k.sentralbord:
            tables["phones"].append({"id": hsds_id("telefon", "kommune", kommune.id),
                                     "organization_id": hsds_id("kommune", kommune.id),
                                     "number": k.sentralbord.verdi, "type": "voice", "description": "Sentralbord"})
    for entry in index.of_type("tjeneste"):
        s = entry.record
        service = hsds_service(index, entry, base)
        tables["services"].append(service)
        k = s.kontakt
        # A number the source gives for professionals is never published as a number to call.
        if k and k.telefon and not k.for_fagfolk:
            tables["phones"].append({"id": hsds_id("telefon", "tjeneste", entry.id), "service_id": service["id"],
                                     "number": k.telefon, "type": "voice"})
        line = index.get("hjelpetelefon", s.hjelpetelefon) if s.hjelpetelefon else None
        if line is not None:
            tables["phones"].append({"id": hsds_id("telefon", "tjeneste", entry.id, "hjelpetelefon"),
                                     "service_id": service["id"], "number": line.record.nummer, "type": "voice",
                                     "description": line.record.navn})
        place = (k.adresse if k and k.adresse else None) or s.sted
        if place:
            location = {"id": hsds_id("sted", entry.id), "location_type": "physical", "name": place,
                        "organization_id": service["organization_id"]}
            tables["locations"].append(location)
            tables["service_at_locations"].append({"id": hsds_id("tjeneste-sted", entry.id),
                                                   "service_id": service["id"], "location_id": location["id"]})
    return {name: sorted(rows, key=lambda r: r["id"]) for name, rows in tables.items()}


def hsds_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
