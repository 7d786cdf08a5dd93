"""The export files are written by a second process while MkDocs renders, and failures are reported."""

from __future__ import annotations

import pytest
from sitekit import FIXTURES

from knowledgebase import exportjob, exports
from knowledgebase.build import load_project
from knowledgebase.exports import export_files


@pytest.mark.parametrize("forked", [True, False], ids=["second process", "at once"])
def test_the_export_job_writes_the_same_files_as_export_files(monkeypatch, forked):
    index = load_project(FIXTURES / "mini").index
    if not forked:
        monkeypatch.setattr(exportjob.threading, "active_count", lambda: 2)
    job = exportjob.ExportJob(index)
    assert (job.process is not None) == forked
    try:
        job.wait()
        expected = export_files(index)
        assert sorted(job.paths) == sorted(expected)
        for rel, content in expected.items():
            written = open(job.source(rel), "rb").read()
            if rel.endswith(".xlsx"):  # the workbook carries the time it was saved
                assert written[:2] == b"PK"
            else:
                assert written == content.encode("utf-8"), rel
    finally:
        job.close()
    assert not job.folder.exists()


@pytest.mark.parametrize("forked", [True, False], ids=["second process", "at once"])
def test_a_failing_export_job_stops_the_build_with_the_reason(monkeypatch, forked):
    index = load_project(FIXTURES / "mini").index
    if not forked:  # as under `mkdocs serve`, which runs threads
        monkeypatch.setattr(exportjob.threading, "active_count", lambda: 2)

    def broken(index, rel):
        raise ValueError(f"cannot write {rel}")

    monkeypatch.setattr(exports, "export_file", broken)
    job = exportjob.ExportJob(index)
    try:
        with pytest.raises(RuntimeError, match="writing the export files failed(.|\n)*cannot write export/kb.json"):
            job.wait()
    finally:
        job.close()
