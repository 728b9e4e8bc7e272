#!/usr/bin/env bash
# Playwright drives the system Chromium (Debian's package). Install it when it is missing.
# We never download a browser build of our own (`npx playwright install` fails on this network).
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
echo "ensure-chromium: $CHROMIUM is missing; installing Debian's chromium package" >&2
SUDO=""; if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
