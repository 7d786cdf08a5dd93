"""Read statuses edited in the handlingsplan workbook or CSV back into handlingsplan.yml.

Imports :mod:`build`, :mod:`exports` and :mod:`yamlsource`. A changed status becomes a new
dated entry at the end of the tiltak's ``status`` history; nothing is removed or rewritten, and
the rest of the YAML file (comments, order, wording) stays as it was. Rows that cannot be
matched or read are refused with a reason. If the result would not validate, the file is left
untouched.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import models as m
from .build import load_project
from .errors import DataError
from .index import Index, iter_plan
from .spreadsheet import restore_cell
from .yamlsource import LineDict

STATUS_BY_TITLE = {title.lower(): key for key, title in m.TILTAK_STATUS_TITLES.items()}


@dataclass
class Change:
    """One status update to add."""

    tiltak: str
    update: m.StatusUpdate
    previous: str


@dataclass
class ImportResult:
    changes: list[Change]
    refused: list[str]
    unchanged: int


def read_rows(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """Rows of a workbook (every sheet) or CSV as (where, {column: value}); headers as in the export."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        from .workbook import COLUMNS

        by_header = {header: key for key, header, _ in COLUMNS}
        rows = []
        wb = load_workbook(path, read_only=True, data_only=True)
        for ws in wb.worksheets:
            values = list(ws.iter_rows(values_only=True))
            if not values:
                continue
            keys = [by_header.get(str(h), str(h)) for h in values[0]]
            for n, row in enumerate(values[1:], start=2):
                rows.append((f"{ws.title}!{n}", {k: ("" if v is None else restore_cell(v))
                                                 for k, v in zip(keys, row, strict=False)}))
        return rows
    text = path.read_text(encoding="utf-8-sig")
    return [(f"line {n}", {k: restore_cell(v) for k, v in row.items()})
            for n, row in enumerate(csv.DictReader(io.StringIO(text)), start=2)]


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value if not hasattr(value, "date") else value.date()
    return date.fromisoformat(str(value).strip())


def plan_changes(index: Index, kommune: str, rows: list[tuple[str, dict[str, Any]]], today: date) -> ImportResult:
    """Compare rows with the data; return the updates to add and the rows refused (with reasons)."""
    tiltak = {e.local_id: e.record for e in index.of_type("tiltak", kommune)}
    changes, refused, unchanged = [], [], 0
    for where, row in rows:
        ident = str(row.get("id", "")).strip()
        if not ident:
            refused.append(f"{where}: no id; the row is not a tiltak")
            continue
        if ident not in tiltak:
            refused.append(f"{where}: id '{ident}' is not a tiltak of {kommune}; leave the id column as exported")
            continue
        record = tiltak[ident]
        current = record.status[-1].status if record.status else "ikke_rapportert"
        raw = str(row.get("status", "")).strip().lower()
        status = STATUS_BY_TITLE.get(raw, raw)
        if status == current or status in ("", "ikke_rapportert"):
            unchanged += 1
            continue
        if status not in m.TILTAK_STATUS_TITLES or status == "ikke_rapportert":
            allowed = ", ".join(k for k in m.TILTAK_STATUS_TITLES if k != "ikke_rapportert")
            refused.append(f"{where}: tiltak {ident}: status '{row.get('status')}' is not one of: {allowed}")
            continue
        try:
            when = _as_date(row.get("status_dato")) if str(row.get("status_dato", "")).strip() else today
        except ValueError:
            refused.append(f"{where}: tiltak {ident}: status_dato '{row.get('status_dato')}' is not a date; "
                           "write YYYY-MM-DD")
            continue
        reporter = str(row.get("rapportert_av", "")).strip()
        if not reporter:
            refused.append(f"{where}: tiltak {ident}: rapportert_av is empty; write the reporting role")
            continue
        if record.status and when < record.status[-1].dato:
            refused.append(f"{where}: tiltak {ident}: {when} is before the latest status ({record.status[-1].dato})")
            continue
        comment = str(row.get("status_kommentar", "")).strip() or None
        try:
            update = m.StatusUpdate(dato=when, status=status, kommentar=comment, rapportert_av=reporter)
        except Exception as err:  # noqa: BLE001 - pydantic's message goes to the editor
            refused.append(f"{where}: tiltak {ident}: {str(err).splitlines()[-1].strip()}")
            continue
        changes.append(Change(ident, update, current))
    return ImportResult(changes, refused, unchanged)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _update_lines(update: m.StatusUpdate, indent: str) -> list[str]:
    lines = [f"{indent}- dato: {update.dato.isoformat()}", f"{indent}  status: {update.status}"]
    if update.kommentar:
        lines.append(f"{indent}  kommentar: {_quote(update.kommentar)}")
    lines.append(f"{indent}  rapportert_av: {_quote(update.rapportert_av)}")
    return lines


def apply_changes(path: Path, raw_plan: LineDict, plan: m.Handlingsplan, changes: list[Change]) -> str:
    """The YAML text with each change appended to its tiltak's status list."""
    lines = path.read_text(encoding="utf-8").split("\n")
    raw_by_id = {}
    for _goal, tiltak_list, loc in iter_plan(plan):
        node: Any = raw_plan
        for part in loc:
            node = node[part]
        for i, t in enumerate(tiltak_list):
            raw_by_id[t.id] = node["tiltak"][i]
    inserts: list[tuple[int, list[str]]] = []
    for change in changes:
        raw = raw_by_id[change.tiltak]
        start = raw.line - 1  # the '- id:' line (0-based)
        dash = len(lines[start]) - len(lines[start].lstrip())
        field_indent = " " * (dash + 2)
        end = start + 1
        while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > dash):
            end += 1
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        if "status" in raw.key_lines:
            # After the last line of the existing history, which may be followed by other fields.
            at = raw.key_lines["status"]  # 1-based line of 'status:' = 0-based index of the next line
            while at < end and (not lines[at].strip() or len(lines[at]) - len(lines[at].lstrip()) > len(field_indent)):
                at += 1
            while not lines[at - 1].strip():
                at -= 1
            inserts.append((at, _update_lines(change.update, field_indent + "  ")))
        else:
            inserts.append((end, [f"{field_indent}status:"] + _update_lines(change.update, field_indent + "  ")))
    for at, new in sorted(inserts, key=lambda x: x[0], reverse=True):
        lines[at:at] = new
    return "\n".join(lines)


def import_statuses(root: Path, kommune: str, source: Path, today: date | None = None,
                    dry_run: bool = False) -> tuple[ImportResult, str]:
    """Apply a workbook or CSV to data/kommuner/<kommune>/handlingsplan.yml; return the result and a report."""
    today = today or date.today()
    project = load_project(root)
    loaded = project.index.entries.get(("handlingsplan", kommune))
    if loaded is None or loaded.file is None:
        raise StatusImportError(f"{kommune} has no handlingsplan.yml")
    result = plan_changes(project.index, kommune, read_rows(source), today)
    report = [f"{c.tiltak}: {m.TILTAK_STATUS_TITLES[c.previous]} -> {m.TILTAK_STATUS_TITLES[c.update.status]}"
              f" ({c.update.dato.isoformat()}, {c.update.rapportert_av})" for c in result.changes]
    report += [f"refused {r}" for r in result.refused]
    report.append(f"{len(result.changes)} changed, {result.unchanged} unchanged, {len(result.refused)} refused")
    if result.changes and not dry_run:
        path = loaded.file
        original = path.read_text(encoding="utf-8")
        path.write_text(apply_changes(path, loaded.raw, loaded.record, result.changes), encoding="utf-8")
        try:
            load_project(root)
        except DataError as err:
            path.write_text(original, encoding="utf-8")
            raise StatusImportError("the updated file would not validate; nothing was changed:\n" + str(err)) from None
    return result, "\n".join(report)


class StatusImportError(Exception):
    """A status import that cannot run; the message is for the editor."""
