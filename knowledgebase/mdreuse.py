"""One Markdown converter per build instead of one per page.

Imports :mod:`fastinline` (the one converter skips inline patterns a text cannot match). MkDocs 1.6 makes a new
``markdown.Markdown`` for every page (``mkdocs.structure.pages.Page.render``), which loads and sets up every
extension again: about 1 ms a page, 4 % of a build. Python-Markdown is made to convert many documents with one
instance, calling ``reset()`` between them; every extension we use (toc, abbr, admonition, attr_list, md_in_html,
tables, details, superfences) clears its state there. :func:`install` lets ``Page.render`` get that one instance,
reset, as long as it asks with the same extensions and settings; MkDocs then registers its per-page processors on
it, replacing the previous page's, which are registered under the same names. :func:`install` is called in
``on_config``, so every build (and every rebuild of ``mkdocs serve``) starts with a fresh instance. A test builds
the site with and without it and compares every page byte for byte.
"""

from __future__ import annotations

import types
from typing import Any

import markdown  # type: ignore[import-untyped]  # (no type stubs pinned; two calls are used)
from mkdocs.structure import pages as _pages

from . import fastinline


class _ReusingMarkdownModule(types.ModuleType):
    """Stands in for the ``markdown`` module inside ``mkdocs.structure.pages``; all but ``Markdown`` is the real one."""

    def __init__(self) -> None:
        super().__init__("markdown")
        self._md: markdown.Markdown | None = None
        self._settings: tuple[Any, Any] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(markdown, name)

    def Markdown(self, **settings: Any) -> markdown.Markdown:  # noqa: N802 (the name MkDocs calls)
        key = (settings.get("extensions"), settings.get("extension_configs"))
        if self._md is None or self._settings != key:
            self._md, self._settings = markdown.Markdown(**settings), key
            fastinline.install(self._md)
        else:
            self._md.reset()
        return self._md


def install() -> None:
    """From now on, the pages of a build share one converter (a new one from this call on)."""
    vars(_pages)["markdown"] = _ReusingMarkdownModule()


def uninstall() -> None:
    """Back to MkDocs' own behaviour: a new converter for every page."""
    vars(_pages)["markdown"] = markdown
