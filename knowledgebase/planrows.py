"""The handlingsplan as rows: one per tiltak, the same for the CSV file and the Excel workbook.

Imports :mod:`index`, :mod:`kinds` and :mod:`spreadsheet`. Every text cell goes through
:func:`~knowledgebase.spreadsheet.neutralise_cell` on its way into a file.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from .index import Index
from .kinds import iter_plan
from .spreadsheet import neutralise_cell

CSV_COLUMNS = [
    "id", "nummer", "omrade", "mal_id", "mal", "tiltak", "ansvarlig", "ansvarlige_enheter", "frist", "frist_ar",
    "okonomi", "okonomi_nok", "status", "status_dato", "status_kommentar", "rapportert_av", "kilde",
]


def handlingsplan_rows(index: Index, kommune: str) -> list[dict[str, Any]]:
    """One row per tiltak of a kommune's handlingsplan, in plan order."""
    plan = index.plan_of(kommune)
    if plan is None:
        return []
    area_of = {}
    for area in plan.omrader:
        for t in area.tiltak:
            area_of[t.id] = area
        for g in area.mal:
            for t in g.tiltak:
                area_of[t.id] = area
    rows = []
    for goal, tiltak_list, _loc in iter_plan(plan):
        for t in tiltak_list:
            where = area_of.get(t.id)
            latest = t.status[-1] if t.status else None
            rows.append({
                "id": t.id,
                "nummer": t.nummer or "",
                "omrade": (f"{where.nummer}. " if where and where.nummer else "") + (where.navn if where else ""),
                "mal_id": goal.id if goal else "",
                "mal": goal.tekst if goal else "",
                "tiltak": t.tekst,
                "ansvarlig": t.ansvarlig or "",
                "ansvarlige_enheter": ";".join(t.ansvarlige_enheter),
                "frist": t.frist or "",
                "frist_ar": t.frist_ar or "",
                "okonomi": t.okonomi or "",
                "okonomi_nok": "" if t.okonomi_nok is None else t.okonomi_nok,
                "status": latest.status if latest else "ikke_rapportert",
                "status_dato": latest.dato.isoformat() if latest else "",
                "status_kommentar": (latest.kommentar or "") if latest else "",
                "rapportert_av": latest.rapportert_av if latest else "",
                "kilde": f"{t.kilde.dokument} kap. {t.kilde.kapittel or ''} linje {t.kilde.linjer or ''}".strip(),
            })
    return rows


def handlingsplan_csv(index: Index, kommune: str) -> str:
    """The handlingsplan as CSV (UTF-8 with BOM so spreadsheet programs read æøå right)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: neutralise_cell(value) for key, value in row.items()}
                     for row in handlingsplan_rows(index, kommune))
    return "\ufeff" + buffer.getvalue()
