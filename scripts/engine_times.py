"""Time the site's build with each engine: our hooks' MkDocs build, and the exported tree built by plain MkDocs
(then ``finish``), ProperDocs and Zensical (cold, and again with its cache). Prints a Markdown table of medians,
wall time and CPU time (user + system, child processes included: it changes little when other jobs share the
machine), for docs/utvikler/motorer.md. Usage: .venv/bin/python scripts/engine_times.py [RUNS] (default 3).
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
ZENSICAL = ROOT / ".venv-zensical" / "bin" / "zensical"


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command``; stops the script when the command fails."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return seconds, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    work = Path(tempfile.mkdtemp(prefix="kb-engines-"))
    tree = work / "tree"
    rows: dict[str, list[tuple[float, float]]] = {}

    def measure(name: str, command: list[str], cwd: Path, before: tuple[Path, ...] = ()) -> None:
        for path in before:
            shutil.rmtree(path, ignore_errors=True)
        rows.setdefault(name, []).append(timed(command, cwd))

    try:
        for _ in range(runs):
            measure("export (python -m knowledgebase export)",
                    [str(VENV / "python"), "-m", "knowledgebase", "export", str(tree)], ROOT, (tree,))
            measure("MkDocs + our hooks (the main build, Pagefind included)",
                    [str(VENV / "mkdocs"), "build", "--strict", "-q", "-d", str(work / "hooks")], ROOT)
            measure("plain MkDocs on the tree",
                    [str(VENV / "mkdocs"), "build", "--strict", "-q", "-d", str(work / "mkdocs")], tree)
            measure("finish on MkDocs' site (page check, Pagefind, _headers)",
                    [str(VENV / "python"), "-m", "knowledgebase", "finish", str(work / "mkdocs")], ROOT)
            measure("ProperDocs on the tree",
                    [str(VENV / "properdocs"), "build", "--strict", "-q", "-f", "mkdocs.yml", "-d",
                     str(work / "properdocs")], tree)
            if ZENSICAL.exists():
                measure("Zensical on the tree, cold (--clean)",
                        [str(ZENSICAL), "build", "--strict", "--clean", "-f", "mkdocs.yml"], tree)
                measure("Zensical on the tree, again (its cache)",
                        [str(ZENSICAL), "build", "--strict", "-f", "mkdocs.yml"], tree)
        pages = len(list((work / "mkdocs").rglob("*.html")))
        print(f"{pages} HTML pages, median of {runs} runs, {os.cpu_count()} cores\n")
        print("| engine | wall s (median) | CPU s (median) | wall s, each run |\n|---|---:|---:|---|")
        for name, times in rows.items():
            walls, cpus = [w for w, _ in times], [c for _, c in times]
            each = ", ".join(f"{w:.1f}" for w in walls)
            print(f"| {name} | {statistics.median(walls):.1f} | {statistics.median(cpus):.1f} | {each} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
