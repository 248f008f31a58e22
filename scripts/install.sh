#!/usr/bin/env bash
# Install sitrep and everything it needs into ./.venv (idempotent). With --test, also every
# optional part (the Ray engine, the PostgreSQL store) and the test tools: pytest, mypy, ruff,
# Playwright (driving Debian's Chromium, installed here when we are root).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install -q -e '.[test,ray,postgres,gazetteer]'
  if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests…" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "could not install chromium: browser tests will be skipped (in CI: fail)" >&2
  fi
else
  .venv/bin/python -m pip install -q -e .
fi
