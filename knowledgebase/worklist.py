"""«Mangler i kilden» as a work list: per kommune, every fact the sources do not give, per record and field.

Imports :mod:`index`, :mod:`kinds`, :mod:`models`, :mod:`routes` and :mod:`spreadsheet` (and, when called,
the contact labels of :mod:`pages`). One function, :func:`work_list`, feeds the editors' page (counts per
field, then what each service and tiltak lacks) and the CSV an editor works through.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .index import TYPE_TITLES, Entry, Index
from .routes import page_url, route
from .spreadsheet import neutralise_cell

CSV_COLUMNS = ["type", "id", "tittel", "mangler", "fil", "linje", "side"]


@dataclass(frozen=True)
class Gap:
    """One missing fact: the record (None for the kommune's own contact facts) and the field's label."""

    entry: Entry[Any] | None
    field: str


@dataclass(frozen=True)
class WorkList:
    """Everything one kommune's sources do not give."""

    kommune: Entry[Any]
    gaps: list[Gap]

    def counts(self) -> list[tuple[str, str, int]]:
        """(type title, field, count) for every field with a gap, most gaps first, then by name."""
        counter = Counter((TYPE_TITLES[g.entry.type][0] if g.entry else "Kommune", g.field) for g in self.gaps)
        return sorted(((t, f, n) for (t, f), n in counter.items()), key=lambda x: (-x[2], x[0], x[1]))


def missing_fields(index: Index, kommune: str) -> list[tuple[Entry[Any], list[str]]]:
    """Fields a citizen needs that the source does not give, per record (the kinds' ``wanted`` fields)."""
    from .kinds import KINDS

    result = []
    for kind in KINDS.values():
        ref_type, fields = kind.name, kind.wanted
        for entry in index.of_type(ref_type, kommune) if fields else ():
            gaps = [label for name, label in fields if getattr(entry.record, name) in (None, [], "")]
            if ref_type == "tiltak" and entry.record.frist and "ikke oppgitt" in entry.record.frist.lower():
                gaps.insert(0, "Frist")
            if gaps:
                result.append((entry, gaps))
    return result


def work_list(index: Index, kommune: Entry[Any]) -> WorkList:
    """The kommune's missing contact facts, then every record's missing fields (a service's 'Kontakt' among them)."""
    from .pages import CONTACT_LABELS

    contact = kommune.record.kontakt
    gaps = [Gap(None, label) for name, label in CONTACT_LABELS.items()
            if contact is None or getattr(contact, name) is None]
    gaps += [Gap(e, label) for e, labels in missing_fields(index, kommune.id) for label in labels]
    return WorkList(kommune, gaps)


def work_list_csv(index: Index, kommune: str) -> str:
    """The work list as CSV (UTF-8 with BOM), one row per missing fact, cells neutralised against formulas."""
    entry = index.get("kommune", kommune)
    assert entry is not None, kommune
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for gap in work_list(index, entry).gaps:
        e = gap.entry
        row = {"type": e.type if e else "kommune", "id": e.id if e else kommune,
               "tittel": e.title if e else entry.title, "mangler": gap.field, "fil": _file(index, e or entry),
               "linje": e.line if e else entry.line,
               "side": page_url(e.page, e.anchor) if e else page_url(route("kommune-kontakt", kommune=kommune))}
        writer.writerow({k: neutralise_cell(v) for k, v in row.items()})
    return "\ufeff" + buffer.getvalue()


def _file(index: Index, entry: Entry[Any]) -> str:
    if entry.file is None:
        return ""
    try:
        return entry.file.resolve().relative_to(index.root.resolve()).as_posix()
    except ValueError:
        return entry.file.name
