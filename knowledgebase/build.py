"""The shared pipeline: load and validate once, then hand out pages and exports.

Imports :mod:`index`, and :mod:`neutral` (the engine-neutral tree) when exporting. Both the MkDocs hooks and the
command line call :func:`load_project`; nothing else reads YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    """Write the engine-neutral tree (:func:`neutral.write_tree`: every page finished, the exports, a
    ``mkdocs.yml`` without hooks) to ``out``.

    The folder must be new or empty, so nothing is mixed with older output. Everything is written
    into a temporary folder beside it first, which becomes ``out`` only when all is written, so a
    failure leaves ``out`` as it was. Returns the number of files written. Plain MkDocs, ProperDocs
    or Zensical build the same site from ``out/mkdocs.yml``.
    """
    from .atomic import write_folder_atomically
    from .neutral import write_tree

    return write_folder_atomically(out, lambda folder: write_tree(project, folder))
