"""Turn ``[[type:id]]`` references in rendered Markdown into relative links.

Imports :mod:`index` and :mod:`refs`. References were validated when the index was built
(and backlinks recorded then); this module only renders them for one page.
"""

from __future__ import annotations

import re

from .index import Index
from .refs import Ref, replace_refs


class UnresolvedReference(Exception):
    """A reference that slipped past validation (for example one made by a template)."""


def resolve_markdown(markdown: str, page_src: str, index: Index) -> str:
    """Replace every reference in ``markdown`` by a Markdown link relative to ``page_src``."""

    def render(ref: Ref) -> str:
        entry = index.get(ref.type, ref.id)
        if entry is None:
            raise UnresolvedReference(f"{page_src}: '{ref.text}' points at nothing; check the id")
        label = ref.label or entry.title
        label = label.replace("[", "\\[").replace("]", "\\]")
        return f"[{label}]({entry.href_from(page_src) or '#'})"

    return replace_refs(markdown, render)


def abbreviation_terms(index: Index) -> dict[str, str]:
    """Abbreviation -> full term, for the glossary terms that have one."""
    return {e.record.forkortelse: e.record.term for e in index.of_type("begrep") if e.record.forkortelse}


def abbreviations(index: Index, markdown: str | None = None, terms: dict[str, str] | None = None) -> str:
    """Markdown abbreviation definitions (``*[ROP]: ...``) for the glossary terms with one.

    Given a page's Markdown, only the abbreviations that occur in it are returned, which keeps
    the Markdown parser from working through a hundred definitions on every page.
    """
    terms = terms if terms is not None else abbreviation_terms(index)
    if markdown is not None and terms:
        pattern = _pattern_for(tuple(sorted(terms, key=len, reverse=True)))
        used = set(pattern.findall(markdown))
        terms = {k: v for k, v in terms.items() if k in used}
    return "\n".join(sorted(f"*[{abbr}]: {term}" for abbr, term in terms.items()))


_PATTERNS: dict[tuple[str, ...], re.Pattern] = {}


def _pattern_for(abbrs: tuple[str, ...]) -> re.Pattern:
    if abbrs not in _PATTERNS:
        # The same word boundaries as Markdown's abbr extension, so 'ROP-lidelser' still gets its tooltip.
        _PATTERNS[abbrs] = re.compile(r"\b(" + "|".join(map(re.escape, abbrs)) + r")\b")
    return _PATTERNS[abbrs]
