"""Subset and sharded builds: which kommuner a build holds, and which shard writes which file.

Imports :mod:`routes` only. Two environment variables choose the scope of one ``mkdocs build`` or
``mkdocs serve``; every build still loads and validates all the data.

- ``KB_KOMMUNER=flaa,sel`` (a subset build): the site holds the national pages and the named
  kommuner. Every page is rendered as in the full build, with one difference: a link to a page or
  file of a kommune that is not built points at that page on the full site (``site_url``). Only the
  menu and the search's kommune filter leave the other kommuner out.
- ``KB_SHARD=national`` or ``KB_SHARD=flaa,sel`` (a shard, built with ``mkdocs build --dirty``):
  the build sees the whole site (every page, the whole menu, every link) but writes only the files
  it owns. A file belongs to the kommune its route names (``kommuner/<k>/...``,
  ``export/<k>/...``); everything else belongs to the national shard. The shards' outputs are
  disjoint, so ``scripts/merge_sites.py`` only copies them together and indexes the result for
  search; the merged site equals a one-process build.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .routes import page_url, params_of

SUBSET_VARIABLE = "KB_KOMMUNER"
"""Environment variable of a subset build: the kommune ids to build, separated by commas."""
SHARD_VARIABLE = "KB_SHARD"
"""Environment variable of a shard: ``national``, or the kommune ids the shard writes."""
NATIONAL = "national"
"""The shard that writes every file that belongs to no kommune."""


def kommune_of(path: str) -> str | None:
    """The kommune a page or file of the site belongs to (from the route map), or None for a national one."""
    return params_of(path).get("kommune") or None


def parse_kommuner(variable: str, value: str, known: Iterable[str]) -> frozenset[str]:
    """The kommune ids in ``value`` (separated by commas).

    Raises:
        ValueError: an id names no kommune, or none is given; the message is one line naming the valid ids.
    """
    valid = sorted(known)
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in valid]
    if unknown or not names:
        what = f"no kommune has the id {', '.join(repr(n) for n in unknown)}" if unknown else "no kommune named"
        raise ValueError(f"{variable}={value!r}: {what}; write one or more of {', '.join(valid)}, "
                         f"separated by commas, for example {variable}={valid[0] if valid else 'flaa'}")
    return frozenset(names)


@dataclass(frozen=True)
class Scope:
    """What one build holds and writes.

    Attributes:
        kommuner: The kommuner whose pages the site holds; None for all (a full build or a shard).
        shard: None for a build that writes all it holds; :data:`NATIONAL`; or the kommune ids the shard writes.
    """

    kommuner: frozenset[str] | None = None
    shard: frozenset[str] | str | None = None

    @property
    def is_subset(self) -> bool:
        """Whether the site leaves some kommuner out."""
        return self.kommuner is not None

    def holds(self, path: str) -> bool:
        """Whether the page or file at ``path`` is part of this site."""
        kommune = kommune_of(path)
        return self.kommuner is None or kommune is None or kommune in self.kommuner

    def writes(self, path: str) -> bool:
        """Whether this build writes the page or file at ``path`` (a shard writes only its own)."""
        if self.shard is None:
            return self.holds(path)
        kommune = kommune_of(path)
        if self.shard == NATIONAL:
            return kommune is None
        return kommune is not None and kommune in self.shard


def scope_from_environ(environ: Mapping[str, str], known: Iterable[str]) -> Scope:
    """The scope ``KB_KOMMUNER`` and ``KB_SHARD`` ask for.

    Raises:
        ValueError: an unknown kommune id, or both variables set; one line saying what to write instead.
    """
    known = sorted(known)
    subset = environ.get(SUBSET_VARIABLE, "").strip()
    shard = environ.get(SHARD_VARIABLE, "").strip()
    if subset and shard:
        raise ValueError(f"{SUBSET_VARIABLE} and {SHARD_VARIABLE} are both set; a shard always sees every kommune, "
                         f"so set only {SHARD_VARIABLE} (or only {SUBSET_VARIABLE} for a smaller site)")
    if subset:
        return Scope(kommuner=parse_kommuner(SUBSET_VARIABLE, subset, known))
    if shard == NATIONAL:
        return Scope(shard=NATIONAL)
    if shard:
        return Scope(shard=parse_kommuner(SHARD_VARIABLE, shard, known))
    return Scope()


def shard_groups(kommuner: Iterable[str], groups: int) -> list[list[str]]:
    """Split the kommune ids into at most ``groups`` groups of nearly equal size (sorted, dealt in turn)."""
    ids = sorted(kommuner)
    count = max(1, min(groups, len(ids)))
    return [group for group in (ids[i::count] for i in range(count)) if group]


_LINK = re.compile(r"(\]\(\s*<?|^\s{0,3}\[[^\]\n]+\]:\s*<?)([^)\s>]+)", re.MULTILINE)
"""A Markdown link's target: inline ``[text](target ...)`` or a definition ``[label]: target``."""


def link_out(markdown: str, page: str, scope: Scope, site_url: str) -> str:
    """Point every relative link to a page or file this site does not hold at the full site (``site_url``)."""
    base = posixpath.dirname(page)

    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^[#/]", target):
            return match.group(0)
        path, _, anchor = target.partition("#")
        resolved = posixpath.normpath(posixpath.join(base, path))
        if scope.holds(resolved):
            return match.group(0)
        return match.group(1) + site_url.rstrip("/") + "/" + page_url(resolved, anchor or None)

    return _LINK.sub(replace, markdown)
