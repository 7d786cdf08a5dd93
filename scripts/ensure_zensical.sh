#!/usr/bin/env bash
# Install Zensical, pinned in requirements-zensical.lock, into .venv-zensical: a venv of its own, because it pins
# its own Markdown extensions and must not change what the main build uses. tests/test_engines.py builds the
# exported tree with it. When it cannot be installed (no Python 3.11, the registry lacks a package), the reason
# goes to .venv-zensical/UNAVAILABLE and this script still succeeds: the test is then skipped with that reason.
# Safe to run again: it installs only when the lock file changed.
set -euo pipefail
cd "$(dirname "$0")/.."
lock=requirements-zensical.lock
venv=.venv-zensical
if [ -f "$venv/.installed" ] && cmp -s "$lock" "$venv/.installed"; then
  exit 0
fi
rm -rf "$venv"
mkdir -p "$venv"
PY="${PYTHON:-python3}"
if "$PY" -m venv "$venv" > "$venv/setup.log" 2>&1 \
   && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$lock" >> "$venv/setup.log" 2>&1; then
  cp "$lock" "$venv/.installed"
else
  { echo "Zensical could not be installed from $lock:"; grep -v "is ignored" "$venv/setup.log" | tail -n 5; } \
    > "$venv/UNAVAILABLE"
  echo "ensure_zensical: Zensical is not installed; see $venv/UNAVAILABLE (its test will be skipped)" >&2
fi
