#!/usr/bin/env bash
# Opens a report in headless Chromium and saves a full-page screenshot, with the checks of the reports'
# browser test (org.cllmlab.reports.page.PageCheck, driven over the DevTools protocol): no console errors
# or failed loads, every chart decodes with a non-zero size, nothing is cut off at the window's width, and
# the screenshot is as tall as the page. Any failed check fails the script.
#
#   reports/scripts/screenshot.sh REPORT_HTML OUT_PNG [WIDTH]
#
# Needs Chromium ($CHROMIUM, or chromium on the PATH; Debian: apt-get install -y chromium) and a JDK 21+
# (LAB_JAVA_HOME, JAVA_HOME, PATH, /usr/lib/jvm). Uses the CLI jar, built with ./lab when it is missing or
# older than the sources.
# Exit codes: 0 every check passed, 1 a check failed, 2 usage, no browser or no JDK.
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: $0 REPORT_HTML OUT_PNG [WIDTH]" >&2
  exit 2
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
jar="$root/experiments/target/cllm-lab.jar"

if [[ ! -f $jar ]] || [[ -n $(find "$root" -path "$root/.git" -prune -o \( -name '*.java' -o -name pom.xml \) \
    -newer "$jar" -print -quit) ]]; then
  "$root/lab" build || exit 2
fi

# A java of version 21 or newer: $LAB_JAVA_HOME, $JAVA_HOME, the one on the PATH, then the newest installed.
java_bin=""
for j in ${LAB_JAVA_HOME:+"$LAB_JAVA_HOME/bin/java"} ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)" \
    $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -rV); do
  [[ -x $j ]] || continue
  v=$("$j" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | tr -d '[:space:]')
  if [[ ${v%%.*} =~ ^[0-9]+$ && ${v%%.*} -ge 21 ]]; then java_bin=$j; break; fi
done
if [[ -z $java_bin ]]; then
  echo "no JDK 21 or newer found (set LAB_JAVA_HOME)" >&2
  exit 2
fi
exec "$java_bin" -cp "$jar" org.cllmlab.reports.page.PageCheck "$@"
