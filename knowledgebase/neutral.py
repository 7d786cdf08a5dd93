"""The engine-neutral tree: the whole site as plain Markdown and files that any MkDocs-like engine builds.

Imports :mod:`build`, :mod:`pages`, :mod:`links`, :mod:`nav`, :mod:`exports`, :mod:`schema`, :mod:`jsonld`,
:mod:`escape`, :mod:`gitdates`, :mod:`security` and :mod:`search`; never MkDocs. Our MkDocs hooks call
:func:`finish_markdown`, :func:`page_meta` and :func:`theme_extra` on every build; :func:`write_tree` (``python -m
knowledgebase export OUT``) calls the same functions once and writes what they return, so plain MkDocs, ProperDocs
or Zensical, which run none of our hooks, build the same pages from ``OUT/mkdocs.yml``. :func:`finish_site`
(``python -m knowledgebase finish SITE``) then does what the hooks do after rendering. ``docs/utvikler/motorer.md``
says which engines are tested and what moving the main build onto this tree would change.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from . import exports
from .build import Project
from .escape import json_for_script
from .gitdates import last_changed
from .index import Entry, Index
from .jsonld import jsonld_for_service
from .links import abbreviation_terms, abbreviations, resolve_markdown
from .nav import build_nav
from .pages import GeneratedPage, Site, decorate, render_pages
from .routes import route
from .schema import published_schemas
from .security import content_security_policy, headers_file, inert_problem

FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
"""A page's front matter, by the rule MkDocs and its forks read it with."""

HOOK_KEYS = ("hooks", "watch")
"""Keys of the project's mkdocs.yml that only our hooks' build needs; the tree's config leaves them out."""

EDIT_KEYS = ("edit_uri",)
"""Edit links would point at the tree's files, not at the YAML or Markdown an editor changes; left out."""


def finish_markdown(site: Site, src_uri: str, markdown: str, abbreviate: Callable[[str], str]) -> str:
    """A page's Markdown (without front matter) as the engine renders it: decorated, with every reference a
    relative link and the abbreviation lines ``abbreviate`` gives for it appended (:meth:`PageFacts.abbreviate`,
    or a cached form of it). Raises :class:`links.UnresolvedReference`."""
    markdown = decorate(site, src_uri, markdown)
    markdown = resolve_markdown(markdown, src_uri, site.index)
    abbr = abbreviate(markdown)
    return markdown + "\n\n" + abbr + "\n" if abbr else markdown


def theme_extra(site: Site) -> dict[str, Any]:
    """The ``extra`` values the theme overrides read: the Content-Security-Policy and the crisis lines."""
    return {
        "kb_csp": content_security_policy(meta=True),
        "kb_crisis": [{"navn": e.record.navn, "nummer": e.record.nummer, "tel": e.record.nummer.replace(" ", "")}
                      for e in site.crisis_lines],
    }


def source_files(site: Site, pages: list[GeneratedPage]) -> dict[str, str]:
    """Each page's source file relative to the project (its YAML for a generated page), by page path."""
    sources = {p.src_uri: p.source_file for p in pages if p.source_file}
    sources.update({p.src_uri: f"docs/{p.src_uri}" for p in site.index.pages})
    return sources


@dataclass(frozen=True)
class PageFacts:
    """What finishing a page needs besides the page itself, worked out once per build (:func:`page_facts`)."""

    site: Site
    changed: dict[str, date]
    """When each page's source last changed (git), by page path."""
    terms: dict[str, str]
    """The glossary's abbreviations."""
    services: dict[str, Entry[Any]]
    """The service each service page shows, by page path."""

    def abbreviate(self, markdown: str) -> str:
        """The abbreviation lines for a page's Markdown (:func:`links.abbreviations`)."""
        return abbreviations(self.site.index, markdown, self.terms)

    def meta(self, src_uri: str, site_url: str) -> dict[str, str]:
        """The front matter the theme overrides read: when the page's source last changed, a service page's
        schema.org JSON-LD, and the kommune of a page under ``kommuner/<kommune>/`` (a search filter)."""
        meta = {}
        parts = src_uri.split("/")
        if len(parts) > 2 and parts[0] == "kommuner":
            meta["kb_kommune"] = parts[1]
        if src_uri in self.changed:
            meta["kb_updated"] = self.changed[src_uri].strftime("%d.%m.%Y")
        entry = self.services.get(src_uri)
        if entry is not None:
            meta["kb_jsonld"] = json_for_script(jsonld_for_service(self.site.index, entry, site_url))
        return meta


def page_facts(site: Site, pages: list[GeneratedPage]) -> PageFacts:
    """The facts of :class:`PageFacts` for the hand-written pages and the generated ``pages``."""
    index = site.index
    changed_files = last_changed(index.root)
    changed = {src: changed_files[f] for src, f in source_files(site, pages).items() if f in changed_files}
    return PageFacts(site, changed, abbreviation_terms(index), {e.page: e for e in index.of_type("tjeneste")})


def write_tree(project: Project, out: Path, today: date | None = None) -> int:
    """Write the engine-neutral tree into the empty folder ``out``; return the number of files written.

    ``out/docs`` holds every page (hand-written and generated, finished by :func:`finish_markdown`), the
    project's other files under ``docs/`` (assets), the export files and the JSON Schema files the pages link
    to; ``out/overrides`` the theme overrides; ``out/mkdocs.yml`` the project's configuration without hooks,
    with the nav and the theme's ``extra`` values written out. A project without ``mkdocs.yml`` gets the
    ``docs`` folder only.
    """
    index = project.index
    site = Site(index, today or date.today())
    generated = render_pages(site)
    config_file = project.root / "mkdocs.yml"
    config = read_config(config_file) if config_file.exists() else None
    site_url = _plain(config.get("site_url")) if config else ""
    docs = out / "docs"
    written = _write_pages(site, generated, docs, site_url)
    written += exports.write_export_files(index, docs)
    for name, content in published_schemas(project.root).items():
        _write(docs / route("skjema", name=name.removesuffix(".schema.json")), content)
        written += 1
    for path in sorted((project.root / "docs").rglob("*")):
        if path.is_file() and path.suffix != ".md":
            _write(docs / path.relative_to(project.root / "docs"), path.read_bytes())
            written += 1
    if config is None:
        return written
    overrides = project.root / "overrides"
    if overrides.is_dir():
        shutil.copytree(overrides, out / "overrides", ignore=shutil.ignore_patterns("__pycache__"))
        written += sum(1 for p in (out / "overrides").rglob("*") if p.is_file())
    config = engine_config(config, build_nav(index, {p.src_uri for p in generated}), theme_extra(site),
                           project.root)
    _write(out / "mkdocs.yml", dump_config(config).encode("utf-8"))
    return written + 1


def _write_pages(site: Site, generated: list[GeneratedPage], docs: Path, site_url: str) -> int:
    texts = {p.src_uri: p.path.read_text(encoding="utf-8") for p in site.index.pages}
    # A generated page replaces a hand-written one of the same path, as in the hooks' build.
    texts.update({p.src_uri: p.markdown for p in generated})
    facts = page_facts(site, generated)
    for src_uri, text in sorted(texts.items()):
        match = FRONT_MATTER.match(text)
        # MkDocs drops the blank lines after the front matter too.
        head, body = (match.group(1), text[match.end():].lstrip("\n")) if match else ("", text)
        meta = facts.meta(src_uri, site_url)
        if meta:
            head += yaml.safe_dump({k: str(v) for k, v in meta.items()}, allow_unicode=True, width=1 << 16)
        page = finish_markdown(site, src_uri, body, facts.abbreviate)
        _write(docs / src_uri, (f"---\n{head}---\n" if head else "").encode("utf-8") + page.encode("utf-8"))
    return len(texts)


def _write(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


def finish_site(index: Index, site_dir: Path) -> list[str]:
    """After an engine built the tree into ``site_dir``: what our hooks do once the pages are HTML.

    Checks that every page is inert (:func:`security.inert_problem`, as ``on_post_page`` does); if all are,
    writes the security headers (``_headers``) and the search index (Pagefind, ``assets/sokeord.json``), as
    ``on_post_build`` does. Returns one line per unsafe page, and then writes nothing. Raises ``RuntimeError``
    when Pagefind fails.
    """
    from .search import write_search_index

    problems = [problem for path in sorted(site_dir.rglob("*.html"))
                if (problem := inert_problem(path.read_text(encoding="utf-8"),
                                             path.relative_to(site_dir).as_posix())) is not None]
    if problems:
        return problems
    (site_dir / "_headers").write_text(headers_file(), encoding="utf-8")
    write_search_index(site_dir, index)
    return []


class _Tagged:
    """A YAML value under a tag only MkDocs resolves (``!ENV``, ``!!python/...``), kept as written."""

    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Tagged) and (self.tag, self.value) == (other.tag, other.value)

    def __repr__(self) -> str:
        return f"_Tagged({self.tag!r}, {self.value!r})"


class _KeepTags(yaml.SafeLoader):
    """Reads mkdocs.yml and keeps its tags as :class:`_Tagged`, so they are written back unchanged."""


def _keep_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    if isinstance(node, yaml.MappingNode):
        return _Tagged(node.tag, loader.construct_mapping(node, deep=True))
    if isinstance(node, yaml.SequenceNode):
        return _Tagged(node.tag, loader.construct_sequence(node, deep=True))
    return _Tagged(node.tag, loader.construct_scalar(node))  # type: ignore[arg-type]


_KeepTags.add_multi_constructor("!", _keep_tag)
_KeepTags.add_multi_constructor("tag:yaml.org,2002:python/", _keep_tag)


class _WriteTags(yaml.SafeDumper):
    """Writes :class:`_Tagged` values back under their tags."""


def _represent_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value, flow_style=True)
    return dumper.represent_scalar(data.tag, data.value)


_WriteTags.add_representer(_Tagged, _represent_tagged)


def read_config(path: Path) -> dict[str, Any]:
    """The project's mkdocs.yml as a dict; ``!ENV`` and ``!!python`` values stay tagged, unresolved."""
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=_KeepTags)  # noqa: S506 (a loader of safe types)
    return dict(config or {})


def _plain(value: Any) -> str:
    """A config value as text; an ``!ENV [NAME, default]`` is read from the environment as MkDocs would."""
    if isinstance(value, _Tagged) and value.tag == "!ENV":
        names = value.value if isinstance(value.value, list) else [value.value]
        for name in names[:-1] if len(names) > 1 else names:
            if name in os.environ:
                return os.environ[name]
        return str(names[-1]) if len(names) > 1 else ""
    return "" if value is None else str(value)


def engine_config(config: dict[str, Any], nav: list[Any], extra: dict[str, Any], root: Path) -> dict[str, Any]:
    """The project's configuration for the tree: no hooks, no edit links, the nav and ``extra`` written out, and
    the folders mkdocstrings reads the package from made absolute (``root``: the project's folder)."""
    config = {k: v for k, v in config.items() if k not in HOOK_KEYS + EDIT_KEYS}
    config["nav"] = nav
    config["extra"] = {**config.get("extra", {}), **extra}
    config["plugins"] = [_code_paths_from(root, plugin) for plugin in config.get("plugins", [])]
    return config


def _code_paths_from(root: Path, plugin: Any) -> Any:
    """A plugin entry with mkdocstrings' handler ``paths`` resolved against ``root`` (the tree is elsewhere)."""
    if not isinstance(plugin, dict) or not isinstance(plugin.get("mkdocstrings"), dict):
        return plugin
    options = plugin["mkdocstrings"]
    handlers = {name: {**handler, "paths": [str((root / p).resolve()) for p in handler["paths"]]}
                if isinstance(handler, dict) and "paths" in handler else handler
                for name, handler in options.get("handlers", {}).items()}
    return {"mkdocstrings": {**options, "handlers": handlers}}


def dump_config(config: dict[str, Any]) -> str:
    """The tree's mkdocs.yml as text, its first lines saying what wrote it."""
    text = yaml.dump(config, Dumper=_WriteTags, allow_unicode=True, sort_keys=False, width=1 << 16)
    return ("# Written by `python -m knowledgebase export`: the site as plain Markdown, for any engine that reads\n"
            "# mkdocs.yml (MkDocs, ProperDocs, Zensical). No hooks: references, backlinks and generated pages are\n"
            "# already in docs/. Edit the project, not this file.\n" + text)
