"""Take screenshots of built pages at phone and desktop width with Debian's Chromium.

Usage: python scripts/screenshot.py SITE_DIR OUT_DIR PATH [PATH ...]
PATH is a page address inside the site, such as ``kommuner/flaa/`` or ``index.html``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser import launch_chromium, serve_site  # noqa: E402


def main(site: str, out: str, *paths: str) -> None:
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with serve_site(Path(site)) as base, launch_chromium() as browser:
        for width, height in ((360, 740), (1280, 900)):
            page = browser.new_page(viewport={"width": width, "height": height})
            for path in paths:
                page.goto(base + path.lstrip("/"))
                name = path.strip("/").replace("/", "_") or "index"
                page.screenshot(path=str(out_dir / f"{name}-{width}.png"), full_page=False)
            page.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
