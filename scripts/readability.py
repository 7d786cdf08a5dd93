"""Print LIX per page (built site) or per service (data), hardest first.

Usage:
  python scripts/readability.py site            # citizen pages of the built site
  python scripts/readability.py data KOMMUNE    # service texts in data/kommuner/KOMMUNE/tjenester.yml
"""

from __future__ import annotations

import sys
from pathlib import Path

from knowledgebase.build import load_project
from knowledgebase.readability import LIX_LIMIT, citizen_pages, lix, page_lix, service_text

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    if argv[:1] == ["data"]:
        index = load_project(ROOT).index
        rows = [(lix(service_text(e.record)), e.id) for e in index.of_type("tjeneste", argv[1])]
    else:
        site = Path(argv[1]) if len(argv) > 1 else ROOT / "site"
        rows = [(page_lix(p), p.relative_to(site).as_posix()) for p in citizen_pages(site)]
    rows.sort(reverse=True)
    for value, name in rows:
        print(f"{value:5.1f}  {'OVER ' if value > LIX_LIMIT else '     '}{name}")
    over = sum(1 for value, _ in rows if value > LIX_LIMIT)
    print(f"{len(rows)} texts, {over} over LIX {LIX_LIMIT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["site"]))
