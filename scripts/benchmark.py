"""Benchmark: build synthetic knowledge bases of N kommuner shaped like Flå's data.

For N = 1, 10 and 50 (or the numbers given as arguments) it prints pages, build seconds,
pages per second, seconds per page, peak memory, median and largest HTML page, search index
size (Pagefind's, all chunks), and the same pages built as plain Markdown without the hooks, to show the engine's
overhead (the difference between the two builds). Then, once per N, a subset build of one kommune
(``KB_KOMMUNER``) and the sharded build (scripts/build_sharded.py: the time of each shard, of the merge
and in all, against the fastest one-process build).

With ``--compare REV`` it also builds the synthetic sites with the code and data of an earlier
commit (checked out into a temporary git worktree; older code cannot read newer data) and prints the
change in build time, in total and per page (the newer site may have more pages), so a change can
show it made the build no slower. For each N it also prints the share of the build spent in the hardening
steps (escaping, the safety check of every page, YAML limits, the atomic swap; scripts/hardening_cost.py).

Last it runs scripts/search_benchmark.py on the project's own site: search quality on the query set,
query times, index size and the time to the first result on a phone profile.

Usage: python scripts/benchmark.py [--compare REV] [N ...]
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def make_kb(dest: Path, n: int, code: Path = ROOT) -> None:
    """A project with the national data and n copies of Flå's data and chapters, all from the commit checked out at
    ``code``: an earlier commit's code builds its own data, which it can read."""
    for name in ("mkdocs.yml", "hooks", "overrides", "schema"):
        src = code / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / name)
    shutil.copytree(code / "data" / "nasjonalt", dest / "data" / "nasjonalt")
    if (code / "data" / "sokeord.yml").exists():
        shutil.copy(code / "data" / "sokeord.yml", dest / "data" / "sokeord.yml")
    # National principles name units of the real kommuner, which the synthetic site does not have.
    principles = dest / "data" / "nasjonalt" / "prinsipper.yml"
    if principles.exists():
        records = yaml.safe_load(principles.read_text(encoding="utf-8"))
        for record in records:
            record.pop("enheter", None)
        principles.write_text("# yaml-language-server: $schema=../../schema/prinsipper.schema.json\n"
                              + yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(code / "data" / "kilder.yml", dest / "data" / "kilder.yml")
    shutil.copytree(code / "docs" / "assets", dest / "docs" / "assets")
    # The national guideline's chapter pages: national data (dekkes_i_dag) names them.
    if (code / "docs" / "veileder").exists():
        shutil.copytree(code / "docs" / "veileder", dest / "docs" / "veileder")
    for page in ("sok.md", "om.md"):  # pages the generated pages link to
        if (code / "docs" / page).exists():
            shutil.copy(code / "docs" / page, dest / "docs" / page)
    (dest / "docs" / "index.md").write_text("# Benchmark\n", encoding="utf-8")
    for i in range(1, n + 1):
        kid = f"flaa-{i}"
        for src_dir, dst_dir in ((code / "data/kommuner/flaa", dest / f"data/kommuner/{kid}"),
                                 (code / "docs/kommuner/flaa", dest / f"docs/kommuner/{kid}")):
            for path in src_dir.rglob("*"):
                if path.is_file():
                    target = dst_dir / path.relative_to(src_dir)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    text = path.read_text(encoding="utf-8")
                    text = re.sub(r"(?m)^id: flaa$", f"id: {kid}", text)
                    text = re.sub(r"kommune: flaa\b", f"kommune: {kid}", text)
                    text = text.replace("navn: Flå", f"navn: Flå {i}")
                    text = re.sub(r"(\[\[[a-z]+:)flaa(?=[/\]|])", rf"\g<1>{kid}", text)
                    target.write_text(text, encoding="utf-8")


CPU: list[float] = []
"""CPU seconds (user + system, the command and its children) of each :func:`run`, in order."""


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> float:
    """Run a command; return its wall seconds, and append its CPU seconds to :data:`CPU`.

    CPU time hardly changes when other programs load the machine; wall time does. Both are printed.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env or ENV, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def plain_config(kb: Path, out: Path) -> Path:
    """mkdocs.yml for the exported Markdown: the same theme, overrides, extensions and nav, but no hooks.

    The crisis numbers that the hooks put into ``extra`` are written into the file, so both
    builds render the same theme templates.
    """
    from knowledgebase.build import load_project
    from knowledgebase.nav import build_nav

    index = load_project(kb).index
    pages = {p.relative_to(out / "docs").as_posix() for p in (out / "docs").rglob("*.md")}
    nav = build_nav(index, pages)
    crisis = [{"navn": e.record.navn, "nummer": e.record.nummer, "tel": e.record.nummer.replace(" ", "")}
              for e in sorted(index.of_type("hjelpetelefon"), key=lambda e: (e.record.rekkefolge, e.id))
              if e.record.akutt]
    text = (kb / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^hooks:\n(  - .*\n)+", "", text)
    text = re.sub(r"(?m)^extra:\n", "extra:\n  kb_crisis: " + json.dumps(crisis, ensure_ascii=False) + "\n", text)
    text += "\n" + yaml.safe_dump({"nav": nav}, allow_unicode=True, sort_keys=False)
    text = re.sub(r"(?m)^docs_dir: docs$", f"docs_dir: {out / 'docs'}", text)
    text = re.sub(r"(?m)^strict: true$", "strict: false", text)
    cfg = kb / "mkdocs-plain.yml"
    cfg.write_text(text, encoding="utf-8")
    shutil.copytree(kb / "docs" / "assets", out / "docs" / "assets", dirs_exist_ok=True)
    return cfg


_EXPORT_TIMES = """
import json, tempfile, time
from pathlib import Path
from knowledgebase.build import load_project
from knowledgebase.exports import export_paths, write_export_files
from knowledgebase.opendata import opendata_paths
index = load_project(Path('.')).index
paths = export_paths(index)
times = {}
for name, chosen in (("opendata", [p for p in paths if p in opendata_paths()]), ("all", paths)):
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        write_export_files(index, Path(out), chosen)
        times[name] = time.perf_counter() - start
print(json.dumps(times))
"""
"""Seconds to write every export file and the open-data files alone, in a process of their own."""


def export_times(kb: Path) -> dict[str, float]:
    result = subprocess.run([sys.executable, "-c", _EXPORT_TIMES], cwd=kb, env=ENV, check=True,
                            capture_output=True, text=True)
    return json.loads(result.stdout)


def hardening_cost(kb: Path) -> dict:
    """The seconds a build spends in its escaping and safety steps (scripts/hardening_cost.py)."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "hardening_cost.py")], cwd=kb, env=ENV,
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def sharded_and_subset(kb: Path, tmp: Path) -> dict:
    """Seconds of the sharded build (each shard, the merge, in all) and of a subset build of one kommune."""
    timings = tmp / "sharded.json"
    run([sys.executable, str(ROOT / "scripts" / "build_sharded.py"), "--out", str(tmp / "sharded"),
         "--timings", str(timings), "--allow-broken-links"], kb)
    cpu_all = CPU[-1]
    subset = run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp / "subset")], kb,
                 dict(ENV, KB_KOMMUNER="flaa-1"))
    return dict(json.loads(timings.read_text(encoding="utf-8")), subset=subset, cpu_all=cpu_all, subset_cpu=CPU[-1])


def measure(n: int, repeat: int, baseline: Path | None = None) -> dict:
    """Build the synthetic site with and without hooks (and with the baseline's code, if given), alternately,
    ``repeat`` times each; keep the fastest."""
    with tempfile.TemporaryDirectory() as tmp:
        kb = Path(tmp) / "kb"
        kb.mkdir()
        make_kb(kb, n)
        out = Path(tmp) / "plain"
        subprocess.run([sys.executable, "-m", "knowledgebase", "export", str(out)], cwd=kb, env=ENV, check=True,
                       capture_output=True)
        cfg = plain_config(kb, out)
        old = Path(tmp) / "old"
        if baseline is not None:
            old.mkdir()
            make_kb(old, n, baseline)
        old_env = dict(ENV, PYTHONPATH=str(baseline)) if baseline is not None else ENV
        builds, plains, olds, cpu, old_cpu = [], [], [], [], []
        for _ in range(repeat):
            builds.append(run([sys.executable, "-m", "mkdocs", "build", "-q"], kb))
            cpu.append(CPU[-1])
            plains.append(run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(cfg), "-d",
                               str(Path(tmp) / "plain-site")], kb))
            if baseline is not None:
                olds.append(run([sys.executable, "-m", "mkdocs", "build", "-q"], old, old_env))
                old_cpu.append(CPU[-1])
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        old_pages = len(list((old / "site").rglob("*.html"))) if baseline is not None else 0
        exports = export_times(kb) if (ROOT / "knowledgebase" / "opendata.py").exists() else None
        hardening = hardening_cost(kb)
        site = kb / "site"
        # The search index alone, as the build runs it (Pagefind reads the finished pages), once.
        pagefind = run([sys.executable, "-c", "import sys; from pathlib import Path; from knowledgebase.search import "
                        "run_pagefind; run_pagefind(Path(sys.argv[1]))", str(site)], kb)
        pagefind_cpu = CPU[-1]
        sizes = [p.stat().st_size for p in site.rglob("*.html")]
        search = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())  # Pagefind, all chunks
        sharded = sharded_and_subset(kb, Path(tmp))
    seconds, plain_seconds = min(builds), min(plains)
    pages = len(sizes)
    return {
        "n": n, "pages": pages, "seconds": seconds, "pages_per_s": pages / seconds, "s_per_page": seconds / pages,
        "peak_mib": peak, "median_kb": statistics.median(sizes) / 1024, "max_kb": max(sizes) / 1024,
        "search_kb": search / 1024, "plain_seconds": plain_seconds,
        "overhead": (seconds - plain_seconds) / seconds, "builds": builds, "plains": plains,
        "baseline_seconds": min(olds) if olds else None, "olds": olds,
        "median_change": statistics.median(builds) / statistics.median(olds) - 1 if olds else None,
        "old_pages": old_pages, "hardening": hardening, "sharded": sharded, "cpu": cpu, "old_cpu": old_cpu,
        "exports": exports, "pagefind": pagefind, "pagefind_cpu": pagefind_cpu,
        "cpu_change": statistics.median(cpu) / statistics.median(old_cpu) - 1 if old_cpu else None,
        "per_page_change": (statistics.median(builds) / pages) / (statistics.median(olds) / old_pages) - 1
        if olds else None,
    }


def baseline_worktree(rev: str, tmp: Path) -> Path:
    """The code of commit ``rev`` in a temporary git worktree."""
    path = tmp / "baseline"
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(path), rev], cwd=ROOT, check=True)
    return path


def main(args: list[str]) -> None:
    rev = None
    if args[:1] == ["--compare"]:
        rev, args = args[1], args[2:]
    ns = [int(a) for a in args] or [1, 10, 50]
    print(f"{'N':>3} {'pages':>6} {'build s':>8} {'pages/s':>8} {'s/page':>8} {'peak MiB':>9} "
          f"{'median KB':>10} {'max KB':>7} {'search KB':>10} {'plain s':>8} {'overhead':>9}"
          + (f" {'base s':>7} {'vs base':>8} {'median':>8} {'base pages':>10} {'per page':>9}" if rev else ""))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        baseline = baseline_worktree(rev, Path(tmp)) if rev else None
        try:
            for n in ns:
                r = measure(n, repeat=5 if n <= 10 else 2, baseline=baseline)
                results.append(r)
                compare = (f" {r['baseline_seconds']:>7.1f} {r['seconds'] / r['baseline_seconds'] - 1:>+8.1%}"
                           f" {r['median_change']:>+8.1%} {r['old_pages']:>10} {r['per_page_change']:>+9.1%}"
                           if baseline is not None else "")
                print(f"{r['n']:>3} {r['pages']:>6} {r['seconds']:>8.1f} {r['pages_per_s']:>8.1f} "
                      f"{r['s_per_page']:>8.4f} {r['peak_mib']:>9} {r['median_kb']:>10.1f} {r['max_kb']:>7.1f} "
                      f"{r['search_kb']:>10.0f} {r['plain_seconds']:>8.1f} {r['overhead']:>8.1%}{compare}", flush=True)
                runs = ", ".join(f"{b:.1f}/{p:.1f}" for b, p in zip(r["builds"], r["plains"], strict=True))
                olds = ", ".join(f"{o:.1f}" for o in r["olds"])
                print(f"    runs (with/without hooks, s): {runs}" + (f"; baseline {rev}: {olds}" if olds else ""),
                      flush=True)
                if baseline is not None:
                    rest = r["seconds"] - r["pagefind"]
                    print(f"    search index (Pagefind, in the build): {r['pagefind']:.1f} s, CPU "
                          f"{r['pagefind_cpu']:.1f} s; the rest of the build {rest:.1f} s against "
                          f"{r['baseline_seconds']:.1f} s for the whole baseline build with its lunr index "
                          f"({rest / r['baseline_seconds'] - 1:+.1%})", flush=True)
                if r["exports"]:
                    e = r["exports"]
                    print(f"    export files: {e['all']:.1f} s ({e['all'] / r['seconds']:.1%} of the fastest build), "
                          f"of which the open-data files {e['opendata']:.1f} s ({e['opendata'] / r['seconds']:.1%})",
                          flush=True)
                h = r["hardening"]
                slowest = max(h["steps"].items(), key=lambda item: item[1]["seconds"])
                print(f"    hardening (escaping, safety check, limits, atomic swap): {h['hardening_seconds']:.2f} s "
                      f"of a {h['seconds']:.1f} s build ({h['share']:.1%}; target < 5 %), most in {slowest[0]} "
                      f"({slowest[1]['seconds']:.2f} s)", flush=True)
                print(f"    peak memory: the build {h['peak_build_mib']} MiB, Pagefind {h['peak_pagefind_mib']} MiB "
                      "(target <= 1024 MiB at N=50)", flush=True)
                sh = r["sharded"]
                shards = ", ".join(f"{name if len(name) < 20 else name[:17] + '...'} {t:.1f}/{sh['cpu'][name]:.1f}"
                                   for name, t in sh["shards"].items())
                print(f"    sharded: {len(sh['shards'])} shards (wall/CPU {shards} s) in {sh['shards_wall']:.1f} s, "
                      f"merge {sh['total'] - sh['shards_wall']:.1f} s (copy {sh['merge']['copy']:.1f}, search index "
                      f"{sh['merge']['search index']:.1f}, link check {sh['merge']['link check']:.1f}), "
                      f"{sh['total']:.1f} s in all: {r['seconds'] / sh['total']:.2f}x the one-process build "
                      f"({r['seconds'] / (sh['total'] - sh['merge']['link check']):.2f}x without the link check, "
                      f"which the one-process build does not run), CPU {sh['cpu_all']:.1f} s; subset of one kommune: "
                      f"{sh['subset']:.1f} s, CPU {sh['subset_cpu']:.1f} s",
                      flush=True)
                cpus = ", ".join(f"{c:.1f}" for c in r["cpu"])
                old_cpus = ", ".join(f"{c:.1f}" for c in r["old_cpu"])
                print(f"    CPU seconds of each build: {cpus}" + (f"; baseline {rev}: {old_cpus}; change of the "
                      f"median: {r['cpu_change']:+.1%}" if old_cpus else ""), flush=True)
        finally:
            if baseline is not None:
                subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT, check=False)
    if len(results) > 1:
        ratio = results[-1]["s_per_page"] / results[0]["s_per_page"]
        print(f"seconds per page at N={results[-1]['n']} / N={results[0]['n']}: {ratio:.2f} (target <= 1.3)")
    if (ROOT / "scripts" / "search_benchmark.py").exists():
        print("\nSearch on the project's own site (scripts/search_benchmark.py):", flush=True)
        subprocess.run([sys.executable, str(ROOT / "scripts" / "search_benchmark.py")], cwd=ROOT, check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
