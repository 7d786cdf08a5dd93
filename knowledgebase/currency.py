"""Currency of sources: which laws, paragraphs and documents are no longer in force, and who cites them.

Imports :mod:`models`, :mod:`index` and :mod:`routes`. A paragraph is out of force when its own status
says so, or when its whole law is; a recommendation when its document is; a law or document when its status
is one of
:data:`~knowledgebase.models.OUT_OF_FORCE`. :func:`citation_flag` is what :mod:`links` adds after a
citation; :func:`outdated_citations` is the report of every such citation per kommune, read from the
backlinks the index recorded when the references resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import models as m
from .index import Entry, Index
from .routes import params_of, route_of

NO_FLAG_ROUTES = frozenset({"lover", "dokumenter", "utdaterte-kilder", "dekning-anbefalinger"})
"""Lists that show each law's or document's status in a column or heading of their own."""


@dataclass(frozen=True)
class Currency:
    """Why a cited law, paragraph or document is no longer in force.

    Attributes:
        status: 'opphevet', 'erstattet' or 'historisk'.
        year: The year it stopped applying (or, for 'historisk', the document's year), if known.
        successors: What covers it today, as index entries.
        source: The entry that carries the status: the paragraph itself, or its law.
    """

    status: str
    year: int | None
    successors: tuple[Entry[Any], ...]
    source: Entry[Any]


def currency_of(index: Index, entry: Entry[Any]) -> Currency | None:
    """The out-of-force status of a law, paragraph or document, or None when it is in force or unknown.

    A recommendation has the status of the document it is from."""
    record = entry.record
    if isinstance(record, m.Provision):
        if record.status in m.OUT_OF_FORCE:
            successors = [index.get("lov", ident) for ident in record.erstattet_av]
            return Currency(record.status, _year(record.status_dato), tuple(e for e in successors if e), entry)
        law = index.get("lov", entry.parent or "")
        return currency_of(index, law) if law is not None else None
    if isinstance(record, m.Recommendation):
        document = index.get("dokument", record.dokument)
        return currency_of(index, document) if document is not None else None
    if isinstance(record, (m.Law, m.Document)) and record.status in m.OUT_OF_FORCE:
        successor = index.get(entry.type, record.erstattet_av) if record.erstattet_av else None
        year = _year(record.status_dato)
        if year is None and record.status == "historisk" and isinstance(record, m.Document):
            year = record.ar
        return Currency(record.status, year, (successor,) if successor else (), entry)
    return None


def _year(value: Any) -> int | None:
    return value.year if value is not None else None


def citation_flag(index: Index, entry: Entry[Any], page_src: str) -> str:
    """Markdown put right after a citation of ``entry`` on ``page_src``: « (opphevet 2023; se …)», or ''.

    A law's own page, its successor's page and the lists with a status column say it themselves, so they
    get no flag.
    """
    currency = currency_of(index, entry)
    if currency is None or route_of(page_src) in NO_FLAG_ROUTES \
            or page_src in {entry.page, currency.source.page, *(e.page for e in currency.successors)}:
        return ""
    text = flag_text(currency, lambda e: f"[{_label(e.title)}]({e.href_from(page_src) or '#'})")
    if entry.type == "anbefaling":  # say which document's status it is
        text = f"{currency.source.record.nummer or currency.source.title}: {text}"
    return f" ({text})"


def flag_text(currency: Currency, link: Any = None) -> str:
    """The words of a flag: 'opphevet 2023; se Boligsosialloven', 'erstattet 2012 av …', 'historisk, fra 2005'."""
    link = link or (lambda e: e.title)
    year = f" {currency.year}" if currency.year else ""
    successors = ", ".join(link(e) for e in currency.successors)
    if currency.status == "erstattet":
        return f"erstattet{year}" + (f" av {successors}" if successors else "")
    if currency.status == "historisk":
        since = f", fra {currency.year}" if currency.year else ""
        return f"historisk{since}" + (f"; se {successors}" if successors else "")
    return f"opphevet{year}" + (f"; se {successors}" if successors else "")


def _label(title: str) -> str:
    return title.replace("[", "\\[").replace("]", "\\]")


@dataclass(frozen=True)
class OutdatedCitation:
    """One record or page that cites a source no longer in force."""

    kommune: str | None
    citing: Entry[Any]
    cited: Entry[Any]
    currency: Currency


def outdated_citations(index: Index) -> list[OutdatedCitation]:
    """Every citation of a repealed, replaced or historic source, sorted by kommune, citing page and source.

    The kommune of a citing entry is its own, or the one in its page's address; national records have none.
    """
    found = []
    for target_key, sources in index.backlinks.items():
        if target_key[0] not in ("lov", "dokument"):
            continue
        cited = index.entries.get(target_key)
        currency = currency_of(index, cited) if cited is not None else None
        if cited is None or currency is None:
            continue
        for source_key in sources:
            citing = index.entries.get(source_key)
            if citing is None or citing.page == currency.source.page or citing.type in ("lov", "dokument"):
                continue
            kommune = citing.kommune or params_of(citing.page).get("kommune")
            found.append(OutdatedCitation(kommune, citing, cited, currency))
    return sorted(found, key=lambda c: (c.kommune or "", c.citing.page, c.citing.title, c.cited.id))
