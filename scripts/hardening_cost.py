"""How much of a build the hardening costs: the time spent in the escaping and safety steps, as a share of it.

Builds the project in the current folder once, in this process, with every hardening step wrapped in a timer:
the escaping of each printed value (``escape``), the check that no page can run a script or call another host
(``security.unsafe_markup``), the neutralising of spreadsheet cells (``spreadsheet``), the limits on each YAML
file (size, nesting, aliases, control characters: ``yamlsource._within_limits``) and the build into a temporary
folder that is swapped into place (``atomic``). Jinja's own autoescaping is not counted (it runs inside the
compiled templates). Prints one JSON object: the build's seconds, the
seconds inside those steps, their share, and the calls and seconds of each step; and the peak memory of the build
itself and of Pagefind, which runs as a program of its own (the benchmark's peak column is the larger of the two).

Comparing two commits' build times mixes the hardening with everything else that changed between them (pages,
data, features); timing the steps themselves in one build does not.

Usage (from a project folder): python scripts/hardening_cost.py
"""

from __future__ import annotations

import functools
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

STEPS = {
    "knowledgebase.escape": ["markdown_text", "front_matter_value", "json_for_script"],
    "knowledgebase.security": ["unsafe_markup", "content_security_policy", "headers_file", "theme_problem"],
    "knowledgebase.spreadsheet": ["neutralise_cell", "stable_xlsx"],
    "knowledgebase.atomic": ["start", "publish"],
    "knowledgebase.yamlsource": ["_within_limits"],
}


def wrap_steps() -> dict[str, list[float]]:
    """Replace each step, in its own module and wherever it was imported by name, with a timed wrapper."""
    import importlib

    import knowledgebase.mkdocs_hooks  # noqa: F401  (loads every module that imports a step)

    spent: dict[str, list[float]] = {}
    depth = [0]

    def timed(name: str, func: Any) -> Any:
        record = spent.setdefault(name, [0, 0.0])

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if depth[0]:  # a step inside a step is counted once, in the outer one
                return func(*args, **kwargs)
            depth[0] += 1
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                record[0] += 1
                record[1] += time.perf_counter() - start
                depth[0] -= 1

        return wrapper

    originals = {}
    for module_name, names in STEPS.items():
        module = importlib.import_module(module_name)
        for name in names:
            originals[id(getattr(module, name))] = timed(f"{module_name.split('.')[-1]}.{name}", getattr(module, name))
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith(("knowledgebase", "hooks", "kb")):
            for attr, value in list(vars(module).items()):
                if callable(value) and id(value) in originals:
                    setattr(module, attr, originals[id(value)])
    return spent


def main() -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from knowledgebase import exportjob, pagejob

    # Every step is timed in this process: the export files' (spreadsheet cells) and the pages' (the page check)
    # too, so the share is of the whole work of a build in one process.
    exportjob.FORK = False
    pagejob.FORK = False
    spent = wrap_steps()
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(str(Path.cwd() / "mkdocs.yml"), site_dir=str(Path(tmp) / "site"), strict=False)
        config.plugins.on_startup(command="build", dirty=False)
        start = time.perf_counter()
        build(config)
        seconds = time.perf_counter() - start
        config.plugins.on_shutdown()
    inside = sum(s for _, s in spent.values())
    # Peak memory of this process (the build itself) and of its largest child (Pagefind), apart.
    peaks = {"peak_build_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
             "peak_pagefind_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}
    print(json.dumps({"seconds": seconds, "hardening_seconds": inside, "share": inside / seconds, **peaks,
                      "steps": {k: {"calls": c, "seconds": round(s, 4)} for k, (c, s) in sorted(spent.items())}}))


if __name__ == "__main__":
    main()
