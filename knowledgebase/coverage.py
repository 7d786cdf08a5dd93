"""Coverage: which national recommendations and legal requirements each kommune answers, and with what.

Imports :mod:`index`, :mod:`kinds`, :mod:`models`, :mod:`routes` and :mod:`spreadsheet`. One function per matrix
(:func:`recommendation_matrix`, :func:`requirement_matrix`) feeds everything: the CLI's TSV
(``python -m knowledgebase coverage``), the «Dekning» pages and the CSV/XLSX exports. The kommuner
are the columns, read from the index, so a fourth kommune adds a column without a code change.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from . import models as m
from .index import Entry, Index, natural_key
from .kinds import COVERAGE_ANSWER_KINDS
from .routes import params_of
from .spreadsheet import neutralise_cell, stable_xlsx

ANSWER_TYPES = COVERAGE_ANSWER_KINDS

MATRIX_NAMES = ("anbefalinger", "krav")


@dataclass(frozen=True)
class Cell:
    """What one kommune has that answers one row: the records, grouped by type in :data:`ANSWER_TYPES` order."""

    kommune: str
    entries: tuple[Entry[Any], ...]

    @property
    def answered(self) -> bool:
        return bool(self.entries)

    def by_type(self) -> list[tuple[str, list[Entry[Any]]]]:
        """The entries grouped by type, types in :data:`ANSWER_TYPES` order."""
        return [(t, [e for e in self.entries if e.type == t]) for t in ANSWER_TYPES
                if any(e.type == t for e in self.entries)]


@dataclass(frozen=True)
class Row:
    """One national recommendation or requirement and a cell per kommune."""

    subject: Entry[Any]
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Matrix:
    """Rows × kommuner. ``name`` is 'anbefalinger' or 'krav'."""

    name: str
    title: str
    label: str
    kommuner: tuple[Entry[m.Kommune], ...]
    rows: tuple[Row, ...]

    def answered(self, kommune: str) -> int:
        """How many rows the kommune answers with at least one record."""
        return sum(1 for row in self.rows for cell in row.cells if cell.kommune == kommune and cell.answered)

    def gaps(self, kommune: str) -> list[Entry[Any]]:
        """The rows the kommune does not answer, in row order."""
        return [row.subject for row in self.rows for cell in row.cells if cell.kommune == kommune
                and not cell.answered]


def kommuner_of(entry: Entry[Any]) -> set[str]:
    """The kommuner a record belongs to: its own, those of the units and services a routine names, or its page's."""
    if entry.kommune:
        return {entry.kommune}
    if isinstance(entry.record, m.RoutineMeta):
        return {ref.split("/", 1)[0] for ref in [*entry.record.ansvar, *entry.record.tjenester] if "/" in ref}
    kommune = params_of(entry.page).get("kommune")
    return {kommune} if kommune else set()


def _sorted(entries: list[Entry[Any]]) -> tuple[Entry[Any], ...]:
    """Entries once each, by type in :data:`ANSWER_TYPES` order, then by id."""
    order = {t: i for i, t in enumerate(ANSWER_TYPES)}
    unique = {e.key: e for e in entries}.values()
    return tuple(sorted(unique, key=lambda e: (order[e.type], natural_key(e.id))))


def _citing(index: Index, key: tuple[str, str]) -> list[Entry[Any]]:
    """Every record of an answering type that refers to ``key``."""
    found = (index.entries.get(s) for s in index.backlinks.get(key, set()))
    return [e for e in found if e is not None and e.type in ANSWER_TYPES]


def recommendation_matrix(index: Index) -> Matrix:
    """Every national recommendation with, per kommune, the tiltak, services, routines and others that answer it."""
    kommuner = tuple(index.kommuner())
    rows = []
    recs = sorted(index.of_type("anbefaling"), key=lambda e: (e.parent or "", natural_key(e.id)))
    for rec in recs:
        citing = _citing(index, rec.key)
        rows.append(Row(rec, tuple(Cell(k.id, _sorted([e for e in citing if k.id in kommuner_of(e)]))
                                   for k in kommuner)))
    return Matrix("anbefalinger", "Anbefalinger og kommunene", "nasjonale råd", kommuner, tuple(rows))


def requirement_matrix(index: Index) -> Matrix:
    """Every national requirement (krav) with, per kommune, the responsibilities that carry it, their units and
    services, and the routines that meet it."""
    kommuner = tuple(index.kommuner())
    rows = []
    for krav in index.of_type("krav"):
        citing = _citing(index, krav.key)
        carried: list[Entry[Any]] = list(citing)
        for duty in (e for e in citing if isinstance(e.record, m.Responsibility)):
            carried += [e for e in (index.get("enhet", f"{duty.kommune}/{u}") for u in duty.record.enheter) if e]
            carried += [e for e in (index.get("tjeneste", f"{duty.kommune}/{s}") for s in duty.record.tjenester) if e]
            carried += index.routines_for(duty)
        rows.append(Row(krav, tuple(Cell(k.id, _sorted([e for e in carried if k.id in kommuner_of(e)]))
                                    for k in kommuner)))
    return Matrix("krav", "Krav og kommunene", "krav fra lov og veileder", kommuner, tuple(rows))


def matrices(index: Index) -> dict[str, Matrix]:
    """Both matrices by name."""
    return {"anbefalinger": recommendation_matrix(index), "krav": requirement_matrix(index)}


def matrix_rows(matrix: Matrix) -> list[list[str]]:
    """A matrix as rows of text: a header, one row per subject (record ids per kommune, empty if none), a total."""
    header = ["id", "tittel"] + [k.id for k in matrix.kommuner]
    body = [[row.subject.id, row.subject.title] + [", ".join(e.id for e in cell.entries) for cell in row.cells]
            for row in matrix.rows]
    total = ["svart", ""] + [f"{matrix.answered(k.id)}/{len(matrix.rows)}" for k in matrix.kommuner]
    return [header, *body, total]


def coverage_report(index: Index) -> str:
    """The CLI's TSV: the recommendation matrix, then the requirement matrix, separated by a blank line."""
    blocks = []
    for matrix in matrices(index).values():
        rows = matrix_rows(matrix)
        rows[0][0] = "recommendation" if matrix.name == "anbefalinger" else "requirement"
        blocks.append("\n".join("\t".join(cell or "-" for i, cell in enumerate(r) if i != 1) for r in rows))
    return "\n\n".join(blocks)


def coverage_csv(index: Index, name: str) -> str:
    """One matrix as CSV (UTF-8 with BOM), every cell neutralised against formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([neutralise_cell(c) for c in r] for r in matrix_rows(matrices(index)[name]))
    return "\ufeff" + buffer.getvalue()


def coverage_workbook(index: Index) -> bytes:
    """Both matrices as one workbook, a sheet each."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    wb.properties.creator = "Kunnskapsbase psykisk helse og rus"
    for name, matrix in matrices(index).items():
        ws = wb.create_sheet(name)
        for r in matrix_rows(matrix):
            ws.append([neutralise_cell(c) for c in r])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for cells in ws.iter_rows(min_row=2):
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "C2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return stable_xlsx(buffer.getvalue())


@dataclass(frozen=True)
class KommuneSummary:
    """Counts for one kommune's summary page, with the gaps of each matrix."""

    kommune: Entry[m.Kommune]
    counts: list[tuple[str, int, int]]
    gaps: list[tuple[str, list[Entry[Any]]]]


def kommune_summary(index: Index, kommune: Entry[m.Kommune]) -> KommuneSummary:
    """How many recommendations and requirements the kommune answers, and which it does not."""
    found = matrices(index)
    counts = [(mx.label, mx.answered(kommune.id), len(mx.rows)) for mx in found.values()]
    gaps = [(mx.label, mx.gaps(kommune.id)) for mx in found.values()]
    return KommuneSummary(kommune, counts, gaps)
