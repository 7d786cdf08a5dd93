#!/usr/bin/env bash
# Set up and run every quality gate, in layers from fast to slow, each with its wall time; stops at the
# first failure. `make test` runs a sample of pages in the browser and HTML-validator layer;
# `make test-full` (KB_FULL=1) checks every page there. Extra arguments go to the last pytest run.
set -euo pipefail
cd "$(dirname "$0")/.."
export NO_MKDOCS_2_WARNING=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
total=$SECONDS
layer_start=-1
layer() {
  [ "$layer_start" = "-1" ] || echo "   ($(( SECONDS - layer_start )) s)"
  echo "== $1"
  layer_start=$SECONDS
}

layer "1/7 Setup (Python packages, Chromium, HTML checker)"
bash scripts/setup.sh
bash scripts/ensure_chromium.sh
bash scripts/ensure_vnu.sh
bash scripts/ensure_zensical.sh

layer "2/7 Data check, lint (ruff, the rules in pyproject.toml) and types (mypy --strict)"
.venv/bin/python -m knowledgebase check
.venv/bin/ruff check --quiet knowledgebase hooks scripts tests
.venv/bin/mypy

layer "3/7 Unit tests (in-process)"
.venv/bin/python -m pytest -q -p no:cacheprovider -m "not site and not browser and not build"

layer "4/7 Fixture projects: strict builds, failed builds, the command line"
# Each test builds in a process of its own: two at a time, one per core (pytest-xdist).
.venv/bin/python -m pytest -q -p no:cacheprovider -n 2 -m "build and not site and not browser"

layer "5/7 Strict build of the site (into a temporary folder)"
chmod 755 "$work"
.venv/bin/mkdocs build --strict --quiet --site-dir "$work/site"
export KB_TEST_SITE="$work/site"

layer "6/7 Link check (every internal link and anchor of every page)"
.venv/bin/python scripts/linkcheck.py "$work/site"

layer "7/7 Site, browser, accessibility and HTML-validity tests${KB_FULL:+ (every page)}"
# Two at a time: the browser tests wait on Chromium and the local server as much as they compute.
.venv/bin/python -m pytest -q -p no:cacheprovider -n 2 -m "site or browser" "$@"
echo "   ($(( SECONDS - layer_start )) s)"
echo "All layers passed in $(( SECONDS - total )) s."
