"""Turn the JSON Schema of the data files into rows for the data-format page.

Imports :mod:`schema` and :mod:`loader`.
"""

from __future__ import annotations

import json
from typing import Any

from .kinds import kommune_files, national_files
from .schema import all_schemas, schema_name


def _type_of(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        return str(prop["$ref"]).rsplit("/", 1)[-1]
    if "enum" in prop:
        return " / ".join(str(v) for v in prop["enum"])
    if "const" in prop:
        return str(prop["const"])
    if "anyOf" in prop:
        return " eller ".join(_type_of(p) for p in prop["anyOf"] if p.get("type") != "null")
    if prop.get("type") == "array":
        return "liste av " + _type_of(prop.get("items", {}))
    names = {"string": "tekst", "integer": "heltall", "number": "tall", "boolean": "true/false"}
    kind = names.get(prop.get("type", ""), prop.get("type", ""))
    if prop.get("format") == "date":
        kind = "dato (ÅÅÅÅ-MM-DD)"
    return str(kind)


def format_rows() -> list[tuple[str, str, list[Any]]]:
    """(file pattern, schema name, models with their field rows) for every data file."""
    schemas = {name: json.loads(text) for name, text in all_schemas().items()}
    patterns = [(f"data/{rel}", schema_name(rel), model) for rel, model in national_files().items()]
    patterns += [(f"data/kommuner/<kommune>/{f}", schema_name(f), model)
                 for f, model in ((f, k.model) for f, k in kommune_files().items())]
    out = []
    for pattern, name, model_class in patterns:
        schema = schemas[f"{name}.schema.json"]
        defs = schema.get("$defs", {})
        models = []
        top = schema if "properties" in schema else None
        # A single-record file's schema is titled with the file path; name it by its model instead.
        ordered = ([(model_class.__name__, top)] if top else []) + sorted(defs.items())
        for title, model in ordered:
            if not model or "properties" not in model:
                continue
            required = set(model.get("required", []))
            rows = [(field, _type_of(prop), field in required, prop.get("description", ""))
                    for field, prop in model["properties"].items()]
            models.append((title, (model.get("description") or "").split("\n")[0], rows))
        out.append((pattern, name, models))
    return out
