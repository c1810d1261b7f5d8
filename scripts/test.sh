#!/usr/bin/env bash
# Runs every test: installs the project with its test extra and Debian's Chromium, nginx and wabt (the
# WebAssembly assembler, to check the shipped binaries) when missing,
# then ruff and pytest in two workers (numerical tests and real-browser tests against a live `panel serve`).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v wat2wasm >/dev/null 2>&1 || missing+=(wabt)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    # Install only: no service started by the package (tests start their own nginx on loopback).
    policy=/usr/sbin/policy-rc.d
    added_policy=""
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy"
        added_policy=1
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    [ -z "$added_policy" ] || $sudo rm -f "$policy"
fi

python3 -m ruff check .
python3 -m ruff format --check .
# Two workers, a test file each at a time (its servers and browser are the file's): most of a browser
# test is waiting on a page or a server, so two share the machine's cores well.
python3 -m pytest -n 2 --dist loadfile "$@"
