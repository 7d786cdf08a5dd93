#!/usr/bin/env bash
# Make sure the Nu HTML Checker (vnu.jar, from the npm package vnu-jar) and Java are here for the
# HTML validity tests. The jar is kept in .cache/vnu/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=26.9.27
JAR=.cache/vnu/vnu-$VERSION.jar
if ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Java for the HTML validator ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
  else
    echo "The HTML validity tests need Java: sudo apt-get install default-jre-headless" >&2
    exit 1
  fi
fi
if [ ! -f "$JAR" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "The HTML validity tests need npm to fetch vnu-jar $VERSION: sudo apt-get install npm" >&2
    exit 1
  fi
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "vnu-jar@$VERSION" >/dev/null && tar -xzf "vnu-jar-$VERSION.tgz")
  mkdir -p .cache/vnu
  cp "$tmp/package/build/dist/vnu.jar" "$JAR"
  rm -rf "$tmp"
fi
