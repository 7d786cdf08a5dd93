"""The export files written by a second process during the build are the files written at once, and a failure in
that process stops the build with one line saying why."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledgebase import exportjob
from knowledgebase.build import load_project
from knowledgebase.exports import export_paths

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_forked_export_writes_the_same_files(tmp_path):
    index = load_project(MINI).index
    paths = export_paths(index)
    forked = exportjob.ExportJob(index, tmp_path / "forked", paths, "https://kb.example/")
    assert forked.forked  # the test runs without other threads, as `mkdocs build` does
    at_once = exportjob.ExportJob(index, tmp_path / "at-once", paths, "https://kb.example/", fork=False)
    assert not at_once.forked
    forked.wait()
    at_once.wait()
    first, second = _files(tmp_path / "forked"), _files(tmp_path / "at-once")
    assert sorted(first) == sorted(paths) and first == second


@pytest.mark.parametrize("fork", [True, False])
def test_a_failing_export_stops_the_build_with_one_line(tmp_path, monkeypatch, fork):
    def broken(*args, **kwargs):
        raise ValueError("the coverage matrix has no rows")

    monkeypatch.setattr(exportjob, "write_export_files", broken)  # the forked child inherits the patch
    job = exportjob.ExportJob(load_project(MINI).index, tmp_path, ["eksport/kb.json"], None, fork=fork)
    assert job.forked == fork
    with pytest.raises(RuntimeError) as raised:
        job.wait()
    message = str(raised.value)
    assert message.startswith("export: writing the export files failed: ValueError: the coverage matrix has no rows")
    assert "\n" not in message and "Traceback" not in message
    assert not (tmp_path / exportjob.ERROR_FILE).exists()
