#!/usr/bin/env bash
# Install sitrep, run the whole pipeline on the bundled sample corpus, print what it found and
# the URL of the web UI. Pass --serve to start the web UI afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/sitrep demo --db sitrep-demo.sqlite "$@"
