"""Distance on the Earth's surface: the one great-circle formula every stage uses.

The Earth is taken as a sphere of the IUGG mean radius, 6371.0088 km; the haversine formula on
it is within 0.5 % of the ellipsoidal distance, far finer than any place a news report names.
"""
from __future__ import annotations

import math

#: IUGG mean Earth radius (2a + b) / 3 of WGS 84, in km.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    # min(): rounding can push h a hair above 1 for antipodal points.
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


__all__ = ["EARTH_RADIUS_KM", "haversine_km"]
