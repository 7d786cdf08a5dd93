"""Read statuses edited in the handlingsplan workbook or CSV back into handlingsplan.yml.

Imports :mod:`build`, :mod:`models`, :mod:`index`, :mod:`kinds`, :mod:`spreadsheet`,
:mod:`workbook` and :mod:`yamlsource`. A changed status becomes a new dated entry at the end of the
tiltak's ``status`` history; nothing is removed or rewritten, and the rest of the YAML file
(comments, order, wording, line endings) stays byte for byte as it was. The new entries are written
by the YAML dumper. The whole new file is validated before it replaces the old one, and it is
replaced atomically. Rows that cannot be used are refused with a reason; when any row is refused,
nothing is written and the command exits 1.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from . import models as m
from .build import load_project
from .errors import DataError
from .index import Index, iter_plan
from .spreadsheet import restore_cell
from .yamlsource import CONTROL, LineDict

STATUS_BY_TITLE = {title.lower(): key for key, title in m.TILTAK_STATUS_TITLES.items()}
MAX_CELL = 2000
"""The longest text a cell may hold (characters)."""
_LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


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


class StatusImportError(Exception):
    """A status import that cannot run; the message is for the editor."""


def _kind_of_file(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise StatusImportError("this is an old Excel file (.xls); open it in Excel and save it as 'Excel workbook "
                                "(.xlsx)' or as CSV, then import that file")
    if data.startswith(b"%PDF"):
        raise StatusImportError("this is a PDF, not a spreadsheet; import the .xlsx or .csv file from the export")
    if not data.strip():
        raise StatusImportError("the file is empty; import the .xlsx or .csv file from the export")
    if b"\x00" in data[:4096]:
        raise StatusImportError("this is not a spreadsheet the import can read (binary data); save it as .xlsx or "
                                "CSV")
    return "csv"


def read_rows(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """Rows of a workbook (every sheet) or CSV as (where, {column: value}); headers as in the export."""
    data = path.read_bytes()
    kind = _kind_of_file(data)
    if path.suffix.lower() == ".xlsx" and kind != "xlsx":
        raise StatusImportError("the file is named .xlsx but is not an Excel workbook (it holds text); save it "
                                "from Excel as 'Excel workbook (.xlsx)' or rename it to .csv if it is CSV")
    if kind == "xlsx":
        return _workbook_rows(path)
    return _csv_rows(data)


def _workbook_rows(path: Path) -> list[tuple[str, dict[str, Any]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    from .workbook import COLUMNS

    by_header = {header: key for key, header, _ in COLUMNS}
    rows = []
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as err:
        raise StatusImportError(f"the workbook cannot be read ({err}); save it again from Excel as .xlsx") from None
    for ws in wb.worksheets:
        values = list(ws.iter_rows(values_only=True))
        if not values:
            continue
        keys = [by_header.get(str(h), str(h)) for h in values[0]]
        for n, row in enumerate(values[1:], start=2):
            rows.append((f"{ws.title}!{n}", {k: ("" if v is None else restore_cell(v))
                                             for k, v in zip(keys, row, strict=False)}))
    return rows


def _csv_rows(data: bytes) -> list[tuple[str, dict[str, Any]]]:
    """CSV as Norwegian Excel saves it (cp1252, ';') or as the export writes it (UTF-8 with BOM, ',')."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    header = text.splitlines()[0] if text.splitlines() else ""
    delimiter = ";" if header.count(";") > header.count(",") else ","
    csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))  # huge cells get a row message below
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(f"line {reader.line_num}", {k: restore_cell(v) for k, v in row.items() if k is not None})
                for row in reader]
    except csv.Error as err:
        raise StatusImportError(f"line {reader.line_num} of the CSV file cannot be read ({err}); save it again "
                                "from the spreadsheet program as CSV") from None


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def _text(value: Any, field: str) -> str:
    """A cell as one line of text: line breaks become spaces; control characters and huge cells are refused."""
    text = _LINE_BREAKS.sub(" ", str(value)).strip()
    if len(text) > MAX_CELL:
        raise ValueError(f"{field} has {len(text)} characters; write at most {MAX_CELL}")
    found = CONTROL.search(text)
    if found:
        raise ValueError(f"{field} holds the invisible control character U+{ord(found.group(0)):04X}; remove it")
    return text


def plan_changes(index: Index, kommune: str, rows: list[tuple[str, dict[str, Any]]], today: date) -> ImportResult:
    """Compare rows with the data; return the updates to add and the rows refused (with reasons)."""
    tiltak = {e.local_id: e.record for e in index.of_type("tiltak", kommune)}
    changes: list[Change] = []
    refused: list[str] = []
    unchanged = 0
    seen: dict[str, str] = {}
    for where, row in rows:
        ident = str(row.get("id", "")).strip()
        if not ident:
            refused.append(f"{where}: no id; the row is not a tiltak")
            continue
        if ident not in tiltak:
            refused.append(f"{where}: id '{ident}' is not a tiltak of {kommune}; leave the id column as exported")
            continue
        if ident in seen:
            refused.append(f"{where}: tiltak {ident}: a second row for the same tiltak (the first is {seen[ident]}); "
                           "keep one row per tiltak")
            continue
        seen[ident] = where
        record = tiltak[ident]
        current = record.current_status
        try:
            raw = _text(row.get("status", ""), "status").lower()
            comment = _text(row.get("status_kommentar", ""), "status_kommentar") or None
            reporter = _text(row.get("rapportert_av", ""), "rapportert_av")
        except ValueError as err:
            refused.append(f"{where}: tiltak {ident}: {err}")
            continue
        status = STATUS_BY_TITLE.get(raw, raw)
        if status == current or status in ("", "ikke_rapportert"):
            unchanged += 1
            continue
        if status not in m.TILTAK_STATUS_TITLES:
            allowed = ", ".join(k for k in m.TILTAK_STATUS_TITLES if k != "ikke_rapportert")
            refused.append(f"{where}: tiltak {ident}: status '{row.get('status')}' is not one of: {allowed}")
            continue
        try:
            when = _as_date(row.get("status_dato")) if str(row.get("status_dato", "")).strip() else today
        except ValueError:
            refused.append(f"{where}: tiltak {ident}: status_dato '{row.get('status_dato')}' is not a date; "
                           "write YYYY-MM-DD")
            continue
        if not reporter:
            refused.append(f"{where}: tiltak {ident}: rapportert_av is empty; write the reporting role")
            continue
        if record.status and when < record.status[-1].dato:
            refused.append(f"{where}: tiltak {ident}: {when} is before the latest status ({record.status[-1].dato})")
            continue
        try:
            update = m.StatusUpdate(dato=when, status=status, kommentar=comment, rapportert_av=reporter)
        except ValidationError as err:
            refused.append(f"{where}: tiltak {ident}: {err.errors()[0]['msg']}")
            continue
        changes.append(Change(ident, update, current))
    return ImportResult(changes, refused, unchanged)


def _update_lines(update: m.StatusUpdate, indent: str) -> list[str]:
    """The new history entry as YAML lines, written by the YAML dumper."""
    item: dict[str, Any] = {"dato": update.dato, "status": update.status}
    if update.kommentar:
        item["kommentar"] = update.kommentar
    item["rapportert_av"] = update.rapportert_av
    text = yaml.safe_dump([item], allow_unicode=True, sort_keys=False, width=100_000, default_flow_style=False)
    return [indent + line for line in text.rstrip("\n").split("\n")]


def apply_changes(text: str, raw_plan: LineDict, plan: m.Handlingsplan, changes: list[Change]) -> str:
    """The YAML text with each change appended to its tiltak's status list; line endings kept."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
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
    return newline.join(lines)


def _validate(text: str, path: Path) -> None:
    """The whole new file must load as a handlingsplan, or nothing is written."""
    from .errors import Problems
    from .yamlsource import parse_yaml

    problems = Problems()
    data = parse_yaml(text, path, problems)
    if problems or not isinstance(data, dict):
        raise StatusImportError("the updated file would not be valid YAML; nothing was changed:\n" + problems.report())
    try:
        m.Handlingsplan.model_validate(dict(data))
    except ValidationError as err:
        raise StatusImportError(f"the updated file would not validate; nothing was changed: {err}") from None


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically: a temporary file in the same folder, then a rename."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def import_statuses(root: Path, kommune: str, source: Path, today: date | None = None,
                    dry_run: bool = False) -> tuple[ImportResult, str]:
    """Apply a workbook or CSV to data/kommuner/<kommune>/handlingsplan.yml; return the result and a report.

    Nothing is written when a row is refused, when the result would not validate, or with ``dry_run``
    (which reports the diff instead).
    """
    today = today or date.today()
    project = load_project(root)
    loaded = project.index.entries.get(("handlingsplan", kommune))
    if loaded is None or loaded.file is None:
        raise StatusImportError(f"{kommune} has no handlingsplan.yml")
    result = plan_changes(project.index, kommune, read_rows(source), today)
    name = source.name
    report = [f"{c.tiltak}: {m.TILTAK_STATUS_TITLES[c.previous]} -> {m.TILTAK_STATUS_TITLES[c.update.status]}"
              f" ({c.update.dato.isoformat()}, {c.update.rapportert_av})" for c in result.changes]
    report += [f"refused {name}:{r}" for r in result.refused]
    report.append(f"{len(result.changes)} changed, {result.unchanged} unchanged, {len(result.refused)} refused")
    if result.refused and result.changes:
        report.append("Nothing was written: correct or remove the refused rows and import the file again.")
    path = Path(loaded.file)
    if result.changes and not result.refused:
        original = path.read_bytes().decode("utf-8")
        updated = apply_changes(original, loaded.raw, loaded.record, result.changes)
        _validate(updated, path)
        if dry_run:
            label = path.resolve().relative_to(root.resolve()).as_posix()
            report += difflib.unified_diff(original.splitlines(), updated.splitlines(), label, label, lineterm="")
        else:
            _replace(path, updated)
            try:
                load_project(root)
            except DataError as err:
                _replace(path, original)
                raise StatusImportError("the updated data would not validate; nothing was changed:\n"
                                        + str(err)) from None
    return result, "\n".join(report)
