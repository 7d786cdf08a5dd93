"""The committed JSON Schema matches the models, and every data file points editors at it."""

from __future__ import annotations

from sitekit import ROOT

from knowledgebase.schema import all_schemas, schema_comment


def test_committed_schema_is_current():
    committed = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "schema").glob("*.schema.json")}
    generated = all_schemas()
    stale = sorted(name for name in generated if committed.get(name) != generated[name])
    missing = sorted(set(committed) - set(generated))
    assert not stale and not missing, (
        f"schema/ is out of date ({stale or missing}); run: .venv/bin/python -m knowledgebase schema")


def test_every_data_file_references_its_schema_on_the_first_line():
    wrong = []
    for path in sorted((ROOT / "data").rglob("*.yml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        if first != schema_comment(path, ROOT / "data", ROOT):
            wrong.append(f"{path.relative_to(ROOT)}: first line should be {schema_comment(path, ROOT / 'data', ROOT)}")
    assert not wrong, "\n".join(wrong)
