"""JSON Schema for every data file, generated from the models so editors get autocompletion.

Imports :mod:`kinds` (for the file-to-model map), :mod:`loader` and :mod:`search` (the search words
file). ``python -m knowledgebase schema`` writes ``schema/*.schema.json``; a test fails when the
committed files are stale.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .kinds import kommune_files, national_files
from .loader import SEARCH_WORDS_FILE
from .search import SearchWords


def schema_name(data_file: str) -> str:
    """'nasjonalt/lover.yml' -> 'lover'."""
    return Path(data_file).stem


@functools.cache
def _schema_text(model: type[BaseModel], many: bool, title: str) -> str:
    """One schema as JSON text (computed once per model; the models do not change while running)."""
    return json.dumps(_schema(model, many, title), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _schema(model: type[BaseModel], many: bool, title: str) -> dict[str, Any]:
    inner = model.model_json_schema(mode="validation")
    if not many:
        inner["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        inner["title"] = title
        return inner
    defs = inner.pop("$defs", {})
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "array",
        "items": {"$ref": f"#/$defs/{model.__name__}"},
    }
    defs[model.__name__] = inner
    schema["$defs"] = dict(sorted(defs.items()))
    return schema


def all_schemas() -> dict[str, str]:
    """Every schema file's name and its JSON text, one per data file of the registry."""
    out = {}
    for rel, model in national_files().items():
        out[f"{schema_name(rel)}.schema.json"] = _schema_text(model, True, f"data/{rel}")
    for name, kind in kommune_files().items():
        kind_model: type[BaseModel] = kind.model
        out[f"{schema_name(name)}.schema.json"] = _schema_text(kind_model, not kind.single,
                                                               f"data/kommuner/<kommune>/{name}")
    out[f"{schema_name(SEARCH_WORDS_FILE)}.schema.json"] = _schema_text(SearchWords, False, f"data/{SEARCH_WORDS_FILE}")
    return dict(sorted(out.items()))


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder``; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in all_schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def schema_comment(data_file: Path, data_dir: Path, root: Path) -> str:
    """The first line a data file must have, pointing at its schema relative to the file."""
    import os

    target = root / "schema" / f"{schema_name(data_file.name)}.schema.json"
    rel = os.path.relpath(target, data_file.parent).replace(os.sep, "/")
    return f"# yaml-language-server: $schema={rel}"


def published_schemas(root: Path) -> dict[str, bytes]:
    """The schema files the site publishes, by file name: the committed ``schema/`` folder (a test keeps it in
    step with the models), or, in a project without one, the files made from the models."""
    committed = root / "schema"
    if committed.is_dir():
        return {path.name: path.read_bytes() for path in sorted(committed.glob("*.schema.json"))}
    return {name: text.encode("utf-8") for name, text in all_schemas().items()}
