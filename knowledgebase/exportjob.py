"""Write the export files in a second process while MkDocs turns the pages' Markdown into HTML.

Imports :mod:`exports`, :mod:`index` and :mod:`pagejob` (whether forking is safe). The export files
(``kb.json``, the open-data catalogue in RDF and HSDS, the coverage matrices, the handlingsplaner as CSV and Excel,
the work lists) depend only on the validated index,
so a forked child can write them into their folder while the parent converts the pages on the other core. At ten
kommuner the files take about 1.4 s of a 20 s build, 7 %; issue 14 keeps machinery like this only when it saves
more than 5 % (the benchmark prints both builds' times). MkDocs learns the files' paths at once, so links to them
are checked, and copies them after :meth:`ExportJob.wait`, which ``on_env`` calls before MkDocs copies the static
files.

Where forking is not safe (another thread runs, as under ``mkdocs serve``) or not available, the files are written
at once instead.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from pathlib import Path
from typing import Any

from .exports import write_export_files
from .index import Index
from .pagejob import fork_is_safe

FORK = True
"""Whether a build may write the exports in a second process; ``scripts/hardening_cost.py`` sets it to False, so
the time of every hardening step (spreadsheet cells among them) is counted in one process."""
ERROR_FILE = ".export-error.txt"
"""Where the child leaves its error for the parent (inside the folder, removed with it)."""


def _child(index: Index, folder: Path, paths: list[str], site_url: str | None) -> None:
    try:
        write_export_files(index, folder, paths, site_url)
    except BaseException as err:  # reported to the parent through the file, then a non-zero exit
        last = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
        where = f" ({Path(last.filename).name}:{last.lineno})" if last else ""
        (folder / ERROR_FILE).write_text(f"{type(err).__name__}: {err}{where}", encoding="utf-8")
        os._exit(1)
    os._exit(0)


class ExportJob:
    """The export files of one build, written by a child process, or at once where forking is not safe."""

    def __init__(self, index: Index, folder: Path, paths: list[str], site_url: str | None,
                 fork: bool = True) -> None:
        self.folder = folder
        self.process: Any = None
        self.error: str | None = None
        if fork and FORK and fork_is_safe():
            self.process = multiprocessing.get_context("fork").Process(
                target=_child, args=(index, folder, paths, site_url), daemon=True)
            self.process.start()
            return
        try:
            write_export_files(index, folder, paths, site_url)
        except Exception as err:  # reported by wait(), as from the child
            self.error = f"{type(err).__name__}: {err}"

    @property
    def forked(self) -> bool:
        """Whether a child process writes the files."""
        return self.process is not None

    def wait(self) -> None:
        """Block until every file is written.

        Raises:
            RuntimeError: writing failed; the message is one line saying why.
        """
        if self.process is not None:
            self.process.join()
            code, self.process = self.process.exitcode, None
            if code != 0:
                error = self.folder / ERROR_FILE
                self.error = error.read_text(encoding="utf-8") if error.exists() else f"exit code {code}"
                error.unlink(missing_ok=True)
        if self.error is not None:
            raise RuntimeError(f"export: writing the export files failed: {self.error}")

    def stop(self) -> None:
        """Stop the child if it still runs (the build failed)."""
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.process = None
