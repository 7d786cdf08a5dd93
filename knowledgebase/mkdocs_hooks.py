"""MkDocs event handlers; ``hooks/kb.py`` only forwards to these.

Imports :mod:`build`, :mod:`pages`, :mod:`links`, :mod:`nav`, :mod:`exports`, :mod:`neutral`, :mod:`schema`,
:mod:`exportjob`, :mod:`pagejob`, :mod:`search`, :mod:`security`, :mod:`mdreuse`, :mod:`incremental` and
:mod:`shards` (subset and sharded builds).
All state lives in :data:`STATE` and is reset in :func:`on_config`, because ``mkdocs serve`` keeps hook modules
loaded between rebuilds. The exceptions are caches compared by content, which cannot go stale:
:data:`incremental.MEMOS` (what the last build wrote), :data:`ABBREVIATIONS` and :data:`loader.VALIDATED`.
Validation runs in ``on_config``, before MkDocs cleans ``site/``, so a build with bad data
fails without leaving half a site behind.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_date
from mkdocs.utils import meta as front_matter

from . import atomic, incremental, mdreuse, pagejob
from .build import load_project
from .errors import DataError
from .exportjob import ExportJob
from .exports import export_paths, write_export_files
from .links import UnresolvedReference
from .nav import build_nav
from .neutral import PageFacts, finish_markdown, page_facts, theme_extra
from .pages import Site, render_pages
from .routes import route
from .schema import published_schemas
from .security import headers_file, inert_problem, theme_problem
from .shards import NATIONAL, SHARD_VARIABLE, Scope, link_out, scope_from_environ

log = logging.getLogger("mkdocs.plugins.knowledgebase")
review_log = logging.getLogger("knowledgebase.review")
if not review_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
    review_log.addHandler(_handler)
    review_log.propagate = False
STATE: dict[str, Any] = {}
DIRTY: dict[str, bool] = {"dirty": False}
"""Whether MkDocs was started with ``--dirty``, which a shard needs (set once, in ``on_startup``)."""


def on_startup(command: str, dirty: bool) -> None:
    """Remember the command: only ``mkdocs build`` writes into a temporary folder and swaps it in."""
    atomic.STATE["command"] = command
    DIRTY["dirty"] = dirty


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and validate everything, render the generated pages, and build the nav."""
    return _configure(config)


def _configure(config: MkDocsConfig) -> MkDocsConfig:
    _remove_export_folder()
    STATE.clear()
    mdreuse.install()
    pagejob.install()
    problem = theme_problem()
    if problem is not None:
        raise PluginError(problem)
    root = Path(config.config_file_path).resolve().parent
    try:
        project = load_project(root, docs_dir=Path(config.docs_dir))
    except DataError as err:
        raise PluginError("\n" + str(err)) from None
    index = project.index
    scope = _scope(index)
    site = Site(index, date.today())
    pages = [page for page in render_pages(site, wanted=scope.writes) if scope.holds(page.src_uri)]
    for entry in index.overdue_routines(site.today):
        # A warning for the editor, on its own logger so --strict does not turn it into an error.
        review_log.warning("Routine '%s' (%s) passed its review date %s; its owner (%s) must review it.",
                           entry.id, entry.page, entry.record.neste_revisjon, entry.record.eier or "not set")
    if not config.repo_url:
        # Without a repository there is nothing to edit on; keep MkDocs from warning about it.
        config.edit_uri = None
    STATE.update(site=site, index=index, pages=pages, scope=scope, facts=page_facts(site, pages))
    if not config.nav:
        config.nav = build_nav(index, {p.src_uri for p in pages}, scope.kommuner)
    # Last, so a build that fails validation has touched nothing: write into a temporary folder.
    atomic.start(config)
    # A shard decides itself which files it writes (see _limit_to_scope); incremental rebuilds are for serve.
    STATE["run"] = incremental.start(config.site_dir) if scope.shard is None else None

    config.extra.update(theme_extra(site))
    return config


def _scope(index: Any) -> Scope:
    """The scope KB_KOMMUNER and KB_SHARD ask for; a shard only in ``mkdocs build --dirty``."""
    try:
        scope = scope_from_environ(os.environ, [k.id for k in index.kommuner()])
    except ValueError as err:
        raise PluginError(str(err)) from None
    if scope.shard is not None and not (atomic.STATE["command"] == "build" and DIRTY["dirty"]):
        raise PluginError(f"{SHARD_VARIABLE} is set: a shard writes only its own files, which needs "
                          "`mkdocs build --dirty`; run scripts/build_sharded.py, or unset it")
    return scope


def _remove_export_folder() -> None:
    job: ExportJob | None = STATE.pop("export_job", None)
    if job is not None:
        job.stop()
    folder = STATE.pop("export_folder", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add every generated page as a virtual file whose edit link points at its YAML source."""
    for page in STATE.get("pages", []):
        existing = files.get_file_from_path(page.src_uri)
        if existing is not None:
            files.remove(existing)
        file = File.generated(config, page.src_uri, content=page.markdown)
        file.edit_uri = f"../{page.source_file}" if page.source_file else None
        files.append(file)
    index = STATE["index"]
    # The JSON Schema files are published too, so the data-format page can link to them.
    for name, content in published_schemas(index.root).items():
        files.append(File.generated(config, route("skjema", name=name[: -len(".schema.json")]), content=content))
    # Exports are files of the site too, so pages can link to them and MkDocs checks those links.
    scope: Scope = STATE["scope"]
    paths = [rel for rel in export_paths(index) if scope.holds(rel)]
    run = STATE.get("run")
    if run is not None and incremental.kept_output(run):
        # A dirty rebuild of a folder we built: the pages come first, on_post_build writes the exports in place.
        folder = Path(run.site_dir)
        STATE["deferred_exports"] = paths
    else:
        folder = Path(tempfile.mkdtemp(prefix="kb-export-"))
        STATE["export_folder"] = folder
        # Written by a second process while the pages are converted; on_env waits for it.
        STATE["export_job"] = ExportJob(index, folder, [rel for rel in paths if scope.writes(rel)], config.site_url)
    for rel in paths:
        files.append(File.generated(config, rel, abs_src_path=str(folder / rel)))
    files = _limit_to_scope(files, scope)
    STATE["files"] = files
    return files


def _limit_to_scope(files: Files, scope: Scope) -> Files:
    """Leave out the files of kommuner a subset build does not hold; in a shard, skip the files of other shards
    (``--dirty`` builds only files whose ``is_modified()`` is true) and remember which files are its own."""
    written = set()
    for file in list(files):
        if not scope.holds(file.src_uri):
            files.remove(file)
        elif not scope.writes(file.src_uri):
            file.is_modified = _unchanged  # type: ignore[method-assign]
        else:
            written.add(file.dest_uri)
    STATE["written"] = written
    return files


def _unchanged() -> bool:
    return False


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """Fingerprint each page's inputs, so a dirty build (``mkdocs serve --dirtyreload``) renders only changed pages."""
    run = STATE.get("run")
    if run is None:
        return nav
    STATE["processed"] = {}
    inputs = {file.src_uri: _page_inputs(file, config) for file in files.documentation_pages()}
    whole = incremental.digest(
        Path(config.config_file_path).read_text(encoding="utf-8") if config.config_file_path else "",
        config.site_url, config.repo_url, config.edit_uri, dict(config.extra), get_build_date(),
        incremental.theme_digest([config.theme.custom_dir] if config.theme.custom_dir else []),
        incremental.nav_outline(nav, files))
    incremental.choose(run, files, nav, whole, inputs)
    return nav


def _page_inputs(file: File, config: MkDocsConfig) -> str | None:
    """A hash of what the page's HTML is made from; None when unknown (the page is then always rebuilt)."""
    try:
        source = file.content_string
    except OSError:
        return None
    body, _ = front_matter.get_data(source)
    try:
        markdown = _processed_markdown(body, file.src_uri, config)
    except UnresolvedReference:
        return None  # on_page_markdown reports it
    STATE["processed"][file.src_uri] = (body, markdown)
    # mkdocstrings pages (':::') show the package's docstrings: their code is an input too.
    code = _package_digest() if "\n::: " in "\n" + body else ""
    return incremental.digest(file.src_uri, file.url, file.edit_uri or "", source, markdown, code,
                              _page_meta(file.src_uri, config))


def _package_digest() -> str:
    package = Path(__file__).parent
    return incremental.digest(*[p.read_text(encoding="utf-8") for p in sorted(package.glob("*.py"))])


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """Wait for the export files (MkDocs copies them next); give the pages a dirty build does not rebuild their title
    and anchors; remove output of removed pages."""
    pagejob.finish()
    job: ExportJob | None = STATE.pop("export_job", None)
    if job is not None:
        try:
            job.wait()
        except RuntimeError as err:
            raise PluginError(str(err)) from None
    run = STATE.get("run")
    if run is not None:
        incremental.complete(run, config, files)
    return env


def on_build_error(error: Exception) -> None:
    """Remove the temporary folders when the build fails; the old site stays as it was."""
    _remove_export_folder()
    pagejob.stop()
    incremental.failed(STATE.get("run"))
    atomic.finish_failed()


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Resolve references to relative links and add the glossary's abbreviations."""
    if STATE.get("index") is None:
        return markdown
    processed: dict[str, tuple[str, str]] = STATE.get("processed", {})
    done = processed.get(page.file.src_uri)
    if done is not None and done[0] == markdown:
        return done[1]  # already made in on_nav, from the same Markdown
    try:
        return _processed_markdown(markdown, page.file.src_uri, config)
    except UnresolvedReference as err:
        raise PluginError(str(err)) from None


def _processed_markdown(markdown: str, src_uri: str, config: MkDocsConfig) -> str:
    markdown = finish_markdown(STATE["site"], src_uri, markdown, _abbreviations)
    scope: Scope = STATE["scope"]
    if scope.is_subset:
        # `mkdocs serve` sets site_url to its own address; KB_SITE_URL (read by mkdocs.yml) names the full site.
        markdown = link_out(markdown, src_uri, scope, os.environ.get("KB_SITE_URL") or config.site_url or "/")
    if src_uri == route("sok") and atomic.STATE["command"] == "serve":
        note = STATE["site"].env.get_template("serve_search_note.md.j2").render()
        markdown = re.sub(r"(?m)^(# .*\n)", lambda mt: mt.group(1) + "\n" + note, markdown, count=1)
    return markdown


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Give each page the date its source last changed, and service pages schema.org JSON-LD."""
    page.meta.update(_page_meta(page.file.src_uri, config))
    return context


ABBREVIATIONS: dict[str, str] = {}
"""Digest of (the glossary's abbreviations, a page's Markdown) -> the page's abbreviation lines. A pure
function's results, so they cannot go stale; kept between the rebuilds of ``mkdocs serve``."""


def _abbreviations(markdown: str) -> str:
    """The page's abbreviation lines (:meth:`PageFacts.abbreviate`), kept by content between serve rebuilds."""
    facts: PageFacts = STATE["facts"]
    if "abbr_key" not in STATE:
        STATE["abbr_key"] = incremental.digest(facts.terms)
    key = incremental.digest(STATE["abbr_key"], markdown)
    found = ABBREVIATIONS.get(key)
    if found is None:
        if len(ABBREVIATIONS) > 20_000:
            ABBREVIATIONS.clear()
        found = ABBREVIATIONS[key] = facts.abbreviate(markdown)
    return found


def _page_meta(src_uri: str, config: MkDocsConfig) -> dict[str, str]:
    facts: PageFacts | None = STATE.get("facts")
    return facts.meta(src_uri, config.site_url or "") if facts is not None else {}


def _check_inert(output: str, where: str) -> str:
    problem = inert_problem(output, where)
    if problem is not None:
        raise PluginError(problem)
    return output


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Refuse a page that could run a script other than the theme's, or call another host."""
    return _check_inert(output, page.file.src_uri)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The same for pages made from theme templates alone, such as 404.html."""
    return _check_inert(output_content, template_name)


@event_priority(50)  # before kb_publish swaps the site into place (priority -100)
def on_post_build(config: MkDocsConfig) -> None:
    """Index the built pages for search (Pagefind); write the security headers."""
    from .search import write_search_index

    _remove_export_folder()
    site = Path(config.site_dir)
    scope: Scope = STATE.get("scope", Scope())
    if scope.shard not in (None, NATIONAL):
        _keep_only(site, STATE["written"])
        return
    if "deferred_exports" in STATE:
        write_export_files(STATE["index"], site, STATE["deferred_exports"], config.site_url)
    (site / "_headers").write_text(headers_file(), encoding="utf-8")
    run = STATE.get("run")
    if STATE.get("index") is not None:
        # mkdocs serve: an incremental rebuild keeps the search index of the first build (Pagefind reads every page).
        stale_ok = run is not None and run.incremental and atomic.STATE["command"] == "serve"
        try:
            # A shard's pages are indexed for search once, after the merge (scripts/merge_sites.py).
            write_search_index(site, STATE["index"], scope.kommuner, pagefind=not stale_ok and scope.shard is None)
        except RuntimeError as err:
            raise PluginError(str(err)) from None
    if run is not None and "files" in STATE:
        incremental.finish(run, STATE["files"])


def _keep_only(site: Path, written: set[str]) -> None:
    """Remove from a kommune shard's output what the national shard writes (the theme's 404 page, the sitemap)."""
    for path in sorted(site.rglob("*"), reverse=True):
        if path.is_file() and path.relative_to(site).as_posix() not in written:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
