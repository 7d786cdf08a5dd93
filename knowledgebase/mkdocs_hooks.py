"""MkDocs event handlers; ``hooks/kb.py`` only forwards to these.

Imports :mod:`build`, :mod:`pages`, :mod:`links`, :mod:`nav` and :mod:`exportjob`. All state
lives in :data:`STATE` and is reset in :func:`on_config`, because ``mkdocs serve`` keeps hook
modules loaded between rebuilds. Validation runs in ``on_config``, before MkDocs cleans
``site/``, so a build with bad data fails without leaving half a site behind.
"""

from __future__ import annotations

import gc
import time

_IMPORT_START = time.perf_counter()
_COLLECTING = gc.isenabled()
gc.disable()  # while the imports below build their classes (see _engine_hook)

import functools  # noqa: E402 - the imports below are timed
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402

from .build import load_project  # noqa: E402
from .errors import DataError  # noqa: E402
from .exportjob import ExportJob  # noqa: E402
from .jsonld import jsonld_for_service  # noqa: E402
from .links import UnresolvedReference, abbreviation_terms, abbreviations, resolve_markdown  # noqa: E402
from .nav import build_nav  # noqa: E402
from .pages import PageBuilder  # noqa: E402

log = logging.getLogger("mkdocs.plugins.knowledgebase")
review_log = logging.getLogger("knowledgebase.review")
if not review_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
    review_log.addHandler(_handler)
    review_log.propagate = False
STATE: dict[str, Any] = {}
TIMINGS: dict[str, float] = {}
"""Seconds spent in each hook during the current build (the benchmark reads them)."""
IMPORT_SECONDS = time.perf_counter() - _IMPORT_START
if _COLLECTING:
    gc.enable()


def _engine_hook(hook):
    """Run a hook with the cycle collector paused, and add its run time to :data:`TIMINGS`.

    The engine makes hundreds of thousands of small objects (the index, the pages). Python's
    cycle collector would walk through all of them again and again while they are made, which
    took a third of the engine's time; they are freed by reference counting all the same. With
    ``KB_TIMINGS=<file>`` the timings are written there after the build (``make bench`` does).
    """

    @functools.wraps(hook)
    def wrapper(*args, **kwargs):
        if hook.__name__ == "on_config":
            TIMINGS.clear()
            TIMINGS["import"] = IMPORT_SECONDS
        collecting = gc.isenabled()
        gc.disable()
        start = time.perf_counter()
        try:
            return hook(*args, **kwargs)
        finally:
            TIMINGS[hook.__name__] = TIMINGS.get(hook.__name__, 0.0) + time.perf_counter() - start
            if collecting:
                gc.enable()
            if hook.__name__ == "on_post_build" and os.environ.get("KB_TIMINGS"):
                Path(os.environ["KB_TIMINGS"]).write_text(json.dumps(TIMINGS, indent=1), encoding="utf-8")

    return wrapper


@_engine_hook
def on_config(config):
    """Load and validate everything, render the generated pages, and build the nav."""
    _close_exports()
    STATE.clear()
    gc.unfreeze()  # what an earlier `mkdocs serve` build froze may be collected again
    root = Path(config.config_file_path).resolve().parent
    try:
        project = load_project(root, docs_dir=Path(config.docs_dir))
    except DataError as err:
        raise PluginError("\n" + str(err)) from None
    index = project.index
    builder = PageBuilder(index)
    pages = builder.build_all()
    for entry in builder.overdue_routines():
        # A warning for the editor, on its own logger so --strict does not turn it into an error.
        review_log.warning("Routine '%s' (%s) passed its review date %s; its owner (%s) must review it.",
                           entry.id, entry.page, entry.record.neste_revisjon.isoformat(), entry.record.eier)
    if not config.repo_url:
        # Without a repository there is nothing to edit on; keep MkDocs from warning about it.
        config.edit_uri = None
    from .gitdates import last_changed

    changed = last_changed(root)
    sources = {p.src_uri: p.source_file for p in pages}
    sources.update({p.src_uri: f"docs/{p.src_uri}" for p in index.pages})
    STATE.update(builder=builder, index=index, pages=pages,
                 changed={src: changed[f] for src, f in sources.items() if f and f in changed}, abbr=abbreviation_terms(index),
                 services={e.page: e for e in index.of_type("tjeneste")})
    if not config.nav:
        config.nav = build_nav(index, {p.src_uri for p in pages})
    config.extra["kb_crisis"] = [
        {"navn": e.record.navn, "nummer": e.record.nummer, "tel": e.record.nummer.replace(" ", "")}
        for e in sorted(index.of_type("hjelpetelefon"), key=lambda e: (e.record.rekkefolge, e.id))
        if e.record.akutt
    ]
    # The index lives until the build ends, and nothing in it becomes garbage: keep Python's cycle
    # collector from walking through its objects again and again while MkDocs renders the pages.
    gc.freeze()
    # The export files are written by a second process while MkDocs renders the pages (see exportjob).
    STATE["exports"] = ExportJob(index)
    return config


def _close_exports() -> None:
    job = STATE.pop("exports", None)
    if job is not None:
        job.close()


@_engine_hook
def on_files(files: Files, config) -> Files:
    """Add every generated page as a virtual file whose edit link points at its YAML source."""
    for page in STATE.get("pages", []):
        existing = files.get_file_from_path(page.src_uri)
        if existing is not None:
            files.remove(existing)
        file = File.generated(config, page.src_uri, content=page.markdown)
        file.edit_uri = f"../{page.source_file}" if page.source_file else None
        files.append(file)
    # The JSON Schema files are published too, so the data-format page can link to them. The committed
    # files are copied (a test keeps them in step with the models); a project without them gets them made.
    committed = STATE["index"].root / "schema"
    if committed.is_dir():
        for path in sorted(committed.glob("*.schema.json")):
            files.append(File.generated(config, f"schema/{path.name}", abs_src_path=str(path)))
    else:
        from .schema import all_schemas

        for name, text in all_schemas().items():
            files.append(File.generated(config, f"schema/{name}", content=text.encode("utf-8")))
    # Exports are files of the site too, so pages can link to them and MkDocs checks those links.
    job = STATE["exports"]
    for rel in job.paths:
        files.append(File.generated(config, rel, abs_src_path=job.source(rel)))
    return files


@_engine_hook
def on_env(env, config, files):
    """Wait for the export files before MkDocs copies the site's files (see :mod:`exportjob`)."""
    job = STATE.get("exports")
    if job is not None:
        try:
            job.wait()
        except RuntimeError as err:
            _close_exports()
            raise PluginError(str(err)) from None
    return env


@_engine_hook
def on_build_error(error) -> None:
    """Stop the export process and remove its folder when the build fails."""
    _close_exports()


@_engine_hook
def on_page_markdown(markdown: str, page, config, files) -> str:
    """Resolve references to relative links and add the glossary's abbreviations."""
    index = STATE.get("index")
    if index is None:
        return markdown
    markdown = STATE["builder"].decorate(page.file.src_uri, markdown)
    try:
        markdown = resolve_markdown(markdown, page.file.src_uri, index)
    except UnresolvedReference as err:
        raise PluginError(str(err)) from None
    abbr = abbreviations(index, markdown, STATE.get("abbr"))
    if abbr:
        markdown += "\n\n" + abbr + "\n"
    return markdown


@_engine_hook
def on_page_context(context, page, config, nav):
    """Give each page the date its source last changed, and service pages schema.org JSON-LD."""
    changed = STATE.get("changed", {}).get(page.file.src_uri)
    if changed is not None:
        page.meta["kb_updated"] = changed.strftime("%d.%m.%Y")
    entry = STATE.get("services", {}).get(page.file.src_uri)
    if entry is not None:
        data = jsonld_for_service(STATE["index"], entry, config.site_url or "")
        page.meta["kb_jsonld"] = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return context


@_engine_hook
def on_post_page(output: str, page, config) -> str:
    """Collect the hashes of the theme's inline scripts as each page is written (for the CSP)."""
    from .security import script_hashes_of

    STATE.setdefault("script_hashes", set()).update(script_hashes_of(output))
    return output


@_engine_hook
def on_post_template(output_content: str, template_name: str, config) -> str:
    """The same for pages made from theme templates alone, such as 404.html."""
    return on_post_page.__wrapped__(output_content, None, config)


@event_priority(50)  # before the search plugin writes its index, so the entries are changed in memory
@_engine_hook
def on_post_build(config) -> None:
    """Add Norwegian compound parts to the search index; write the security headers."""
    from .search import enrich_entries
    from .security import headers_file

    search = next((p for p in config.plugins.values() if hasattr(p, "search_index")), None)
    if search is not None and STATE.get("index") is not None:
        enrich_entries(search.search_index.entries, STATE["index"])
    _close_exports()
    site = Path(config.site_dir)
    (site / "_headers").write_text(headers_file(site, STATE.get("script_hashes")), encoding="utf-8")
