"""Turn part of the pages' Markdown into HTML in a second process, on the machine's other core.

Imports nothing from the package (:mod:`exportjob` asks it :func:`fork_is_safe`). MkDocs reads and converts every
page, one after the other, before it renders any (``mkdocs.commands.build._populate_page``); at ten kommuner that is
about half of a build, on one core. When the first page is reached, :func:`install`'s stand-in forks a child that
converts a run of pages further down the list while the parent converts the pages before it. When the parent reaches
that run, it waits for the child and gives each of those pages what the child made: the Markdown after the hooks,
the metadata, the HTML, the table of contents, the title, the anchors and the links to anchors, and the log messages
(so ``--strict`` counts the child's warnings).
Then it goes on with the pages after the run. The run is contiguous and the parent takes it over in its place, so
every side effect happens in the same order as in one process; issue 14 keeps machinery like this only when the
benchmark shows it saves more than 5 % (``scripts/benchmark.py`` prints both builds).

The child is only a shortcut. A page that fails in the child, an answer the parent cannot read or a child that dies
means the parent converts the run itself, so an editor sees the same one message as without the child. Pages
MkDocs converts with plugin state the parent could not get back are never given to the child: mkdocstrings pages
(``::: name``), and any build where a plugin other than ours and mkdocs-autorefs (whose anchors and breadcrumbs the
parent records again) acts on pages while they are read. A build with other threads (the rebuilds of
``mkdocs serve``), a dirty build or a small site converts in one process, as MkDocs does.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.commands import build as _build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

FORK = True
"""Whether a build may convert part of its pages in a second process; ``scripts/hardening_cost.py`` turns it off,
so every step is timed in one process."""
MIN_PAGES = 200
"""Fewer pages than this are converted in one process: forking and sending the pages back would cost more."""
PAGE_FIELDS = ("markdown", "meta", "content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors")
"""What reading and converting a page sets on MkDocs' ``Page`` (1.6); a child that sets anything else is not used."""
STATS: dict[str, Any] = {}
"""What the last build did: ``child`` (the pages given to the child) and ``why`` (why one process, or why the parent
converted the child's pages after all)."""

_POPULATE: Callable[..., None] = _build._populate_page
"""MkDocs' own function, which the stand-in calls for every page the child does not convert."""
_ALLOWED = {("knowledgebase.mkdocs_hooks", "on_page_markdown"),
            ("mkdocs_autorefs._internal.plugin", "on_page_markdown"),
            ("mkdocs_autorefs._internal.plugin", "on_page_content")}
"""The handlers of the reading events (``pre_page`` to ``page_content``) a build may have and still fork."""


_Result = tuple[dict[str, Any], list[logging.LogRecord], list[tuple[Any, ...]]]
"""What the child made of one page: the page's changed fields, its log records, its autorefs anchors."""


@dataclass
class _Job:
    uris: set[str]
    process: Any
    path: Path
    results: dict[str, _Result] | None = None


_STATE: dict[str, Any] = {}


def install() -> None:
    """From now on (until :func:`uninstall`), a build may convert part of its pages in a child process."""
    stop()
    STATS.clear()
    _STATE["decided"] = False
    vars(_build)["_populate_page"] = _populate_page


def uninstall() -> None:
    """Back to MkDocs' own behaviour: every page in one process."""
    stop()
    vars(_build)["_populate_page"] = _POPULATE


def finish() -> None:
    """Every page is read: forget the child (``on_env``), so a later build in this process starts afresh."""
    _STATE["decided"] = True
    stop()


def stop() -> None:
    """Stop a child that still runs and remove its answer (the build failed or starts again)."""
    job: _Job | None = _STATE.pop("job", None)
    if job is None:
        return
    if job.process is not None and job.process.is_alive():
        job.process.terminate()
        job.process.join()
    job.path.unlink(missing_ok=True)


def _populate_page(page: Page, config: MkDocsConfig, files: Files, dirty: bool = False) -> None:
    if not _STATE.get("decided", True):
        _STATE["decided"] = True
        _STATE["job"] = _start(page, config, files, dirty)
    job: _Job | None = _STATE.get("job")
    if job is None or page.file.src_uri not in job.uris:
        _POPULATE(page, config, files, dirty)
        return
    if job.results is None:
        job.results = _collect(job)
    result = job.results.get(page.file.src_uri)
    if result is None:  # the child failed: the parent converts the rest of the run, and reports any error itself
        _POPULATE(page, config, files, dirty)
        return
    _adopt(page, config, files, *result)


def _autorefs(config: MkDocsConfig) -> Any:
    return config.plugins.get("autorefs")


def fork_is_safe() -> bool:
    """Whether this process may fork: the system can, and no other thread runs (as one does under ``mkdocs serve``
    once it serves), whose locks the child would inherit held."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _why_not(config: MkDocsConfig, dirty: bool) -> str | None:
    """Why this build converts its pages in one process, or None when it may fork."""
    if not FORK:
        return "turned off"
    if dirty:
        return "a dirty build converts only the changed pages"
    if not fork_is_safe():
        return "forking is not safe here (another thread runs, or the system cannot fork)"
    for event in ("pre_page", "page_read_source", "page_markdown", "page_content"):
        for handler in config.plugins.events[event]:
            name = (getattr(handler, "__module__", ""), getattr(handler, "__name__", ""))
            if name not in _ALLOWED:
                return f"the handler {name[0]}.{name[1]} of '{event}' may keep state the parent would not get"
    return None


def _run(files: Files, first: Page) -> tuple[list[File], range] | None:
    """The pages in MkDocs' order and the run the child converts, or None when no run is worth a fork.

    The run is contiguous and holds no mkdocstrings page; it is chosen so that the parent's pages before it take
    about as long as the run, which is when both processes finish together (the size of a page's source stands in
    for its time).
    """
    pages = list(files.documentation_pages(inclusion=InclusionLevel.is_included))
    if len(pages) < MIN_PAGES or pages[0] is not first.file:
        return None
    sizes, blocked = [], []
    for file in pages:
        text = file.content_string
        sizes.append(len(text) + 500)  # every page has a fixed cost too
        blocked.append("\n::: " in "\n" + text)
    before = [0]
    for size in sizes:
        before.append(before[-1] + size)
    total = before[-1]
    best: tuple[int, int, int] | None = None
    end = len(pages)
    for start in range(len(pages) - 1, 0, -1):  # the run starts at 'start' and ends at the next mkdocstrings page
        if blocked[start]:
            end = start
            continue
        span = before[end] - before[start]
        cost = max(before[start], span) + total - before[end]
        if best is None or cost < best[0]:
            best = (cost, start, end)
    if best is None or best[0] > 0.8 * total:
        return None
    return pages, range(best[1], best[2])


def _start(first: Page, config: MkDocsConfig, files: Files, dirty: bool) -> _Job | None:
    why = _why_not(config, dirty)
    chosen = None if why is not None else _run(files, first)
    if chosen is None:
        STATS["why"] = why or "too few pages, or no run of pages worth a second process"
        return None
    pages, run = chosen
    handle, name = tempfile.mkstemp(prefix="kb-pages-", suffix=".pickle")
    os.close(handle)
    path = Path(name)
    sys.stdout.flush()
    sys.stderr.flush()  # so the child does not write the parent's buffered output again
    process = multiprocessing.get_context("fork").Process(
        target=_child, args=([pages[i] for i in run], config, files, path), daemon=True)
    process.start()
    STATS["child"] = [pages[i].src_uri for i in run]
    return _Job({pages[i].src_uri for i in run}, process, path)


def _portable(record: logging.LogRecord) -> logging.LogRecord:
    """The record with its message made text, so it survives pickling."""
    record.msg = record.getMessage()
    record.args = None
    if record.exc_info:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
    return record


def _child(pages: list[File], config: MkDocsConfig, files: Files, path: Path) -> None:
    """Convert the pages; write what each page got, its log records and its autorefs anchors to ``path``."""
    records: list[logging.LogRecord] = []
    anchors: list[tuple[Any, ...]] = []
    logging.Logger.callHandlers = lambda self, record: records.append(_portable(record))  # type: ignore[method-assign]
    autorefs = _autorefs(config)
    if autorefs is not None:
        register = autorefs.register_anchor

        def recording(page: Any, identifier: str, anchor: str | None = None, *, title: str | None = None,
                      primary: bool = True) -> None:
            anchors.append((identifier, anchor, title, primary))
            register(page, identifier, anchor, title=title, primary=primary)

        autorefs.register_anchor = recording
    results: dict[str, _Result] = {}
    try:
        for file in pages:
            if file.page is None and file.inclusion.is_not_in_nav():  # type: ignore[no-untyped-call]
                Page(None, file, config)
            page = file.page
            assert page is not None
            before = dict(vars(page))
            del records[:], anchors[:]
            _POPULATE(page, config, files, False)
            changed = {name: value for name, value in vars(page).items()
                       if name not in before or before[name] is not value}
            unknown = set(changed) - set(PAGE_FIELDS)
            if unknown:
                raise RuntimeError(f"reading {file.src_uri} set {sorted(unknown)}, which the parent would not get")
            links = changed.get("links_to_anchors")
            if links is not None:
                changed["links_to_anchors"] = {target.src_uri: found for target, found in links.items()}
            results[file.src_uri] = (changed, list(records), list(anchors))
        with path.open("wb") as out:
            pickle.dump(results, out, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # the parent converts the pages itself and reports any error; the reason goes to debug
        path.write_text("".join(traceback.format_exc(limit=3)), encoding="utf-8")
        os._exit(1)
    os._exit(0)


def _collect(job: _Job) -> dict[str, _Result]:
    """Wait for the child; its pages, or nothing when it failed."""
    job.process.join()
    code, job.process = job.process.exitcode, None
    try:
        if code == 0:
            with job.path.open("rb") as answer:
                results: dict[str, Any] = pickle.load(answer)
            return results
        why = job.path.read_text(encoding="utf-8").strip() if job.path.exists() else ""
        STATS["why"] = f"the child failed (exit code {code}); the parent converted its pages: {why}"
        logging.getLogger("knowledgebase.pagejob").debug(STATS["why"])
        return {}
    except (OSError, pickle.UnpicklingError, EOFError) as err:
        STATS["why"] = f"the child's answer could not be read ({err}); the parent converted its pages"
        return {}
    finally:
        job.path.unlink(missing_ok=True)


def _adopt(page: Page, config: MkDocsConfig, files: Files, changed: dict[str, Any],
           records: list[logging.LogRecord], anchors: list[tuple[Any, ...]]) -> None:
    """Give the parent's page what the child made, in the order reading it would have."""
    links = changed.get("links_to_anchors")
    if links is not None:
        changed = dict(changed, links_to_anchors={files.get_file_from_path(uri): found for uri, found in links.items()})
    for name, value in changed.items():
        setattr(page, name, value)
    for record in records:
        logging.getLogger(record.name).handle(record)
    autorefs = _autorefs(config)
    if autorefs is not None:
        autorefs.on_page_markdown(page.markdown, page=page)
        for identifier, anchor, title, primary in anchors:
            autorefs.register_anchor(page, identifier, anchor, title=title, primary=primary)
        autorefs.on_page_content(page.content, page=page)
