"""Where a build's time goes: per Markdown extension, per theme or page template, per step of our own.

Builds the project in the current folder once, in this process, under cProfile, and sums each function's own
time (not counting what it calls) by where the function lives:

- ``markdown: <extension>`` for each extension of Python-Markdown and PyMdown Extensions, ``markdown: core`` for
  the parser itself;
- ``template: <file>`` for each Jinja template (Material's theme and our overrides; page templates under
  ``knowledgebase/templates``);
- ``knowledgebase: <module>`` for our own modules, ``mkdocs``, ``jinja2`` (the engine, outside templates),
  ``yaml``, ``pydantic``, ``openpyxl``, ``rdflib``; ``stdlib: <module>`` for Python's own library;
- ``subprocess`` for programs the build waits for (Pagefind);
- everything else under ``other``.

A built-in function's time (``str.join``, a regular expression's ``search``) counts for the code that called it.

cProfile slows Python code down, more for many small calls, so the shares are a guide to where to look, not
timings; the benchmark (scripts/benchmark.py) gives the timings.

Usage (from a project folder): python scripts/profile_build.py [TOP]
"""

from __future__ import annotations

import cProfile
import os
import pstats
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

_EXTENSION = re.compile(r"/(markdown/extensions|pymdownx)/(?P<name>[a-z_0-9]+)\.py$")


def group_of(filename: str, function: str) -> str:
    """The group a function's own time is counted in."""
    ext = _EXTENSION.search(filename)
    if ext:
        return f"markdown: {ext['name']}"
    if "/site-packages/markdown/" in filename:
        return "markdown: core"
    if filename.endswith((".html", ".j2", ".xml", ".js")) or "/templates/" in filename:
        return f"template: {Path(filename).name}"
    if "/knowledgebase/" in filename:
        return f"knowledgebase: {Path(filename).stem}"
    if function in ("<method 'poll' of 'select.poll' objects>", "<built-in method posix.waitpid>") \
            or filename.endswith("subprocess.py") or filename.endswith("selectors.py"):
        return "subprocess (Pagefind)"
    for package in ("mkdocs", "material", "jinja2", "yaml", "pydantic", "openpyxl", "rdflib", "markupsafe"):
        if f"/site-packages/{package}/" in filename or f"/site-packages/{package}_" in filename:
            return package
    if "/lib/python3" in filename and "/site-packages/" not in filename:
        return f"stdlib: {Path(filename).stem}"
    return "other"


def main(top: int) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(str(Path.cwd() / "mkdocs.yml"), site_dir=str(Path(tmp) / "site"), strict=False)
        config.plugins.on_startup(command="build", dirty=False)
        profile = cProfile.Profile()
        profile.enable()
        build(config)
        profile.disable()
        config.plugins.on_shutdown()
    stats = pstats.Stats(profile)
    totals: dict[str, float] = defaultdict(float)
    for (filename, _, function), (_, _, own, _, callers) in stats.stats.items():  # type: ignore[attr-defined]
        if filename == "~" and callers and group_of(filename, function) == "other":
            # A built-in (str.join, re's search, isinstance) counts for the code that called it.
            for (caller_file, _, caller_function), caller_stats in callers.items():
                totals[group_of(caller_file, caller_function)] += caller_stats[2]
        else:
            totals[group_of(filename, function)] += own
    whole = sum(totals.values())
    print(f"{'seconds':>8} {'share':>6}  where (own time under cProfile; whole build {whole:.1f} s)")
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1])[:top]:
        print(f"{seconds:>8.2f} {seconds / whole:>6.1%}  {name}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
