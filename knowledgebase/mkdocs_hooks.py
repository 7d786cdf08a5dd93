"""MkDocs event handlers; ``hooks/kb.py`` only forwards to these.

Imports :mod:`build`, :mod:`pages`, :mod:`links`, :mod:`nav`, :mod:`exports`, :mod:`neutral`, :mod:`schema`,
:mod:`search` and :mod:`security`. All state lives in :data:`STATE` and is reset in
:func:`on_config`, because ``mkdocs serve`` keeps hook modules loaded between rebuilds.
Validation runs in ``on_config``, before MkDocs cleans ``site/``, so a build with bad data
fails without leaving half a site behind.
"""

from __future__ import annotations

import logging
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
from .exports import export_paths, write_export_files
from .gitdates import last_changed
from .links import UnresolvedReference, abbreviation_terms
from .nav import build_nav
from .neutral import finish_markdown, page_meta, source_files, theme_extra
from .pages import Site, render_pages
from .routes import route
from .schema import published_schemas
from .security import headers_file, inert_problem, theme_problem

log = logging.getLogger("mkdocs.plugins.knowledgebase")
review_log = logging.getLogger("knowledgebase.review")
if not review_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
    review_log.addHandler(_handler)
    review_log.propagate = False
STATE: dict[str, Any] = {}


def on_startup(command: str, dirty: bool) -> None:
    """Remember the command: only ``mkdocs build`` writes into a temporary folder and swaps it in."""
    atomic.STATE["command"] = command


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
    site = Site(index, date.today())
    pages = render_pages(site)
    for entry in index.overdue_routines(site.today):
        # A warning for the editor, on its own logger so --strict does not turn it into an error.
        review_log.warning("Routine '%s' (%s) passed its review date %s; its owner (%s) must review it.",
                           entry.id, entry.page, entry.record.neste_revisjon, entry.record.eier or "not set")
    if not config.repo_url:
        # Without a repository there is nothing to edit on; keep MkDocs from warning about it.
        config.edit_uri = None
    changed = last_changed(root)
    sources = source_files(site, pages)
    STATE.update(site=site, index=index, pages=pages,
                 changed={src: changed[f] for src, f in sources.items() if f and f in changed},
                 abbr=abbreviation_terms(index), services={e.page: e for e in index.of_type("tjeneste")})
    if not config.nav:
        config.nav = build_nav(index, {p.src_uri for p in pages})
    # Last, so a build that fails validation has touched nothing: write into a temporary folder.
    atomic.start(config)

    config.extra.update(theme_extra(site))
    return config


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
    # The JSON Schema files are published too, so the data-format page can link to them.
    for name, content in published_schemas(index.root).items():
        files.append(File.generated(config, route("skjema", name=name[: -len(".schema.json")]), content=content))
    # Exports are files of the site too, so pages can link to them and MkDocs checks those links.
    folder = Path(tempfile.mkdtemp(prefix="kb-export-"))
    STATE["export_folder"] = folder
    paths = export_paths(index)
    write_export_files(index, folder, paths, config.site_url)
    for rel in paths:
        files.append(File.generated(config, rel, abs_src_path=str(folder / rel)))
    return files


def on_build_error(error: Exception) -> None:
    """Remove the temporary folders when the build fails; the old site stays as it was."""
    _remove_export_folder()
    atomic.finish_failed()


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Resolve references to relative links and add the glossary's abbreviations."""
    index = STATE.get("index")
    if index is None:
        return markdown
    try:
        return finish_markdown(STATE["site"], page.file.src_uri, markdown, STATE.get("abbr"))
    except UnresolvedReference as err:
        raise PluginError(str(err)) from None


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Give each page the date its source last changed, and service pages schema.org JSON-LD."""
    if "index" in STATE:
        page.meta.update(page_meta(STATE["index"], page.file.src_uri, STATE["changed"], STATE["services"],
                                   config.site_url or ""))
    return context


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
    (site / "_headers").write_text(headers_file(), encoding="utf-8")
    if STATE.get("index") is not None:
        try:
            write_search_index(site, STATE["index"])
        except RuntimeError as err:
            raise PluginError(str(err)) from None
