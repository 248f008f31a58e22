#!/usr/bin/env bash
# Refresh the vendored front-end assets of the web UI from npm.
# The files are committed under src/sitrep/web/static/vendor/, so installing sitrep needs no npm;
# run this only to update them. Versions are pinned in src/sitrep/web/package.json.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
web="$here/src/sitrep/web"
build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
cp "$web/package.json" "$build/"
(cd "$build" && npm install --no-audit --no-fund --silent)
nm="$build/node_modules"
out="$web/static/vendor"
mkdir -p "$out/images"
cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.css" "$out/"
cp "$nm/leaflet/dist/images/"*.png "$out/images/"
cp "$nm/world-atlas/countries-110m.json" "$out/"
cp "$nm/topojson-client/dist/topojson-client.min.js" "$out/"
echo "vendored into $out"
