#!/usr/bin/env bash
# Install everything, start a loopback PostgreSQL for the store tests, run the whole test suite.
# CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
if url=$(bash scripts/postgres.sh); then
  export SITREP_TEST_POSTGRES="$url"
else
  echo "PostgreSQL could not be installed or started here: its tests will be skipped" >&2
fi
exec .venv/bin/python -m pytest -q "$@"
