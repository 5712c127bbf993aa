#!/usr/bin/env bash
# Set up a machine to run the test suite: the project with its test extras, and chromium for the
# dashboard's browser tests (Debian's package: Playwright cannot download browsers on machines
# without internet access to its CDN). Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null && [ -z "${CHROMIUM:-}" ]; then
    if command -v apt-get >/dev/null; then
        as_root=""
        [ "$(id -u)" -ne 0 ] && as_root="sudo"
        export DEBIAN_FRONTEND=noninteractive
        $as_root apt-get install -y --no-install-recommends chromium >/dev/null \
            || { $as_root apt-get update >/dev/null \
                 && $as_root apt-get install -y --no-install-recommends chromium >/dev/null; }
    else
        echo "tests/setup.sh: install chromium with your package manager, or set CHROMIUM to a" \
             "chromium binary, for the browser tests (tests/browser)" >&2
        exit 1
    fi
fi
python -m pip install -e ".[test]"
