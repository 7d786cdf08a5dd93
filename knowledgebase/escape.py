"""One escaping step per output. Data is untrusted text until it passes the step for its output.

Imports nothing from the package.

- Markdown pages (:func:`markdown_text`): every value a page template prints with ``{{ }}`` passes
  here unless it is already Markdown the engine made (:class:`markupsafe.Markup`). ``& < > " '`` become
  entities, so no text can become HTML, and ``{ }`` become entities, so no text can become an
  attribute list (``{ onclick=... }``). What the text says is shown as written.
- Link text from data (:func:`markdown_plain`, the ``plain`` filter): Markdown punctuation is escaped as well,
  so a title cannot become emphasis or a link inside a link.
- Front matter (:func:`front_matter_value`): written by the YAML dumper, never by hand-quoting.
- Theme HTML (``overrides/main.html``): titles and meta tags go through ``striptags | e`` there
  (tags stripped, entities decoded once, then escaped), because MkDocs' theme templates do not
  escape and Material's ``striptags`` alone turns entities back into markup.
- JSON-LD (:func:`json_for_script`): JSON with ``< > &`` written as ``\\u003c`` and so on.
- CSV and Excel: :mod:`knowledgebase.spreadsheet`.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from markupsafe import Markup, escape

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter where it is installed


def markdown_text(value: Any) -> Markup:
    """Plain data as inert Markdown source (Jinja's ``finalize`` for page templates)."""
    if isinstance(value, Markup):
        return value
    return Markup(str(escape("" if value is None else str(value))).replace("{", "&#123;").replace("}", "&#125;"))


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]()!|])")


def markdown_plain(value: Any) -> Markup:
    """Plain data that Markdown shows as written even where it reads punctuation, such as a link's text:
    its emphasis, code, link, image and table characters are backslash-escaped, then :func:`markdown_text` applies."""
    return markdown_text(_MARKDOWN_PUNCTUATION.sub(r"\\\1", "" if value is None else str(value)))


def front_matter_value(value: Any) -> Markup:
    """One front-matter value, written by the YAML dumper on a single line."""
    text = yaml.dump(str(value), Dumper=_DUMPER, allow_unicode=True, default_style='"', width=1_000_000).strip()
    return Markup(text.removesuffix("\n..."))


def json_for_script(data: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` element: nothing in it can close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
