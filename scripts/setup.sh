#!/usr/bin/env bash
# Create .venv and install the exact versions in requirements.lock, then this package.
# Safe to run again: it only installs what is missing or changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "setup: Python 3.11 or newer is needed (found: $("$PY" --version 2>&1)). Install python3.11 and run again." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.lock.installed
if [ ! -f "$stamp" ] || ! cmp -s requirements.lock "$stamp" || [ pyproject.toml -nt "$stamp" ]; then
  # (grep drops this machine's notes about local package folders that do not exist; pip's own
  # exit status is kept by pipefail.)
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; }
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e . 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; }
  cp requirements.lock "$stamp"
fi
