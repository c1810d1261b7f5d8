#!/usr/bin/env bash
# Runs every test: installs the project with its test extra and Debian's Chromium when missing,
# then ruff and pytest (numerical tests and real-browser tests against a live `panel serve`).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    fi
fi

python3 -m ruff check .
python3 -m ruff format --check .
python3 -m pytest "$@"
