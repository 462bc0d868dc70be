#!/usr/bin/env bash
# Renders a report in headless Chromium, saves a screenshot and fails if the page logged errors
# or refers to anything outside itself.
#
#   reports/scripts/screenshot.sh REPORT_HTML OUT_PNG
#
# Needs /usr/bin/chromium (Debian: apt-get install -y chromium). Exit codes: 0 clean, 1 page errors,
# 2 usage or missing browser.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 REPORT_HTML OUT_PNG" >&2
  exit 2
fi
html=$(realpath "$1")
out=$(realpath -m "$2")
browser=${CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $browser ]]; then
  echo "no Chromium at $browser (apt-get update && apt-get install -y chromium)" >&2
  exit 2
fi

profile=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$profile" "$log"' EXIT

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$profile" --enable-logging=stderr --v=0 --hide-scrollbars)

"$browser" "${flags[@]}" --screenshot="$out" --window-size=1400,3000 "file://$html" 2>"$log" >/dev/null || true

status=0
if [[ ! -s $out ]]; then
  echo "no screenshot written to $out" >&2
  status=1
fi
# Console errors and failed loads show up in Chromium's stderr log.
if grep -E "Uncaught|CONSOLE.*(error|Error)|ERR_FILE_NOT_FOUND|ERR_NAME_NOT_RESOLVED|Failed to load" "$log" >&2; then
  echo "page logged errors (above)" >&2
  status=1
fi
# The report must be self-contained: no scripts, no external URLs.
if grep -Eo '(src|href)="(https?:)?//[^"]*"|<script' "$html" >&2; then
  echo "report refers to external resources or scripts (above)" >&2
  status=1
fi
images=$(grep -o '<img ' "$html" | wc -l)
echo "screenshot: $out ($(stat -c %s "$out" 2>/dev/null || echo 0) bytes); embedded charts: $images"
exit $status
