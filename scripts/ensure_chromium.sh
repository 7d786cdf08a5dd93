#!/usr/bin/env bash
# Make sure Debian's Chromium is installed (Playwright's own browser download does not work here).
set -euo pipefail
if [ -x "${KB_CHROMIUM:-/usr/bin/chromium}" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium (needed for the accessibility and browser tests) ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
cat >&2 <<'MSG'
The accessibility and browser tests need Chromium at /usr/bin/chromium.
Install it, then run the tests again:
    sudo apt-get install chromium
(or point KB_CHROMIUM at another Chromium or Chrome binary).
MSG
exit 1
