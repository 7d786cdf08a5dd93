"""Check every internal link and anchor of a built site, from the files, each page parsed once.

Usage: python scripts/linkcheck.py SITE_DIR

Every ``href`` and ``src`` of every HTML page that points inside the site must name a file that
exists (a folder means its ``index.html``), and a ``#fragment`` must be an ``id`` (or ``<a name>``)
on the target page. External links (``http:``, ``https:``, ``mailto:``, ``tel:``) are not checked
here: the build machines have no internet; run ``linkchecker --check-extern`` on the published site
for those.

Why not linkchecker here: over HTTP it re-reads a page for every anchor that points into it (about
10 000 URLs took 7-9 minutes), and over ``file://`` it cannot check anchors of folder URLs
(``../hol/#paragraf-3-1``), which is every internal link of a MkDocs site with directory URLs.
"""

from __future__ import annotations

import html.parser
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlsplit

_LINK_ATTRS = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src", "iframe": "src",
               "area": "href", "form": "action"}
_EXTERNAL = ("http:", "https:", "mailto:", "tel:", "data:")
CHECKED = 0
"""How many internal links the last :func:`check` followed."""


class _Page(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"] or "")
        attr = _LINK_ATTRS.get(tag)
        if attr and values.get(attr) is not None:
            self.links.append(values[attr] or "")


def parse(path: str) -> tuple[str, set[str], list[str]]:
    """(path, ids, links) of one page."""
    page = _Page()
    page.feed(Path(path).read_text(encoding="utf-8"))
    return path, page.ids, page.links


def target_of(site: Path, page: Path, link: str) -> tuple[Path, str] | None:
    """The file a link points at and its fragment; None for an external link or one to the page itself."""
    if link.startswith(_EXTERNAL) or link.startswith("//"):
        return None
    parts = urlsplit(link)
    if parts.scheme:
        return (Path("/") / f"unsupported scheme {parts.scheme}:", "")
    if not parts.path:
        return (page, unquote(parts.fragment))
    base = site if parts.path.startswith("/") else page.parent
    target = Path(os.path.normpath(base / unquote(parts.path.lstrip("/"))))
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return (target, unquote(parts.fragment))


def check(site: Path) -> list[str]:
    """Every broken internal link, as 'page: link (reason)'."""
    pages = sorted(str(p) for p in site.rglob("*.html"))
    with ProcessPoolExecutor(max(1, os.cpu_count() or 1)) as pool:
        parsed = {Path(p): (ids, links) for p, ids, links in pool.map(parse, pages, chunksize=32)}
    problems: list[str] = []
    site = site.resolve()
    global CHECKED
    CHECKED = 0
    for page, (_ids, links) in parsed.items():
        for link in links:
            found = target_of(site, page.resolve(), link)
            if found is None:
                continue
            CHECKED += 1
            target, fragment = found
            where = f"{page.relative_to(site).as_posix()}: {link}"
            if str(target).startswith("/unsupported"):
                problems.append(f"{where} ({target.name})")
            elif not target.is_file():
                problems.append(f"{where} (no such file)")
            elif fragment:
                target_ids = parsed.get(target, (None, None))[0]
                if target_ids is None:
                    problems.append(f"{where} (anchor into a file that is not a page)")
                elif fragment not in target_ids:
                    problems.append(f"{where} (no id '{fragment}' on the page)")
    return problems


def main(site_dir: str) -> int:
    start = time.perf_counter()
    site = Path(site_dir)
    pages = sum(1 for _ in site.rglob("*.html"))
    problems = check(site)
    seconds = time.perf_counter() - start
    if problems:
        print("\n".join(problems))
        print(f"Link check failed: {len(problems)} broken links or anchors on {pages} pages ({seconds:.1f} s).",
              file=sys.stderr)
        return 1
    print(f"Link check: {pages} pages, {CHECKED} internal links and anchors, all resolve ({seconds:.1f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
