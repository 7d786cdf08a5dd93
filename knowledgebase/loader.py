"""Read ``data/`` and the front matter of ``docs/`` into typed records, collecting every problem.

Imports :mod:`errors`, :mod:`yamlsource`, :mod:`models` and :mod:`kinds` (which files hold which
records); never the index or pages.
The result is a :class:`Dataset`: plain lists of records, each with the file and line it
came from. Nothing here raises for an editor's mistake; problems are recorded instead.
A data file whose text has not changed since it was last read without problems is not parsed
and validated again (:data:`VALIDATED`): ``mkdocs serve`` rebuilds after every save.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import models as m
from .errors import Problems
from .kinds import KOMMUNE_FOLDER, kommune_files, national_files, page_kinds
from .yamlsource import LineDict, LineList, line_of, load_yaml_file, read_text, split_front_matter


@dataclass
class Loaded:
    """A record with the place it was read from."""

    record: Any
    file: Path
    line: int
    kommune: str | None = None
    raw: Any = None


@dataclass
class Page:
    """A hand-written Markdown page: its front matter (checked) and body."""

    path: Path
    src_uri: str
    meta: Any
    body: str
    body_line: int
    raw_meta: Any = None


@dataclass
class Dataset:
    """Everything read from ``data/`` and ``docs/`` before cross-references are resolved."""

    national: dict[str, list[Loaded]] = field(default_factory=dict)
    kommuner: dict[str, dict[str, list[Loaded]]] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)


# --- Messages -------------------------------------------------------------------------------


def _inner_model(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[type[BaseModel], int, Any]:
    """Follow ``loc`` through the model's fields; return the innermost model and where it starts."""
    current: Any = model
    depth = 0
    found: tuple[type[BaseModel], int] = (model, 0)
    for i, part in enumerate(loc):
        if isinstance(part, int):
            current = _unwrap_list(current)
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            break
        current = _unwrap_optional(current)
        # Only records with an id are named in messages; parts such as a status update are fields.
        if isinstance(current, type) and issubclass(current, BaseModel) and "id" in current.model_fields:
            found = (current, i + 1)
        depth = i + 1
    return found[0], found[1], depth


def _inner_model_any(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[type[BaseModel], int, Any]:
    """Like :func:`_inner_model` but stops at any model, with or without an id."""
    current: Any = model
    found: type[BaseModel] = model
    for part in loc:
        if isinstance(part, int):
            current = _unwrap_list(current)
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = _unwrap_optional(current.model_fields[part].annotation)
        else:
            break
        current = _unwrap_optional(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            found = current
    return found, 0, None


def _unwrap_optional(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
    if origin is typing.Annotated:
        return _unwrap_optional(typing.get_args(tp)[0])
    return tp


def _unwrap_list(tp: Any) -> Any:
    tp = _unwrap_optional(tp)
    if typing.get_origin(tp) is list:
        return _unwrap_optional(typing.get_args(tp)[0])
    return tp


def _node_at(data: Any, loc: tuple[Any, ...]) -> Any:
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _entity_label(model: type[BaseModel], data: Any) -> str:
    ident = None
    if isinstance(data, dict):
        for key in ("id", "nr", "navn"):
            if isinstance(data.get(key), str | int):
                ident = data[key]
                break
    return f"{model.__name__}(id={str(ident)!r})" if ident is not None else model.__name__


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "...'"


def describe_error(model: type[BaseModel], err: Mapping[str, Any]) -> str:
    """Turn one pydantic error into a sentence that says what to write instead."""
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "is required but missing; add it"
    if kind == "extra_forbidden":
        allowed = list(model.model_fields)
        guess = difflib.get_close_matches(str(err["loc"][-1]), allowed, n=1)
        hint = f"did you mean '{guess[0]}'? " if guess else ""
        return f"is not a known field; {hint}allowed fields: {', '.join(allowed)}"
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        guess = difflib.get_close_matches(str(value), allowed, n=1)
        hint = f"did you mean {guess[0]}? " if guess else ""
        return f"{_show(value)} is not allowed; {hint}write one of: {ctx.get('expected', '')}".replace("'", "")
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{_show(value)} is not a date; write it as YYYY-MM-DD, for example 2026-03-31"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{_show(value)} is not a whole number; write digits only, for example 130000"
    if kind in ("float_parsing", "float_type"):
        return f"{_show(value)} is not a number; write digits with a decimal point, for example 1.5"
    if kind in ("bool_parsing", "bool_type"):
        return f"{_show(value)} is not true or false; write true or false"
    if kind == "string_type" and isinstance(value, bool):
        return (f"was read by YAML as {str(value).lower()} (yes, no, on, off, true and false without quotes are); "
                "write the text in quotes, for example \"no\"")
    if kind == "string_type" and isinstance(value, int | float):
        return (f"was read by YAML as the number {value!r}; write it in quotes as it should stand, "
                "for example \"2.10\"")
    if kind == "string_type":
        what = "a list" if isinstance(value, list) else "a block of fields" if isinstance(value, dict) else "empty"
        return f"must be text, not {what}; write it on the same line after the colon (in quotes if it has ': ')"
    if kind == "list_type":
        return "must be a list; write each item on its own line starting with '- '"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "must be a block of 'field: value' lines, indented under this field"
    if kind == "string_pattern_mismatch":
        return f"{_show(value)} does not have the right form (expected pattern {ctx.get('pattern')})"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return "must have at least one item"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{_show(value)} is out of range ({err['msg'].lower()})"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return str(err["msg"])


def _field_hint(model: type[BaseModel], field_name: str) -> str:
    info = model.model_fields.get(field_name)
    return f" ({info.description})" if info is not None and info.description else ""


def report_validation_error(
    problems: Problems, path: Path, model: type[BaseModel], data: Any, error: ValidationError,
    base_loc: tuple[Any, ...] = (),
) -> None:
    """Record one problem for each pydantic error, with file, line, entity and field."""
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        inner, start, _ = _inner_model(model, loc)
        # An unknown field is reported on the record that holds it.
        if err["type"] == "extra_forbidden":
            inner, start, _ = _inner_model(model, loc[:-1])
        entity_data = _node_at(data, loc[:start])
        field_loc = [str(p) for p in loc[start:] if not isinstance(p, int)]
        field_name = ".".join(field_loc)
        items = [p for p in loc[start:] if isinstance(p, int)]
        item_note = f"item {items[-1] + 1}: " if items and err["type"] != "extra_forbidden" else ""
        message = describe_error(inner, err)
        if err["type"] == "string_pattern_mismatch" and field_loc:
            message = message.split(" (expected")[0] + "; see" + (_field_hint(inner, field_loc[-1]) or " the schema")
        line = line_of(data, base_loc + loc) if base_loc else line_of(data, loc)
        inner_field = loc[-1] if err["type"] == "extra_forbidden" else None
        if inner_field is not None:
            # The unknown key may sit in a nested block (e.g. kontakt); name the model that holds it.
            holder, _, _ = _inner_model_any(model, loc[:-1])
            message = describe_error(holder, err)
        problems.add(path, line, item_note + message, _entity_label(inner, entity_data), field_name)


# --- Loading --------------------------------------------------------------------------------


def _empty_file(path: Path, problems: Problems, what: str) -> None:
    problems.add(path, 0, f"the file holds no records; add {what}, or delete the file if it has none")


VALIDATED: dict[tuple[str, type[BaseModel], str | None], tuple[bytes, list[Loaded]]] = {}
"""(file, model, kommune) -> (the file's bytes, its records), for files read without problems. The records
are a function of those bytes alone, so an entry is used only while the file holds the same bytes."""


def _unless_unchanged(load: Callable[[Path, type[BaseModel], Problems, str | None], list[Loaded]]
                      ) -> Callable[[Path, type[BaseModel], Problems, str | None], list[Loaded]]:
    """Wrap a loader so a file with the same bytes as last time gives its records without parsing again."""

    def cached(path: Path, model: type[BaseModel], problems: Problems, kommune: str | None) -> list[Loaded]:
        key = (str(path), model, kommune)
        try:
            before = path.read_bytes()
        except OSError:
            before = None
        hit = VALIDATED.get(key)
        if before is not None and hit is not None and hit[0] == before:
            return list(hit[1])
        count = len(problems)
        result = load(path, model, problems, kommune)
        VALIDATED.pop(key, None)
        try:
            unchanged = before is not None and path.read_bytes() == before  # not saved again while read
        except OSError:
            unchanged = False
        if before is not None and unchanged and len(problems) == count:
            VALIDATED[key] = (before, list(result))
        return result

    return cached


@_unless_unchanged
def _load_list(path: Path, model: type[BaseModel], problems: Problems, kommune: str | None) -> list[Loaded]:
    before = len(problems)
    data = load_yaml_file(path, problems)
    if data is None or data == []:
        if len(problems) == before:
            _empty_file(path, problems, f"{model.__name__} records, each starting with '- id: ...'")
        return []
    if not isinstance(data, list):
        problems.add(
            path, getattr(data, "line", 1),
            f"the file must be a list of {model.__name__} records, each starting with '- id: ...'",
        )
        return []
    result = []
    for index, item in enumerate(data):
        line = data.item_lines[index] if isinstance(data, LineList) else 0
        if not isinstance(item, dict):
            problems.add(path, line, f"each item must be a {model.__name__} record of 'field: value' lines")
            continue
        try:
            record = model.model_validate(dict(item))
        except ValidationError as error:
            report_validation_error(problems, path, model, item, error)
            continue
        result.append(Loaded(record, path, getattr(item, "line", line), kommune, item))
    return result


@_unless_unchanged
def _load_single(path: Path, model: type[BaseModel], problems: Problems, kommune: str | None) -> list[Loaded]:
    before = len(problems)
    data = load_yaml_file(path, problems)
    if data is None:
        if len(problems) == before:
            _empty_file(path, problems, f"the {model.__name__}'s 'field: value' lines")
        return []
    if not isinstance(data, dict):
        problems.add(path, getattr(data, "line", 1), f"the file must be one {model.__name__} of 'field: value' lines")
        return []
    try:
        record = model.model_validate(dict(data))
    except ValidationError as error:
        report_validation_error(problems, path, model, data, error)
        return []
    return [Loaded(record, path, getattr(data, "line", 1), kommune, data)]


SEARCH_WORDS_FILE = "sokeord.yml"
"""The search words under ``data/`` (stop words, everyday words, misspellings); checked by :mod:`search`."""


def load_data(data_dir: Path, problems: Problems) -> Dataset:
    """Load every YAML file under ``data_dir`` into a :class:`Dataset`."""
    dataset = Dataset()
    national = national_files()
    known = set(national) | {SEARCH_WORDS_FILE}
    for rel, model in national.items():
        path = data_dir / rel
        dataset.national[rel] = _load_list(path, model, problems, None) if path.exists() else []
    kommune_root = data_dir / KOMMUNE_FOLDER
    per_kommune = kommune_files()
    for folder in sorted(p for p in kommune_root.iterdir() if p.is_dir()) if kommune_root.exists() else []:
        kid = folder.name
        files: dict[str, list[Loaded]] = {}
        if not (folder / "kommune.yml").exists():
            problems.add(folder, 0, "a kommune folder needs a kommune.yml with the kommune's name and plan")
        for name, kind in per_kommune.items():
            path = folder / name
            load = _load_single if kind.single else _load_list
            files[name] = load(path, kind.model, problems, kid) if path.exists() else []
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.name not in per_kommune and path.suffix in (".yml", ".yaml"):
                problems.add(path, 0, f"unknown data file; a kommune folder holds: {', '.join(sorted(per_kommune))}")
        for loaded in files["kommune.yml"]:
            if loaded.record.id != kid:
                line = loaded.raw.key_lines.get("id", 1) if isinstance(loaded.raw, LineDict) else 1
                problems.add(loaded.file, line, f"the id must be the folder's name, '{kid}'", "Kommune", "id")
        dataset.kommuner[kid] = files
    for path in sorted(data_dir.rglob("*")):
        rel = path.relative_to(data_dir).as_posix()
        if path.suffix in (".yml", ".yaml") and not rel.startswith(KOMMUNE_FOLDER + "/") and rel not in known:
            problems.add(path, 0, f"unknown data file; national data files are: {', '.join(sorted(known))}")
    return dataset


def load_pages(docs_dir: Path, problems: Problems) -> list[Page]:
    """Read every hand-written Markdown page and check its front matter."""
    pages = []
    for path in sorted(docs_dir.rglob("*.md")):
        text = read_text(path, problems)
        if text is None:
            continue
        meta, body, body_line = split_front_matter(text, path, problems)
        kind = meta.get("type") if isinstance(meta, dict) else None
        page_kind = page_kinds().get(kind) if isinstance(kind, str) else None
        model = page_kind.model if page_kind is not None else m.PageMeta
        try:
            checked = model.model_validate(dict(meta))
        except ValidationError as error:
            report_validation_error(problems, path, model, meta, error)
            checked = None
        pages.append(Page(path, path.relative_to(docs_dir).as_posix(), checked, body, body_line, meta))
    return pages
