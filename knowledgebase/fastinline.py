"""Inline Markdown without trying patterns that cannot match.

Imports nothing from the package. Python-Markdown turns the text of every paragraph, list item and table cell
into links, code, emphasis and so on by trying each of its 14 inline patterns on it in turn. Most of our text is
plain words: a table cell with a name has no ``[``, ``<``, ``&``, ``*`` or backtick, yet every pattern runs a
regular expression over it, through the pattern registry's sorted lookup, and that was the largest single cost of
a build (about a fifth of it under cProfile at ten kommuner).

:class:`SkippingInlineProcessor` is Python-Markdown's own inline processor with one change: before it tries a
pattern on a text, it checks that the text holds a character the pattern cannot match without (``[`` for links,
``<`` for autolinks and inline HTML, the delimiters for emphasis, …). When it does not, the pattern is skipped,
which is exactly what trying it would have done. Patterns it does not know (an extension's own) are always tried.

The characters come from the regular expressions of the Python-Markdown version pinned in ``requirements.lock``;
:data:`NEEDS` is keyed by the expression itself, so a pattern whose expression changes is no longer skipped, and
``tests/test_fastinline.py`` pins the expressions and converts hard cases both ways. A build with and without it
is byte-identical (``tests/test_mdreuse.py``).
"""

from __future__ import annotations

from typing import Any, cast

from markdown import inlinepatterns, util  # type: ignore[import-untyped]
from markdown.treeprocessors import InlineProcessor  # type: ignore[import-untyped]

NEEDS: dict[str, str] = {
    inlinepatterns.BACKTICK_RE: "`",  # both branches end in, or look ahead for, a backtick
    inlinepatterns.ESCAPE_RE: "\\",
    inlinepatterns.LINK_RE: "[",  # also reference and short reference
    inlinepatterns.IMAGE_LINK_RE: "!",  # «![»; also image reference and short image reference
    inlinepatterns.AUTOLINK_RE: "<",
    inlinepatterns.AUTOMAIL_RE: "<",
    inlinepatterns.HTML_RE: "<",
    inlinepatterns.ENTITY_RE: "&",
    inlinepatterns.LINE_BREAK_RE: "\n",  # two spaces and a newline
}
"""For a pattern's regular expression, a character every text it matches contains."""


def needs(pattern: Any) -> frozenset[str] | None:
    """Characters one of which a text must hold for ``pattern`` to match it, or None if it is always tried."""
    if isinstance(pattern, inlinepatterns.DelimiterProcessor):  # emphasis: a match starts at a delimiter
        return frozenset(token[0] for token in pattern.tokens)
    if type(pattern).__module__ != inlinepatterns.__name__:  # an extension's pattern: always tried
        return None
    char = NEEDS.get(getattr(pattern, "pattern", None))  # type: ignore[arg-type]
    return None if char is None else frozenset(char)


class SkippingInlineProcessor(InlineProcessor):  # type: ignore[misc]
    """Python-Markdown's inline processor, skipping the patterns a text cannot match."""

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        self._patterns = [(pattern, needs(pattern)) for pattern in self.inlinePatterns]
        self._triggers = frozenset().union(*(chars for _, chars in self._patterns if chars is not None))
        self._all_known = all(chars is not None for _, chars in self._patterns)
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802,N803
        """``InlineProcessor.__handleInline`` (Python-Markdown 3.11), trying only patterns the text can match.

        Applying a pattern only replaces text with a placeholder (which holds none of the characters), so the
        characters present at the start are a safe guess for the whole loop.
        """
        if isinstance(data, util.AtomicString):
            return cast(str, data)  # the same object: an AtomicString is never processed
        present = self._triggers.intersection(data)
        if not present and self._all_known:
            return data
        apply = self._InlineProcessor__applyPattern
        patterns = self._patterns
        start = 0
        while patternIndex < len(patterns):
            pattern, chars = patterns[patternIndex]
            if chars is not None and chars.isdisjoint(present):
                patternIndex, start = patternIndex + 1, 0
                continue
            applied: tuple[str, bool, int] = apply(pattern, data, patternIndex, start)
            data, matched, start = applied
            if not matched:
                patternIndex += 1
        return data


def install(md: Any) -> None:
    """Let converter ``md`` skip patterns that cannot match (its inline processor replaced, same name and order)."""
    md.treeprocessors.register(SkippingInlineProcessor(md), "inline", 20)
