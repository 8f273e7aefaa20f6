#!/usr/bin/env bash
# System packages the project needs besides its venv, on Debian (called by `make setup`):
#   - WeasyPrint's libraries and a font, to print the reports as PDF;
#   - Debian's Chromium, for the browser tests of the reports (tests/test_reports_browser.py, the accessibility
#     test of tests/test_publishable_reports.py);
#   - Node.js with npm, when no npm is on the PATH, to install the pinned axe-core of tests/axe/;
#   - PostgreSQL's server, for `make run ENGINE=postgres` and the engine's tests (a throwaway cluster each time).
# Installs only what is missing (checked with dpkg, so a second `make` costs nothing). As root it runs
# apt-get non-interactively; otherwise it names the packages and the command to run, and carries on.
set -euo pipefail

PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core chromium postgresql)

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: not a Debian-like system (no dpkg/apt-get): make sure Pango, HarfBuzz (with hb-subset), a" \
         "font and Chromium are installed (${PACKAGES[*]} on Debian)." >&2
    exit 0
fi

missing=()
for package in "${PACKAGES[@]}"; do
    dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed$' || missing+=("$package")
done
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0

command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    cat >&2 <<MESSAGE
setup: missing system packages: ${missing[*]}
  WeasyPrint needs libpango/libharfbuzz-subset/fonts to print the PDF reports; the browser test needs chromium
  and the PostgreSQL engine's tests need postgresql (they are skipped without them). Install them with:
    sudo sh -c '$command'
MESSAGE
    exit 0
fi

echo "setup: installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt_options=(-q -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300)
if ! apt-get "${apt_options[@]}" update >/dev/null \
    || ! apt-get "${apt_options[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null; then
    echo "setup: failed to install ${missing[*]}; run: $command" >&2
    exit 1
fi
echo "setup: installed ${missing[*]}" >&2
