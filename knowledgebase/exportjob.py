"""Write the export files in a second process while MkDocs renders the pages.

Imports :mod:`exports`. The exports (``kb.json``, CSV and Excel per kommune) depend only on the
validated index, so a forked child can write them into a temporary folder while the parent
turns Markdown into HTML on the other core. MkDocs learns the files' paths at once (so links to
them are checked) and copies them after :meth:`ExportJob.wait`. Where forking is not safe or not
available (``mkdocs serve`` runs threads; other systems), the files are written at once instead.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import threading
import traceback
from pathlib import Path

from .exports import export_paths, write_export_files
from .index import Index


def _child(index: Index, folder: Path, paths: list[str]) -> None:
    try:
        write_export_files(index, folder, paths)
    except BaseException:  # reported to the parent through the file, then a non-zero exit
        (folder / "error.txt").write_text(traceback.format_exc(), encoding="utf-8")
        os._exit(1)
    os._exit(0)


class ExportJob:
    """The export files of one build, written by a child process or at once."""

    def __init__(self, index: Index):
        self.folder = Path(tempfile.mkdtemp(prefix="kb-export-"))
        self.paths = export_paths(index)
        self.process = None
        self.error: str | None = None
        if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
            self.process = multiprocessing.get_context("fork").Process(
                target=_child, args=(index, self.folder, self.paths), daemon=True)
            self.process.start()
        else:
            try:
                write_export_files(index, self.folder, self.paths)
            except Exception:  # reported by wait(), as from the child
                self.error = traceback.format_exc()

    def source(self, rel: str) -> str:
        """Where the export file ``rel`` is (or will be) written."""
        return str(self.folder / rel)

    def wait(self) -> None:
        """Block until every file is written; raise RuntimeError with the child's error if it failed."""
        if self.error is not None:
            raise RuntimeError(f"writing the export files failed:\n{self.error}")
        if self.process is not None:
            self.process.join()
            code, self.process = self.process.exitcode, None
            if code != 0:
                error = self.folder / "error.txt"
                detail = error.read_text(encoding="utf-8") if error.exists() else f"exit code {code}"
                raise RuntimeError(f"writing the export files failed:\n{detail}")

    def close(self) -> None:
        """Stop the child if it still runs and remove the temporary folder."""
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)
