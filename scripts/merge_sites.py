"""Merge the outputs of a sharded build into one site, index it for search, and check every link.

Usage: python scripts/merge_sites.py OUT SHARD_DIR [SHARD_DIR ...]

Each SHARD_DIR is the output of one shard (``KB_SHARD=national`` or ``KB_SHARD=<kommune ids>``,
``mkdocs build --dirty``; see knowledgebase/shards.py). The shards write disjoint files, so the merge
copies them together and refuses a file that two shards wrote. Then Pagefind indexes the merged
site once (the search covers every shard), and scripts/linkcheck.py checks every internal link and
anchor, the links between shards included. OUT is written beside itself first and replaces what was
there only when the merge, the index and the link check succeeded.

``make build-sharded`` (scripts/build_sharded.py) and the deploy workflow's merge job both call this.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import linkcheck  # noqa: E402

from knowledgebase.atomic import write_folder_atomically  # noqa: E402
from knowledgebase.search import run_pagefind  # noqa: E402


def copy_shards(out: Path, shards: list[Path]) -> int:
    """Copy (or hard-link) every file of every shard into ``out``; return how many.

    Raises:
        ValueError: two shards wrote the same file, or a shard folder holds no build.
    """
    owner: dict[str, Path] = {}
    for shard in shards:
        if not shard.is_dir() or not any(shard.iterdir()):
            raise ValueError(f"{shard}: no shard output here; build it first (scripts/build_sharded.py --only ...)")
        for path in sorted(shard.rglob("*")):
            if path.is_dir():
                continue
            rel = path.relative_to(shard).as_posix()
            if rel in owner:
                raise ValueError(f"{rel}: written by two shards ({owner[rel]} and {shard}); each file must belong "
                                 "to one shard (knowledgebase/shards.py)")
            owner[rel] = shard
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)  # no copy where the shards and the site share a file system
            except OSError:
                shutil.copy2(path, target)
    return len(owner)


def merge(out: Path, shards: list[Path], allow_broken_links: bool = False) -> dict[str, float]:
    """Merge, index and check; return the seconds each step took (and how many links are broken).

    ``allow_broken_links`` is for the benchmark's synthetic sites, which lack pages the templates link to.

    Raises:
        ValueError: the shards overlap, one is missing, or a link is broken (the message says which).
        RuntimeError: Pagefind failed.
    """
    seconds: dict[str, float] = {}

    def build(folder: Path) -> int:
        start = time.perf_counter()
        count = copy_shards(folder, shards)
        seconds["copy"] = time.perf_counter() - start
        start = time.perf_counter()
        run_pagefind(folder)
        seconds["search index"] = time.perf_counter() - start
        start = time.perf_counter()
        problems = linkcheck.check(folder)
        seconds["link check"] = time.perf_counter() - start
        seconds["broken links"] = len(problems)
        if problems and not allow_broken_links:
            shown = "\n".join(problems[:20])
            raise ValueError(f"{len(problems)} broken links or anchors in the merged site (is a shard missing?):\n"
                             f"{shown}")
        return count

    # Built beside OUT and swapped in only when all went well, so a failed merge leaves the old site as it was.
    staging = out.parent / f".{out.name}.kb-merge-{os.getpid()}"
    seconds["files"] = write_folder_atomically(staging, build)
    if out.exists():
        old = out.parent / f".{out.name}.kb-old-{os.getpid()}"
        out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(out)
    return seconds


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    out, shards = Path(argv[0]), [Path(a) for a in argv[1:]]
    try:
        seconds = merge(out, shards)
    except (ValueError, RuntimeError, FileExistsError) as err:
        print(f"merge_sites: {err}", file=sys.stderr)
        return 1
    print(summary(out, len(shards), seconds))
    return 0


def summary(out: Path, shards: int, seconds: dict[str, float]) -> str:
    """One line: what :func:`merge` did and how long each step took."""
    return (f"Merged {shards} shards into {out}: {int(seconds['files'])} files; copy {seconds['copy']:.1f} s, "
            f"search index {seconds['search index']:.1f} s, link check {seconds['link check']:.1f} s"
            + (f" ({int(seconds['broken links'])} broken links allowed)." if seconds.get("broken links") else "."))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
