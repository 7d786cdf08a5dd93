"""Search benchmark: how well and how fast the site's search answers what people type.

Runs every query of ``tests/search_queries.yml`` through the site's own search script in Chromium
and prints, per query, the rank of the first right page and the time, then: the share of queries with
a right page in the top five, the mean reciprocal rank (MRR), the slowest query, the size of the
search index (all of it, and what a first search downloads), and the time from opening the search
page to the first result on a phone profile (Chromium CPU throttled x4 through CDP
``Emulation.setCPUThrottlingRate``, 360 px wide). Figures only; the tests assert the targets.

Usage: python scripts/search_benchmark.py [SITE_DIR]   (without SITE_DIR the site is built first)
"""

from __future__ import annotations

import fnmatch
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "tests" / "search_queries.yml"
TOP = 5

# Runs in the search page: every query once cold (loading the index chunks it needs), then three times
# warm, timing each call of the site's own search; returns the result paths and both times.
_RUN = """async (queries) => {
  await window.kbSearch.load();
  const out = [];
  for (const q of queries) {
    let t0 = performance.now();
    await window.kbSearch.find(q);
    const cold = performance.now() - t0;
    // Once loaded: the best of three runs, so a busy machine's pauses do not count as search time.
    let warm = Infinity, found = null;
    for (let i = 0; i < 3; i++) {
      t0 = performance.now();
      found = await window.kbSearch.find(q);
      warm = Math.min(warm, performance.now() - t0);
    }
    out.push({q, cold, warm, paths: found.results.map(r => r.path)});
  }
  return out;
}"""


def load_queries(path: Path = QUERIES) -> list[dict[str, Any]]:
    """The query set: each item has ``q``, ``hvem`` and ``sider`` (page paths, ``*`` for any part)."""
    return list(yaml.safe_load(path.read_text(encoding="utf-8")))


def rank_of_right_page(paths: list[str], right: list[str]) -> int | None:
    """1-based rank of the first result that is one of the right pages, or None."""
    for rank, path in enumerate(paths, start=1):
        if any(fnmatch.fnmatchcase(path, pattern) for pattern in right):
            return rank
    return None


def run_queries(page: Any, base: str, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Open the search page at ``base`` and run every query; each row gains ``rank``, ``cold``, ``warm``."""
    page.goto(base + "sok/")
    page.wait_for_function("() => window.kbSearch !== undefined")
    rows = page.evaluate(_RUN, [q["q"] for q in queries])
    for row, query in zip(rows, queries, strict=True):
        row["rank"] = rank_of_right_page(row["paths"], query["sider"])
        row["hvem"] = query["hvem"]
    return rows


def summary(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Share found in the top five, mean reciprocal rank, and the slowest query (ms, cold and warm)."""
    return {
        "top5": sum(1 for r in rows if r["rank"] is not None and r["rank"] <= TOP) / len(rows),
        "mrr": statistics.fmean(1 / r["rank"] if r["rank"] else 0.0 for r in rows),
        "slowest_cold": max(r["cold"] for r in rows),
        "slowest_warm": max(r["warm"] for r in rows),
    }


def _first_result_on_a_phone(browser: Any, base: str, query: str) -> tuple[float, int]:
    """Milliseconds from opening the search page with ?q= to the first result, CPU x4 slower; bytes loaded."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    loaded = []
    page.on("response", lambda r: loaded.append(r.url) if "/pagefind/" in r.url or "sokeord" in r.url else None)
    start = time.perf_counter()
    page.goto(base + "sok/?q=" + query)
    page.wait_for_selector(".kb-search__result", timeout=60000)
    elapsed = (time.perf_counter() - start) * 1000
    context.close()
    return elapsed, len(loaded)


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "tests"))
    if argv:
        return report(Path(argv[0]))
    with tempfile.TemporaryDirectory(prefix="kb-search-") as tmp:
        site = Path(tmp) / "site"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                       cwd=ROOT, env=env, check=True)
        return report(site)


def report(site: Path) -> int:
    """Run the query set and the phone profile on the built ``site``; print the figures."""
    from browser import launch_chromium, serve_site

    queries = load_queries()
    index = site / "pagefind"
    with serve_site(site) as base, launch_chromium() as browser:
        rows = run_queries(browser.new_page(), base, queries)
        phone = [_first_result_on_a_phone(browser, base, q) for q in ("psykolog Sel", "noen å snakke med")]
    print(f"{'rank':>4} {'cold ms':>8} {'warm ms':>8}  query")
    for row in rows:
        print(f"{row['rank'] or '-':>4} {row['cold']:8.1f} {row['warm']:8.1f}  {row['q']}")
    s = summary(rows)
    print(f"\nQueries: {len(rows)}; right page in the top {TOP}: {s['top5']:.0%}; mean reciprocal rank: {s['mrr']:.3f}")
    for who in sorted({r["hvem"] for r in rows}):
        part = [r for r in rows if r["hvem"] == who]
        figures = summary(part)
        print(f"  {who:10} {len(part):3} queries, top {TOP}: {figures['top5']:.0%}, MRR {figures['mrr']:.3f}")
    print(f"Slowest query: {s['slowest_cold']:.0f} ms the first time (loading index chunks), "
          f"{s['slowest_warm']:.0f} ms once loaded (target: every query within 300 ms once loaded; "
          f"{sum(1 for r in rows if r['warm'] > 300)} over)")
    fragments = index / "fragment"
    entry = [p for p in index.iterdir() if p.is_file() and p.name.startswith(("pagefind.", "wasm."))]
    print(f"Search index: {_size(index) / 1e6:.1f} MB on disk in {sum(1 for _ in index.rglob('*'))} files "
          f"(fragments {_size(fragments) / 1e6:.1f} MB, one per page, loaded only for shown results); "
          f"script and WebAssembly loaded before the first search: {sum(p.stat().st_size for p in entry) / 1e3:.0f} kB")
    for (ms, files), q in zip(phone, ("psykolog Sel", "noen å snakke med"), strict=True):
        print(f"Phone profile (CPU x4, 360 px): first result for «{q}» {ms:.0f} ms after opening the page; "
              f"{files} search files loaded")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
