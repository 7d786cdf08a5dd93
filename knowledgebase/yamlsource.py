"""Read YAML and front matter while remembering the line of every mapping and key.

Imports only :mod:`knowledgebase.errors`. Returns plain dicts and lists (subclasses that
carry line numbers) so that later errors can point at ``file:line``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import Problems


class LineDict(dict[str, Any]):
    """A dict that knows the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A list that knows the line of each item."""

    line: int = 0
    item_lines: list[int]


_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C parser when available


class _LineLoader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """A safe loader that attaches line numbers and rejects duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice in the same block", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp_as_text(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    # Dates stay text here; the models parse them so a bad date gets an editor's message.
    return str(loader.construct_scalar(node))


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def read_text(path: Path, problems: Problems) -> str | None:
    """Return the file's text, or record a problem when it is not UTF-8."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.add(
            path,
            line,
            "the file is not UTF-8 text; save it again with the encoding UTF-8 "
            "(in most editors: 'Save with encoding' -> UTF-8)",
        )
        return None


MAX_BYTES = 2_000_000
"""The largest data file read (2 MB); the largest real one is about a tenth of that."""
MAX_DEPTH = 30
"""The deepest nesting of blocks and lists; a real file needs fewer than ten."""
MAX_ALIASES = 1000
"""How many aliases (``*name``) one file may use."""
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
"""Characters no text field may hold: control characters and line or paragraph separators."""


def _control_message(char: str) -> str:
    return (f"the text holds the invisible control character U+{ord(char):04X}; remove it (retype the text "
            "around it if you cannot see it)")


def _within_limits(text: str, path: Path, problems: Problems, first_line: int) -> bool:
    """Check size, nesting, aliases and control characters from the event stream, before anything recursive.

    libyaml's parser makes the events without recursion, so a file nested a hundred thousand levels
    deep or an alias bomb is refused here, with its line, before the composer, the constructor or
    pydantic (which all recurse, or expand aliases) see it. An alias may repeat a text value, never a
    list or block, so what a file expands to stays as large as the file.
    """
    if len(text) > MAX_BYTES:
        problems.add(path, first_line, f"the file is larger than {MAX_BYTES // 1_000_000} MB; split it or "
                     "remove what does not belong in it")
        return False
    raw = CONTROL.search(text)
    if raw:
        problems.add(path, first_line + text.count("\n", 0, raw.start()), _control_message(raw.group(0)))
        return False
    depth, aliases, collection_anchors = 0, 0, set()
    try:
        for event in yaml.parse(text, Loader=_BASE_LOADER):
            line = (event.start_mark.line if event.start_mark else 0) + first_line
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.add(path, line, f"the blocks and lists are nested more than {MAX_DEPTH} levels deep; "
                                 "check the indentation and the brackets")
                    return False
                if event.anchor:
                    collection_anchors.add(event.anchor)
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if event.anchor in collection_anchors:
                    problems.add(path, line, f"the alias *{event.anchor} repeats a list or block; an alias may only "
                                 "repeat a text value: write the list or block out")
                    return False
                if aliases > MAX_ALIASES:
                    problems.add(path, line, f"the file uses more than {MAX_ALIASES} aliases (*name); write the "
                                 "values out")
                    return False
            elif isinstance(event, yaml.ScalarEvent):
                found = CONTROL.search(event.value)
                if found:
                    at = line + event.value.count("\n", 0, found.start()) if event.style in ("|", ">") else line
                    problems.add(path, at, _control_message(found.group(0)))
                    return False
    except yaml.YAMLError:
        return True  # broken YAML: the full parse reports it with its line
    return True


def parse_yaml(text: str, path: Path, problems: Problems, first_line: int = 1) -> Any:
    """Parse YAML text; on a syntax error record one problem and return ``None``.

    Args:
        text: The YAML source.
        path: File name used in messages.
        problems: Where to record a syntax error.
        first_line: Line of ``text``'s first line within the file (for front matter).
    """
    if not _within_limits(text, path, problems, first_line):
        return None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line + first_line) if mark else first_line
        what = err.problem or "the YAML cannot be read"
        if err.context:
            what = f"{err.context}, {what}"
        problems.add(
            path,
            line,
            f"broken YAML: {what}; check the indentation and that text containing ': ' or '#' is in quotes",
        )
        return None
    except yaml.reader.ReaderError as err:  # a raw control character in the file
        line = first_line + text.count("\n", 0, err.position)
        problems.add(path, line, _control_message(chr(err.character)))
        return None
    except yaml.YAMLError as err:  # pragma: no cover - other YAML errors carry no mark
        problems.add(path, first_line, f"broken YAML: {' '.join(str(err).split())}")
        return None


def load_yaml_file(path: Path, problems: Problems) -> Any:
    """Read and parse one YAML file, recording problems instead of raising."""
    text = read_text(path, problems)
    if text is None:
        return None
    return parse_yaml(text, path, problems)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(\r?\n|\Z)", re.DOTALL)
"""Front matter as MkDocs reads it: a first line '---', closed by '---' or '...'."""


def split_front_matter(text: str, path: Path, problems: Problems) -> tuple[dict[str, Any], str, int]:
    """Split a Markdown page into (front matter, body, line where the body starts)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        if re.match(r"---[ \t]*\r?\n", text):
            problems.add(path, 1, "the front matter that starts here has no closing line; write '---' on its own "
                         "line after the last field")
        return LineDict(), text, 1
    # A leading newline keeps line numbers equal to the file's (line 1 is the '---').
    data = parse_yaml("\n" + (match.group(1) or ""), path, problems)
    body_line = text[: match.end()].count("\n") + 1
    if data is None:
        data = LineDict()
    if not isinstance(data, dict):
        problems.add(path, 2, "the front matter must be a block of 'field: value' lines")
        data = LineDict()
    return data, text[match.end() :], body_line


def line_of(data: Any, loc: tuple[Any, ...]) -> int:
    """Return the line of the deepest key or item named by a pydantic error location."""
    line = getattr(data, "line", 0)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line
