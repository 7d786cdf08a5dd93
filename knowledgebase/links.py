"""Turn ``[[type:id]]`` references in rendered Markdown into relative links.

Imports :mod:`index` and :mod:`refs`. References were validated when the index was built
(and backlinks recorded then); this module only renders them for one page.
"""

from __future__ import annotations

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


def abbreviations(index: Index) -> str:
    """Markdown abbreviation definitions (``*[ROP]: ...``) for every glossary term with one."""
    lines = []
    for entry in index.of_type("begrep"):
        term = entry.record
        if term.forkortelse:
            lines.append(f"*[{term.forkortelse}]: {term.term}")
    return "\n".join(sorted(lines))
