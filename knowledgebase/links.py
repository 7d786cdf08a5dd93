"""Turn ``[[type:id]]`` references in rendered Markdown into relative links.

Imports :mod:`index`, :mod:`refs` and :mod:`currency`. References were validated when the index was built
(and backlinks recorded then); this module only renders them for one page. A citation of a law,
paragraph or document no longer in force is followed by its flag (:func:`currency.citation_flag`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .currency import citation_flag
from .index import Index
from .refs import Ref, replace_refs


class UnresolvedReference(Exception):
    """A reference that slipped past validation (for example one made by a template)."""


_DATED = frozenset({"lov", "dokument", "anbefaling"})
"""Reference types whose target can be out of force (a recommendation through its document)."""


def resolve_markdown(markdown: str, page_src: str, index: Index) -> str:
    """Replace every reference in ``markdown`` by a Markdown link relative to ``page_src``."""

    def render(ref: Ref) -> str:
        entry = index.get(ref.type, ref.id)
        if entry is None:
            raise UnresolvedReference(f"{page_src}: '{ref.text}' points at nothing; check the id")
        label = ref.label or entry.title
        label = label.replace("[", "\\[").replace("]", "\\]")
        link = f"[{label}]({entry.href_from(page_src) or '#'})"
        return link + citation_flag(index, entry, page_src) if entry.type in _DATED else link

    return replace_refs(markdown, render)


def abbreviation_terms(index: Index) -> dict[str, str]:
    """Abbreviation -> full term, for the glossary terms that have one (an unexplained one gets no tooltip)."""
    return {e.record.forkortelse: e.record.term for e in index.of_type("begrep")
            if e.record.forkortelse and e.record.term}


def abbreviations(index: Index, markdown: str | None = None, terms: dict[str, str] | None = None) -> str:
    """Markdown abbreviation definitions (``*[ROP]: ...``) for the glossary terms with one.

    Given a page's Markdown, only the abbreviations that occur in it are returned, which keeps
    the Markdown parser from working through a hundred definitions on every page.
    """
    terms = terms if terms is not None else abbreviation_terms(index)
    if markdown is not None and terms:
        used = _used(markdown, tuple(terms))
        terms = {k: v for k, v in terms.items() if k in used}
    return "\n".join(sorted(f"*[{abbr}]: {term}" for abbr, term in terms.items()))


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=8)
def _matcher(abbrs: tuple[str, ...]) -> tuple[re.Pattern[str], frozenset[str], dict[str, re.Pattern[str]]]:
    """What :func:`_used` needs for one set of abbreviations, made once per build."""
    starts = "".join(sorted({re.escape(a[0]) for a in abbrs}))
    words = re.compile(r"\b[" + starts + r"]\w*")
    single = frozenset(a for a in abbrs if _WORD.fullmatch(a))
    multi = {a: re.compile(r"\b" + re.escape(a) + r"\b") for a in abbrs if a not in single}
    return words, single, multi


def _used(markdown: str, abbrs: tuple[str, ...]) -> set[str]:
    """The abbreviations that occur in ``markdown`` as whole words, as Markdown's abbr extension finds them.

    Its boundaries are ``\\b``, so 'ROP-lidelser' still counts as 'ROP'. A one-word abbreviation
    occurs exactly when it is one of the words of the text that start like an abbreviation; one
    with a hyphen ('SCL-10') is looked for with its own pattern, and only when its first part is
    such a word.
    """
    if not abbrs:
        return set()
    pattern, single, multi = _matcher(abbrs)
    words = set(pattern.findall(markdown))
    used = words & single
    for abbr, abbr_pattern in multi.items():
        first = _WORD.match(abbr)
        if (first is None or first.group(0) in words) and abbr_pattern.search(markdown):
            used.add(abbr)
    return used
