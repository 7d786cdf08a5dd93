"""schema.org JSON-LD for service pages, built from the service record.

Imports :mod:`index`, :mod:`routes` and :mod:`rdf` (plain text of a Markdown field).
"""

from __future__ import annotations

from typing import Any

from .index import Entry, Index
from .models import Service
from .rdf import plain
from .routes import page_url


def jsonld_for_service(index: Index, entry: Entry[Service], site_url: str) -> dict[str, Any]:
    """Return a schema.org GovernmentService object for a service entry."""
    service = entry.record
    kommune = index.entries[("kommune", entry.kommune or "")].title
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": service.navn,
        "serviceOperator": {"@type": "GovernmentOrganization", "name": f"{kommune} kommune"},
        "areaServed": {"@type": "AdministrativeArea", "name": kommune},
    }
    if service.beskrivelse:
        data["description"] = plain(index, service.beskrivelse)
    if service.malgrupper:
        data["audience"] = {"@type": "Audience", "audienceType": ", ".join(service.malgrupper)}
    if site_url:
        data["url"] = site_url.rstrip("/") + "/" + page_url(entry.page)
    if service.kontakt and service.kontakt.telefon:
        data["availableChannel"] = {
            "@type": "ServiceChannel",
            "servicePhone": {"@type": "ContactPoint", "telephone": service.kontakt.telefon},
        }
    return data
