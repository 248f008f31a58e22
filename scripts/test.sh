#!/usr/bin/env bash
# Install everything, start a loopback PostgreSQL for the store tests, run the whole test suite.
# CI runs exactly this. In CI (CI set, as CI sets it) SITREP_REQUIRE_ALL=1: a test that would skip
# for want of ../shared, PostgreSQL, Chromium or an extra fails instead (tests/conftest.py), so a
# green run means the whole suite ran. Elsewhere those skips stay visible skips; export
# SITREP_REQUIRE_ALL=1 yourself to check a machine the way CI does.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${CI:-}" ] && [ "${CI}" != "false" ] && [ "${CI}" != "0" ]; then
  export SITREP_REQUIRE_ALL=1
fi
bash scripts/install.sh --test
if url=$(bash scripts/postgres.sh); then
  export SITREP_TEST_POSTGRES="$url"
elif [ "${SITREP_REQUIRE_ALL:-}" = 1 ]; then
  echo "PostgreSQL could not be installed or started here: its tests will fail (SITREP_REQUIRE_ALL=1)" >&2
else
  echo "PostgreSQL could not be installed or started here: its tests will be skipped" >&2
fi
exec .venv/bin/python -m pytest -q "$@"
