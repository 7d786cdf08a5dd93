"""The handlingsplan as an Excel workbook a leader can print: one sheet per area.

Imports :mod:`planrows` (the same rows as the CSV) and :mod:`spreadsheet`. Headers are bold and repeated on every
printed page, columns have widths that fit A4 landscape, and text wraps.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from .index import Index
from .planrows import handlingsplan_rows
from .spreadsheet import neutralise_cell, stable_xlsx

COLUMNS = [
    ("id", "Id", 10), ("nummer", "Nr.", 7), ("mal", "Mål", 30), ("tiltak", "Tiltak", 48),
    ("ansvarlig", "Ansvarlig", 24), ("frist", "Frist", 16), ("frist_ar", "År", 6), ("okonomi", "Økonomi", 20),
    ("okonomi_nok", "Kroner", 10), ("status", "Status", 14), ("status_dato", "Statusdato", 11),
    ("status_kommentar", "Kommentar", 30), ("rapportert_av", "Rapportert av", 18),
]
"""(CSV column, header, width); the last four columns are the ones a leader edits."""

EDITABLE = {"status", "status_dato", "status_kommentar", "rapportert_av"}
_FIXED_TIME = datetime(2000, 1, 1)


def _sheet_title(area: str, used: set[str]) -> str:
    title = "".join(ch for ch in area if ch not in "[]:*?/\\")[:31] or "Område"
    base, n = title, 2
    while title in used:
        title = f"{base[:28]} {n}"
        n += 1
    used.add(title)
    return title


def handlingsplan_workbook(index: Index, kommune: str) -> bytes:
    """The workbook as bytes: one sheet per area, in plan order."""
    # openpyxl takes 0.13 s to import; a build imports it only where it writes workbooks (the export process).
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
    from openpyxl.utils import get_column_letter

    rows = handlingsplan_rows(index, kommune)
    wb = Workbook()
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    wb.properties.creator = "Kunnskapsbase psykisk helse og rus"
    wb.properties.created = wb.properties.modified = _FIXED_TIME
    areas: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        areas.setdefault(row["omrade"] or "Handlingsplan", []).append(row)
    # Named styles: openpyxl looks a name up once instead of hashing a style object for every cell.
    wrap = Alignment(wrap_text=True, vertical="top")
    wb.add_named_style(NamedStyle("kb-header", font=Font(bold=True, color="FFFFFF"),
                                  fill=PatternFill("solid", fgColor="14365C"), alignment=wrap))
    wb.add_named_style(NamedStyle("kb-text", alignment=wrap))
    wb.add_named_style(NamedStyle("kb-edit", alignment=wrap, fill=PatternFill("solid", fgColor="FFF5D6")))
    styles = ["kb-edit" if key in EDITABLE else "kb-text" for key, _, _ in COLUMNS]
    used: set[str] = set()
    for area, area_rows in areas.items():
        ws = wb.create_sheet(_sheet_title(area, used))
        ws.append([header for _, header, _ in COLUMNS])
        for cell in ws[1]:
            cell.style = "kb-header"
        for row in area_rows:
            ws.append([neutralise_cell(row.get(key, "")) for key, _, _ in COLUMNS])
        for i, (_, _, width) in enumerate(COLUMNS, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        for cells in ws.iter_rows(min_row=2):
            for cell, style in zip(cells, styles, strict=True):
                cell.style = style
        ws.freeze_panes = "C2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.oddHeader.center.text = area
        ws.oddFooter.right.text = "Side &P av &N"
    buffer = io.BytesIO()
    wb.save(buffer)
    return stable_xlsx(buffer.getvalue())
