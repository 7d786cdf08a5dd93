"""Incremental rebuilds for ``mkdocs serve --dirtyreload``: rebuild only the pages whose inputs changed.

Imports nothing from the package (only MkDocs). MkDocs' dirty build renders a page only when its
file says it is modified; for our generated pages that is always, for hand-written ones it is a file
time, and neither knows that a page shows a record or a backlink. Here each page gets a fingerprint
of everything its HTML is made from: its source text, its Markdown after the hooks (references
resolved to the titles and addresses of their targets, backlinks, facts boxes, abbreviations) and
what ``on_page_context`` adds. A fingerprint that is unchanged means the page's output is unchanged.
What every page shares (the configuration, the nav, the theme overrides, the build date) has one
fingerprint of its own; when it changes, every page is rebuilt.

The one piece of state that outlives a build is :data:`MEMOS`: for each site folder, what the last
successful build wrote into it (the fingerprints, and the title and anchors of each page, which a
page that is not rebuilt cannot tell otherwise). It cannot go stale: it is keyed by the folder,
compared by content hashes, dropped when a build fails after writing began, and ignored when MkDocs
cleaned the folder (a build without ``--dirty``). Everything else is reset in ``on_config``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.knowledgebase")


@dataclass
class PageMemo:
    """What a page's last output was made from, and what other pages need to know of it."""

    inputs: str | None
    title: str | None
    anchors: set[str] | None
    links: dict[str, dict[str, str]]


@dataclass
class Memo:
    """What the last successful build wrote into one site folder."""

    whole: str
    pages: dict[str, PageMemo]
    outputs: set[str]


MEMOS: dict[str, Memo] = {}
"""Site folder -> what the last successful build wrote there (see the module docstring)."""


@dataclass
class Run:
    """The decisions of the build in progress."""

    site_dir: str
    previous: Memo | None
    whole: str = ""
    inputs: dict[str, str | None] = field(default_factory=dict)
    rebuilt: set[str] = field(default_factory=set)
    in_nav: set[str] = field(default_factory=set)
    incremental: bool = False
    writing: bool = False


def digest(*parts: object) -> str:
    """A hash of the given parts, each turned into text (JSON where it is not text)."""
    sha = hashlib.sha256()
    for part in parts:
        text = part if isinstance(part, str) else json.dumps(part, sort_keys=True, default=str, ensure_ascii=False)
        sha.update(text.encode("utf-8", "surrogatepass"))
        sha.update(b"\0")
    return sha.hexdigest()


class _DirtyWarningFilter(logging.Filter):
    """Drop MkDocs' warning that a dirty build gives inaccurate navigation: our dirty builds are exact (a serve
    rebuild renders every page whose inputs changed; a shard writes its own files with the whole site's nav),
    and in strict mode the warning would stop each of them."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


_build_logger = logging.getLogger("mkdocs.commands.build")
if not any(isinstance(f, _DirtyWarningFilter) for f in _build_logger.filters):
    _build_logger.addFilter(_DirtyWarningFilter())


def start(site_dir: str) -> Run:
    """Begin a build into ``site_dir``: take what the last build there left (given back if this one fails early)."""
    key = os.path.abspath(site_dir)
    return Run(site_dir=key, previous=MEMOS.pop(key, None))


def kept_output(run: Run) -> bool:
    """Whether the folder still holds the last build's output: MkDocs has not cleaned it (a dirty build).

    Ask after MkDocs would have cleaned it (from ``on_files`` on); cleaning keeps only hidden files.
    """
    if run.previous is None or not os.path.isdir(run.site_dir):
        return False
    return any(not name.startswith(".") for name in os.listdir(run.site_dir))


def theme_digest(folders: Iterable[str]) -> str:
    """A hash of every file in the theme overrides (their templates shape every page)."""
    sha = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                sha.update(path.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


def nav_outline(nav: Navigation, files: Files) -> list[Any]:
    """The nav as plain data (titles given in the config, addresses), and every page's address."""

    def outline(items: Iterable[Any]) -> list[Any]:
        out: list[Any] = []
        for item in items:
            if isinstance(item, Section):
                out.append(["section", item.title, outline(item.children)])
            elif isinstance(item, Link):
                out.append(["link", item.title, item.url])
            elif isinstance(item, Page):
                out.append(["page", item.title, item.file.src_uri])
        return out

    return [outline(nav.items), sorted((f.src_uri, f.url) for f in files.documentation_pages())]


def choose(run: Run, files: Files, nav: Navigation, whole: str, inputs: dict[str, str | None]) -> None:
    """Decide which pages to rebuild, and tell MkDocs through each page file's ``is_modified``.

    A page is rebuilt when its fingerprint changed or is unknown (None), or when anything every page
    shares changed. MkDocs asks ``is_modified`` only in a dirty build; a clean build renders every page.
    """
    previous = run.previous
    run.whole, run.inputs = whole, inputs
    run.in_nav = {page.file.src_uri for page in nav.pages}
    run.incremental = previous is not None and previous.whole == whole and kept_output(run)
    for file in files.documentation_pages():
        before = previous.pages.get(file.src_uri) if run.incremental and previous else None
        now = inputs.get(file.src_uri)
        modified = before is None or now is None or before.inputs != now
        if modified:
            run.rebuilt.add(file.src_uri)
        file.is_modified = _constant(modified)  # type: ignore[method-assign]
    if run.incremental:
        log.info("Rebuilding %d of %d pages", len(run.rebuilt), len(inputs))


def _constant(value: bool) -> Any:
    return lambda: value


def complete(run: Run, config: Any, files: Files) -> None:
    """After MkDocs read the pages it rebuilds: give the others what the nav and link checks need.

    A page that is not rebuilt gets its source and front matter read, and its title and anchors from
    the last build. If a rebuilt page's title changed, every page shows it in the nav: then every page
    is read and rebuilt (a page outside the nav shows its title only on itself). Output of pages that no
    longer exist is removed.
    """
    from mkdocs.commands.build import _populate_page

    previous = run.previous
    pages = [f.page for f in files.documentation_pages() if f.page is not None]
    if run.incremental and previous is not None:
        retitled = [p.file.src_uri for p in pages if p.file.src_uri in run.rebuilt and p.file.src_uri in run.in_nav
                    and (memo := previous.pages.get(p.file.src_uri)) is not None and memo.title != p.title]
        if retitled:
            log.info("Title of %s changed: rebuilding every page", retitled[0])
            for page in pages:
                if page.markdown is None:
                    _populate_page(page, config, files)
                run.rebuilt.add(page.file.src_uri)
                page.file.is_modified = _constant(True)  # type: ignore[method-assign]
        for page in pages:
            if page.markdown is None:
                memo = previous.pages[page.file.src_uri]
                page.read_source(config)
                page._title_from_render = memo.title
                page.content = ""  # read but not rendered: its output on disk is still right
                page.present_anchor_ids = set(memo.anchors) if memo.anchors is not None else None
                page.links_to_anchors = {target: dict(links) for uri, links in memo.links.items()
                                         if (target := files.get_file_from_path(uri)) is not None}
    if previous is not None:
        _remove_outputs(run.site_dir, previous.outputs - _outputs(files))
    run.writing = True


def _outputs(files: Files) -> set[str]:
    return {os.path.abspath(f.abs_dest_path) for f in files}


def _remove_outputs(site_dir: str, stale: set[str]) -> None:
    """Remove files a page or export no longer present wrote, and folders left empty."""
    for path in sorted(stale):
        if os.path.isfile(path):
            os.remove(path)
            folder = os.path.dirname(path)
            while folder.startswith(site_dir + os.sep) and os.path.isdir(folder) and not os.listdir(folder):
                os.rmdir(folder)
                folder = os.path.dirname(folder)


def finish(run: Run, files: Files) -> None:
    """Remember what this build wrote, for the next build into the same folder."""
    pages: dict[str, PageMemo] = {}
    for file in files.documentation_pages():
        page = file.page
        if page is None:
            continue
        links = {target.src_uri: dict(anchors) for target, anchors in (page.links_to_anchors or {}).items()}
        anchors = set(page.present_anchor_ids) if page.present_anchor_ids is not None else None
        pages[file.src_uri] = PageMemo(run.inputs.get(file.src_uri), page.title, anchors, links)
    MEMOS[run.site_dir] = Memo(run.whole, pages, _outputs(files))


def failed(run: Run | None) -> None:
    """A failed build: before anything was written the folder is as the last build left it; after, it is not."""
    if run is None or run.site_dir in MEMOS:
        return
    if not run.writing and run.previous is not None:
        MEMOS[run.site_dir] = run.previous
