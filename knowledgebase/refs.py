"""The one cross-reference syntax, used alike in Markdown pages and YAML text fields.

Imports nothing from the package (the kinds a reference may name are in :mod:`kinds`).
A reference is written ``[[type:id]]`` or ``[[type:id|text to show]]``, for example ``[[lov:hol/3-1]]``,
``[[tjeneste:flaa/helsestasjon]]`` or ``[[tiltak:flaa/2.1.3|tiltak 2.1.3]]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import lru_cache

REF_PATTERN = re.compile(r"\[\[([a-z]+):([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")
"""Matches ``[[type:id]]`` and ``[[type:id|label]]``; a label may wrap onto the next line.

No two parts of the pattern can match the same characters, and none runs past a ``[``, so it
runs in linear time whatever the text (``[[lov:`` and thousands of spaces took minutes with
overlapping parts). Spaces around the id are trimmed in code; a reference without an id is none."""

_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)


@dataclass(frozen=True)
class Ref:
    """One reference found in a text."""

    type: str
    id: str
    label: str | None
    line: int
    start: int
    end: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.type, normalise_id(self.type, self.id))

    @property
    def text(self) -> str:
        return f"[[{self.type}:{self.id}]]"


@lru_cache(maxsize=65536)
def normalise_id(ref_type: str, ident: str) -> str:
    """Make an id comparable: trimmed, lower case; paragraph numbers without spaces or dots."""
    ident = ident.strip().lower()
    if ref_type == "lov" and "/" in ident:
        law, _, provision = ident.partition("/")
        ident = law + "/" + re.sub(r"[\s.§]", "", provision)
    return ident


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where the inline code and code blocks of a text are, as (start, end) pairs."""
    return [match.span() for match in _CODE.finditer(text)]


def find_refs(text: str, first_line: int = 1) -> list[Ref]:
    """Return every reference in ``text`` outside code, with its line number."""
    if "[[" not in text:
        return []
    spans = _code_spans(text) if "`" in text else []
    refs = []
    for match in REF_PATTERN.finditer(text):
        if any(a <= match.start() < b for a, b in spans) or not match.group(2).strip():
            continue
        line = first_line + text.count("\n", 0, match.start())
        label = " ".join(match.group(3).split()) if match.group(3) else None
        refs.append(Ref(match.group(1), match.group(2).strip(), label, line, match.start(), match.end()))
    return refs


def replace_refs(text: str, render: Callable[[Ref], str]) -> str:
    """Replace each reference outside code by ``render(ref)``.

    This runs on every page of every build, so it skips the work it can: a text without
    ``[[`` is returned as it is, and the refs it hands to ``render`` carry no line number (0).
    """
    if "[[" not in text:
        return text
    spans = _code_spans(text) if "`" in text else []

    def one(match: re.Match[str]) -> str:
        start = match.start()
        if (spans and any(a <= start < b for a, b in spans)) or not match.group(2).strip():
            return str(match.group(0))
        label = " ".join(match.group(3).split()) if match.group(3) else None
        return render(Ref(match.group(1), match.group(2).strip(), label, 0, start, match.end()))

    return REF_PATTERN.sub(one, text)


def parse_plain(value: str, known: Collection[str]) -> tuple[str, str] | None:
    """Parse ``type:id`` as written in a list field such as ``se_ogsa``; ``type`` must be in ``known``."""
    ref_type, sep, ident = value.partition(":")
    if not sep or ref_type not in known:
        return None
    return ref_type, normalise_id(ref_type, ident)
