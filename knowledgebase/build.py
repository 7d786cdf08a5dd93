"""The shared pipeline: load and validate once, then hand out pages and exports.

Imports :mod:`index`, :mod:`pages` and :mod:`exports`. Both the MkDocs hooks and the
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
