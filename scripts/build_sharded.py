"""Build the site as shards in parallel processes and merge them into one site (``make build-sharded``).

Usage: python scripts/build_sharded.py [--out site] [--groups N] [--jobs J] [--only SHARD] [--shards DIR]
                                       [--timings FILE] [--allow-broken-links]

The shards are one national shard and N groups of kommuner (default: as many as there are cores),
the kommune ids sorted and dealt in turn (knowledgebase/shards.py ``shard_groups``). Each shard is a
normal ``mkdocs build --strict --dirty`` with ``KB_SHARD`` set, into a folder of its own under
``--shards``; J of them run at a time (default: the number of cores). Then scripts/merge_sites.py
merges them into ``--out``, indexes the merged site for search and checks every link. It prints the
time of each shard and of the merge (and writes them as JSON to ``--timings``: scripts/benchmark.py reads it).

``--only national`` or ``--only I/N`` (group I of N, from 1) builds one shard into ``--out`` and
nothing else: the deploy workflow runs one of those per job of its matrix, then merge_sites.py.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import merge_sites  # noqa: E402

from knowledgebase.shards import NATIONAL, SHARD_VARIABLE, SUBSET_VARIABLE, shard_groups  # noqa: E402


def plan(root: Path, groups: int) -> list[str]:
    """The value of KB_SHARD for every shard: 'national', then one list of kommune ids per group.

    The ids are the folder names under data/kommuner (the loader requires a kommune's id to be its folder's
    name). The data is not loaded here: every shard validates all of it, and loading it once more first
    would add its time (7 s at 50 kommuner) to the wall time of the whole build.
    """
    folder = root / "data" / "kommuner"
    ids = sorted(p.name for p in folder.iterdir() if (p / "kommune.yml").is_file()) if folder.is_dir() else []
    return [NATIONAL] + [",".join(group) for group in shard_groups(ids, groups)]


@dataclass
class Shard:
    """One shard's build: its KB_SHARD value, wall and CPU seconds, peak memory, exit status and output."""

    name: str
    seconds: float
    cpu: float
    peak_mib: int
    returncode: int
    output: str


def build_shard(root: Path, shard: str, out: Path) -> Shard:
    """Run one shard's ``mkdocs build`` into ``out`` and wait for it."""
    env = {k: v for k, v in os.environ.items() if k != SUBSET_VARIABLE}
    env.update({SHARD_VARIABLE: shard, "NO_MKDOCS_2_WARNING": "1"})
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "--dirty", "--quiet",
                                    "--site-dir", str(out)], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
        # wait4 gives this process's own CPU time (shards run side by side, so the parent's totals mix them).
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    return Shard(shard, time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024,
                 process.returncode, output)


def _only(shards: list[str], only: str) -> str:
    if only == NATIONAL:
        return NATIONAL
    number, _, _count = only.partition("/")
    kommune_shards = shards[1:]
    if not number.isdigit() or not 1 <= int(number) <= len(kommune_shards):
        raise ValueError(f"--only {only!r}: write 'national' or I/N with I from 1 to {len(kommune_shards)}")
    return kommune_shards[int(number) - 1]


def main(argv: list[str] | None = None) -> int:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (holds mkdocs.yml)")
    parser.add_argument("--out", type=Path, default=Path("site"), help="the merged site (or the one shard's output)")
    parser.add_argument("--groups", type=int, default=cores, help="kommune shards (default: the number of cores)")
    parser.add_argument("--jobs", type=int, default=cores, help="shards built at a time (default: the number of cores)")
    parser.add_argument("--only", help="build only this shard: 'national' or I/N (group I of N)")
    parser.add_argument("--shards", type=Path, help="keep the shards' outputs in this folder (default: temporary)")
    parser.add_argument("--timings", type=Path, help="write the seconds of each shard and of the merge here (JSON)")
    parser.add_argument("--allow-broken-links", action="store_true",
                        help="merge even if links are broken (for the benchmark's synthetic sites)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    try:
        if args.only:
            count = int(args.only.partition("/")[2] or args.groups)
            shards = [_only(plan(root, count), args.only)]
        else:
            shards = plan(root, args.groups)
    except ValueError as err:
        print(f"build_sharded: {err}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kb-shards-") as temporary:
        folder = args.shards or Path(temporary)
        outs = [out] if args.only else [folder / f"shard-{i}" for i in range(len(shards))]
        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            results = list(pool.map(lambda pair: build_shard(root, *pair), zip(shards, outs, strict=True)))
        failed = False
        shown: set[str] = set()
        for result in results:
            print(f"shard {result.name}: {result.seconds:.1f} s, CPU {result.cpu:.1f} s, peak {result.peak_mib} MiB")
            if result.returncode != 0:
                failed = True
                if result.output not in shown:  # bad data stops every shard with the same messages
                    shown.add(result.output)
                    print(result.output, file=sys.stderr)
        if failed:
            print("build_sharded: a shard failed (above); nothing was merged", file=sys.stderr)
            return 1
        if args.only:
            return 0
        built = time.perf_counter() - start
        try:
            merged = merge_sites.merge(out, outs, args.allow_broken_links)
        except (ValueError, RuntimeError) as err:
            print(f"merge_sites: {err}", file=sys.stderr)
            return 1
    total = time.perf_counter() - start
    print(merge_sites.summary(out, len(shards), merged))
    if args.timings:
        args.timings.write_text(json.dumps({"shards": {r.name: r.seconds for r in results},
                                            "cpu": {r.name: r.cpu for r in results},
                                            "peak_mib": {r.name: r.peak_mib for r in results},
                                            "merge": merged, "shards_wall": built, "total": total}), encoding="utf-8")
    print(f"Sharded build: {len(shards)} shards in {built:.1f} s, merged in {total - built:.1f} s, "
          f"{total:.1f} s in all.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
