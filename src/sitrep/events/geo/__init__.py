"""Geocoding place mentions against a GeoNames-layout gazetteer (see ``gazetteer`` and ``geocode``)."""
from sitrep.events.geo.gazetteer import GazPlace, Gazetteer, default_gazetteer
from sitrep.events.geo.geocode import (acled_geo_precision, context_countries, geocode,
                                       geocode_mention)

__all__ = ["GazPlace", "Gazetteer", "acled_geo_precision", "context_countries",
           "default_gazetteer", "geocode", "geocode_mention"]
