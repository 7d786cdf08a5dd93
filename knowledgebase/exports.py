"""Exports written by every build: the whole index as JSON and each handlingsplan as CSV.

Imports :mod:`index` and :mod:`models`. Output is deterministic: sorted keys and rows.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import models as m
from .index import Entry, Index, iter_plan
from .kinds import export_kinds
from .routes import page_url, route


def _fields(record: Any) -> dict[str, Any]:
    if isinstance(record, m.Goal):
        data = record.model_dump(mode="json", exclude={"tiltak"})
    elif isinstance(record, m.Law):
        data = record.model_dump(mode="json", exclude={"paragrafer"})
        data["paragrafer"] = [f"{record.id}/{p.key}" for p in record.paragrafer]
    elif isinstance(record, BaseModel):
        data = record.model_dump(mode="json")
    else:
        data = {}
    return data


def export_record(entry: Entry[Any], index: Index) -> dict[str, Any]:
    """One entry as a JSON object with id, type, url, kommune and every field.

    ``url`` is the page on this site; a record's own web address is ``ekstern_url`` (for laws
    and paragraphs, Lovdata's address).
    """
    from .pages import law_url, provision_url

    data = _fields(entry.record)
    data.pop("id", None)
    own_url = data.pop("url", None)
    # The record's own kind (lov/forskrift, veileder/rapport, ...) is 'art'; 'type' is the entity type.
    kind = data.pop("type", None)
    if kind and kind != entry.type:
        data["art"] = kind
    if isinstance(entry.record, m.Law):
        own_url = law_url(entry.record)
    elif isinstance(entry.record, m.Provision):
        own_url = provision_url(index.entries[("lov", entry.parent or "")].record, entry.record)
    if own_url:
        data["ekstern_url"] = own_url
    record = {"id": entry.id, "type": entry.type, "url": page_url(entry.page, entry.anchor), "tittel": entry.title}
    if entry.kommune:
        record["kommune"] = entry.kommune
    if entry.parent:
        record["forelder"] = entry.parent
    if isinstance(entry.record, m.Tiltak):
        latest = entry.record.status[-1] if entry.record.status else None
        record["gjeldende_status"] = latest.status if latest else "ikke_rapportert"
    record.update(data)
    return record


def kb_json(index: Index) -> str:
    """The whole validated index: one key per entity type, each a sorted list of objects."""
    out: dict[str, list[dict[str, Any]]] = {}
    for kind in export_kinds():
        out[kind.name] = [export_record(e, index) for e in index.of_type(kind.name)]
    # Compact, so the C encoder writes it (an indent switches json to its slow pure-Python encoder).
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n"


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
    writer.writerows(handlingsplan_rows(index, kommune))
    return "\ufeff" + buffer.getvalue()


def export_paths(index: Index) -> list[str]:
    """The path of every export file, relative to the site root, known before any is written."""
    paths = [route("eksport-json")]
    for kommune in index.kommuner():
        if index.plan_of(kommune.id) is not None:
            paths += [route("eksport-csv", kommune=kommune.id), route("eksport-xlsx", kommune=kommune.id)]
    return paths


def export_file(index: Index, rel: str) -> str | bytes:
    """The content of one export file named by :func:`export_paths`."""
    from .workbook import handlingsplan_workbook

    if rel == route("eksport-json"):
        return kb_json(index)
    kommune = rel.split("/")[1]
    if rel.endswith(".csv"):
        return handlingsplan_csv(index, kommune)
    return handlingsplan_workbook(index, kommune)


def export_files(index: Index) -> dict[str, str | bytes]:
    """Every export file, by path relative to the site root."""
    return {rel: export_file(index, rel) for rel in export_paths(index)}


def write_export_files(index: Index, folder: Path, paths: list[str] | None = None) -> int:
    """Write the export files ``paths`` (default: all) under ``folder``; return how many were written."""
    paths = export_paths(index) if paths is None else paths
    for rel in paths:
        content = export_file(index, rel)
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return len(paths)
