"""MkDocs event handlers; ``hooks/kb.py`` only forwards to these.

Imports :mod:`build`, :mod:`pages`, :mod:`links`, :mod:`nav`, :mod:`exports`, :mod:`jsonld`,
:mod:`search`, :mod:`security` and :mod:`shards` (subset and sharded builds). All state lives in
:data:`STATE` and is reset in :func:`on_config`, because ``mkdocs serve`` keeps hook modules loaded between rebuilds.
Validation runs in ``on_config``, before MkDocs cleans ``site/``, so a build with bad data
fails without leaving half a site behind.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from . import atomic
from .build import load_project
from .errors import DataError
from .escape import json_for_script
from .exports import export_paths, write_export_files
from .gitdates import last_changed
from .jsonld import jsonld_for_service
from .links import UnresolvedReference, abbreviation_terms, abbreviations, resolve_markdown
from .nav import build_nav
from .pages import Site, decorate, render_pages
from .routes import route
from .security import content_security_policy, headers_file, theme_problem, unsafe_markup
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


class _ShardDirtyFilter(logging.Filter):
    """Drop MkDocs' warning about ``--dirty`` in a shard: it writes into a new, empty folder on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (STATE.get("scope", Scope()).shard is not None
                    and record.getMessage().startswith("A 'dirty' build is being performed"))


logging.getLogger("mkdocs.commands.build").addFilter(_ShardDirtyFilter())


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
    changed = last_changed(root)
    sources = {p.src_uri: p.source_file for p in pages}
    sources.update({p.src_uri: f"docs/{p.src_uri}" for p in index.pages})
    STATE.update(site=site, index=index, pages=pages, scope=scope,
                 changed={src: changed[f] for src, f in sources.items() if f and f in changed},
                 abbr=abbreviation_terms(index), services={e.page: e for e in index.of_type("tjeneste")})
    if not config.nav:
        config.nav = build_nav(index, {p.src_uri for p in pages}, scope.kommuner)
    # Last, so a build that fails validation has touched nothing: write into a temporary folder.
    atomic.start(config)

    config.extra["kb_csp"] = content_security_policy(meta=True)
    config.extra["kb_crisis"] = [
        {"navn": e.record.navn, "nummer": e.record.nummer, "tel": e.record.nummer.replace(" ", "")}
        for e in site.crisis_lines
    ]
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
    # The JSON Schema files are published too, so the data-format page can link to them. The committed
    # files are copied (a test keeps them in step with the models); a project without them gets them made.
    committed = index.root / "schema"
    if committed.is_dir():
        for path in sorted(committed.glob("*.schema.json")):
            files.append(File.generated(config, route("skjema", name=path.name[: -len(".schema.json")]),
                                        abs_src_path=str(path)))
    else:
        from .schema import all_schemas

        for name, text in all_schemas().items():
            files.append(File.generated(config, route("skjema", name=name[: -len(".schema.json")]),
                                        content=text.encode("utf-8")))
    # Exports are files of the site too, so pages can link to them and MkDocs checks those links.
    folder = Path(tempfile.mkdtemp(prefix="kb-export-"))
    STATE["export_folder"] = folder
    scope: Scope = STATE["scope"]
    paths = [rel for rel in export_paths(index) if scope.holds(rel)]
    write_export_files(index, folder, [rel for rel in paths if scope.writes(rel)], config.site_url)
    for rel in paths:
        files.append(File.generated(config, rel, abs_src_path=str(folder / rel)))
    return _limit_to_scope(files, scope)


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


def on_build_error(error: Exception) -> None:
    """Remove the temporary folders when the build fails; the old site stays as it was."""
    _remove_export_folder()
    atomic.finish_failed()


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Resolve references to relative links and add the glossary's abbreviations."""
    index = STATE.get("index")
    if index is None:
        return markdown
    markdown = decorate(STATE["site"], page.file.src_uri, markdown)
    try:
        markdown = resolve_markdown(markdown, page.file.src_uri, index)
    except UnresolvedReference as err:
        raise PluginError(str(err)) from None
    scope: Scope = STATE["scope"]
    if scope.is_subset:
        # `mkdocs serve` sets site_url to its own address; KB_SITE_URL (read by mkdocs.yml) names the full site.
        markdown = link_out(markdown, page.file.src_uri, scope, os.environ.get("KB_SITE_URL") or config.site_url or "/")
    abbr = abbreviations(index, markdown, STATE.get("abbr"))
    if abbr:
        markdown += "\n\n" + abbr + "\n"
    return markdown


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Give each page the date its source last changed, and service pages schema.org JSON-LD."""
    changed = STATE.get("changed", {}).get(page.file.src_uri)
    if changed is not None:
        page.meta["kb_updated"] = changed.strftime("%d.%m.%Y")
    entry = STATE.get("services", {}).get(page.file.src_uri)
    if entry is not None:
        data = jsonld_for_service(STATE["index"], entry, config.site_url or "")
        page.meta["kb_jsonld"] = json_for_script(data)
    return context


def _check_inert(output: str, where: str) -> str:
    problems = unsafe_markup(output)
    if problems:
        raise PluginError(f"{where}: the page is not safe to publish: {'; '.join(sorted(set(problems)))}. "
                          "Remove the script, event attribute or outside address from the data or page behind it.")
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
    (site / "_headers").write_text(headers_file(), encoding="utf-8")
    if STATE.get("index") is not None:
        try:
            # A shard's pages are indexed for search once, after the merge (scripts/merge_sites.py).
            write_search_index(site, STATE["index"], scope.kommuner, pagefind=scope.shard is None)
        except RuntimeError as err:
            raise PluginError(str(err)) from None


def _keep_only(site: Path, written: set[str]) -> None:
    """Remove from a kommune shard's output what the national shard writes (the theme's 404 page, the sitemap)."""
    for path in sorted(site.rglob("*"), reverse=True):
        if path.is_file() and path.relative_to(site).as_posix() not in written:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
