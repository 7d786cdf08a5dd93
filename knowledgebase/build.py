"""The shared pipeline: load and validate once, then hand out pages and exports.

Imports :mod:`index`, :mod:`pages` and :mod:`exports`. Both the MkDocs hooks and the
command line call :func:`load_project`; nothing else reads YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import DataError, Problems
from .index import Index, build_index


@dataclass
class Project:
    """A validated knowledge base and the folders it came from."""

    root: Path
    index: Index
    warnings: list[str]


def load_project(root: Path, data_dir: Path | None = None, docs_dir: Path | None = None) -> Project:
    """Load and validate everything under ``root``; raise :class:`DataError` listing every problem."""
    root = root.resolve()
    problems = Problems(root=root)
    index = build_index(root, data_dir or root / "data", docs_dir or root / "docs", problems)
    if problems:
        raise DataError(problems)
    return Project(root, index, [])


def write_offline(project: Project, out: Path) -> int:
    """Write every page (generated and hand-written, references resolved) and the exports to ``out``.

    The folder must be new or empty, so nothing is mixed with older output. Everything is written
    into a temporary folder beside it first, which becomes ``out`` only when all is written, so a
    failure leaves ``out`` as it was. Returns the number of files written. Another static site
    generator can build the same site from ``out/docs``.
    """
    from .atomic import write_folder_atomically

    return write_folder_atomically(out, lambda folder: _write_offline(project, folder))


def _write_offline(project: Project, out: Path) -> int:
    from .exports import write_export_files
    from .links import abbreviations, resolve_markdown
    from .pages import Site, decorate, render_pages

    index = project.index
    written = 0
    site = Site(index, date.today())
    pages = {p.src_uri: p.markdown for p in render_pages(site)}
    for page in index.pages:
        # The same facts box and backlinks the site adds to routine and chapter pages, after the front matter.
        text = page.path.read_text(encoding="utf-8")
        if text.endswith(page.body):
            text = text[: len(text) - len(page.body)] + decorate(site, page.src_uri, page.body)
        pages[page.src_uri] = text
    for src_uri, markdown in sorted(pages.items()):
        target = out / "docs" / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        text = resolve_markdown(markdown, src_uri, index)
        abbr = abbreviations(index, text)
        text += "\n\n" + abbr + "\n" if abbr else ""
        target.write_text(text, encoding="utf-8")
        written += 1
    return written + write_export_files(index, out)
