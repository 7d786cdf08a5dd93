#!/usr/bin/env bash
# Set up and run every quality gate: data check, strict build, link check, then pytest
# (unit, golden, fixture sites, exports, accessibility and browser tests). Stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export NO_MKDOCS_2_WARNING=1
bash scripts/setup.sh
bash scripts/ensure_chromium.sh

echo "== 1/4 Data check and lint"
.venv/bin/python -m knowledgebase check
.venv/bin/ruff check --quiet --select F,B,E9 knowledgebase hooks scripts tests

echo "== 2/4 Strict build"
rm -rf site
.venv/bin/mkdocs build --strict --quiet

echo "== 3/4 Link check (internal links and anchors)"
.venv/bin/python scripts/linkcheck.py site

echo "== 4/4 Tests"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
