"""«Til kontroll»: per kommune, every fact with the date it is known to be true on, the oldest first.

Imports :mod:`index`, :mod:`kinds`, :mod:`models`, :mod:`routes` and :mod:`tense`. A fact's date is the newest of what
the data gives: the day a service was last checked, the day a web page was read, a tiltak's latest
status report; otherwise the year of the kommune's plan (``plan.kildear``). A fact older than
``max_age`` years is marked; sentences in the future tense about a past year are listed first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from . import models as m
from .index import Entry, Index, _walk_text, natural_key
from .kinds import KOMMUNE_SUMMARY_KINDS
from .routes import params_of
from .tense import stale_future_sentences


@dataclass(frozen=True)
class FactAge:
    """One record's facts and the date they are known to be true on."""

    entry: Entry[Any] | None
    label: str
    known: date | None
    basis: str
    old: bool
    year_only: bool = False


@dataclass(frozen=True)
class StaleSentence:
    """A sentence in the future tense about a year that has passed."""

    entry: Entry[Any]
    sentence: str


def _plan_date(kommune: Entry[m.Kommune]) -> date | None:
    year = kommune.record.plan.kildear
    return date(year, 1, 1) if year else None


def fact_ages(index: Index, kommune: Entry[m.Kommune], today: date, max_age: int) -> list[FactAge]:
    """Every service, tiltak, responsibility and unit of the kommune, and its contact facts, oldest first."""
    plan = _plan_date(kommune)
    plan_basis = f"planen ({kommune.record.plan.kildear})" if plan else "planen (år ikke oppgitt)"
    found = []
    contact = kommune.record.kontakt
    for name in m.KommuneContact.model_fields if contact else ():
        fact = getattr(contact, name)
        if fact is not None:
            known, basis = (fact.nettkilde.sjekket, "nettside lest") if fact.nettkilde else (plan, plan_basis)
            year_only = fact.nettkilde is None
            found.append(FactAge(None, name, known, basis, _old(known, today, max_age, year_only), year_only))
    for kind in KOMMUNE_SUMMARY_KINDS:
        for entry in index.of_type(kind, kommune.id):
            known, basis = plan, plan_basis
            record = entry.record
            if isinstance(record, m.Service) and record.sist_kontrollert:
                known, basis = record.sist_kontrollert, "sist kontrollert"
            elif isinstance(record, m.Tiltak) and record.status:
                known, basis = record.status[-1].dato, "siste statusrapport"
            year_only = basis == plan_basis
            found.append(FactAge(entry, entry.title, known, basis, _old(known, today, max_age, year_only), year_only))
    return sorted(found, key=lambda f: (f.known or date.min, f.entry.type if f.entry else "", natural_key(f.label)))


def _old(known: date | None, today: date, max_age: int, year_only: bool) -> bool:
    """Older than ``max_age`` years; a plan's year counts as the kommune pages' age note counts it."""
    if known is None:
        return True
    return today.year - known.year > max_age if year_only else (today - known).days > max_age * 365.25


def stale_sentences(index: Index, kommune: str, today: date) -> list[StaleSentence]:
    """The sentences of the kommune's records and plan chapters that say what shall happen in a past year."""
    return stale_sentences_by_kommune(index, today).get(kommune, [])


def stale_sentences_by_kommune(index: Index, today: date) -> dict[str, list[StaleSentence]]:
    """:func:`stale_sentences` of every kommune, in one pass over the index (a pass per kommune grows with the
    square of the number of kommuner)."""
    found: dict[str, list[StaleSentence]] = {}
    for entry in sorted(index.entries.values(), key=lambda e: (e.type, natural_key(e.id))):
        kommune = entry.kommune or params_of(entry.page).get("kommune")
        if entry.type == "side" or kommune is None:
            continue
        texts = [text for _, text in _walk_text(entry.record)]
        if entry.type == "kapittel" and entry.file is not None:
            texts.append(entry.file.read_text(encoding="utf-8"))
        sentences = [StaleSentence(entry, s) for text in texts for s in stale_future_sentences(text, today.year)]
        if sentences:
            found.setdefault(kommune, []).extend(sentences)
    return found
