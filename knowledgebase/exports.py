"""Exports written by every build: the whole index as JSON and each handlingsplan as CSV.

Imports :mod:`index`, :mod:`models`, :mod:`kinds`, :mod:`routes`, :mod:`planrows`, :mod:`workbook`,
:mod:`opendata` (the standard formats), :mod:`coverage` (the coverage matrices as CSV and XLSX) and
:mod:`worklist` (each kommune's «Mangler i kilden» as CSV). Output is deterministic: sorted keys and rows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import models as m
from .coverage import MATRIX_NAMES, coverage_csv, coverage_workbook
from .index import Entry, Index
from .kinds import export_kinds
from .opendata import opendata_file, opendata_paths, site_url_as
from .planrows import handlingsplan_csv
from .routes import page_url, route
from .workbook import handlingsplan_workbook
from .worklist import work_list_csv


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


def export_paths(index: Index) -> list[str]:
    """The path of every export file, relative to the site root, known before any is written."""
    paths = [route("eksport-json")]
    if index.kommuner():
        paths += [route("eksport-dekning-csv", name=name) for name in MATRIX_NAMES] + [route("eksport-dekning-xlsx")]
    for kommune in index.kommuner():
        paths.append(route("eksport-mangler", kommune=kommune.id))
        if index.plan_of(kommune.id) is not None:
            paths += [route("eksport-csv", kommune=kommune.id), route("eksport-xlsx", kommune=kommune.id)]
    return paths + opendata_paths()


def export_file(index: Index, rel: str, site_url: str | None = None) -> str | bytes:
    """The content of one export file named by :func:`export_paths`; IRIs go under ``site_url``."""
    if rel == route("eksport-json"):
        return kb_json(index)
    if rel in opendata_paths():
        return opendata_file(index, rel, site_url)
    if rel == route("eksport-dekning-xlsx"):
        return coverage_workbook(index)
    if rel.startswith(route("eksport-dekning-csv", name="")[:-len(".csv")]):
        return coverage_csv(index, rel.rsplit("/", 1)[1].removesuffix(".csv"))
    kommune = rel.split("/")[1]
    if rel == route("eksport-mangler", kommune=kommune):
        return work_list_csv(index, kommune)
    if rel.endswith(".csv"):
        return handlingsplan_csv(index, kommune)
    return handlingsplan_workbook(index, kommune)


def export_files(index: Index) -> dict[str, str | bytes]:
    """Every export file, by path relative to the site root."""
    return {rel: export_file(index, rel) for rel in export_paths(index)}


def write_export_files(index: Index, folder: Path, paths: list[str] | None = None,
                       site_url: str | None = None) -> int:
    """Write the export files ``paths`` (default: all) under ``folder``; return how many were written."""
    paths = export_paths(index) if paths is None else paths
    for rel in paths:
        with site_url_as(site_url):
            content = export_file(index, rel)
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return len(paths)
