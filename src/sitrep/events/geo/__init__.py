"""Geocoding place mentions against a GeoNames-layout gazetteer.

* ``article.resolve_places(doc_text, spans)``: every place an article names, resolved together
  in its context (``context.article_context``: countries, first-level divisions, a local
  outlet's home) with one place per name: the one home of toponym resolution for a text.

* ``geocode_mention(text, start, end, doc_text, context_countries)``: the ``Place`` of a mention,
  reading the words around it ("X air base", "province of X", "near X"); never drops a place.
* ``geocode(name, context_countries=..., feature_hint=..., near=...)``: a bare name.
* ``context_countries(doc_text)``: the countries an article is about, most-mentioned first.
* ``PlacePrecision(place.precision).acled_code`` (``sitrep.vocab``): ACLED's 1/2/3 geo_precision.
* ``Gazetteer.load_default()`` / ``default_gazetteer()``: the shipped regional extract, or a
  GeoNames download named by ``$SITREP_GEONAMES``.
"""
from sitrep.events.geo.gazetteer import GazPlace, Gazetteer, default_gazetteer
from sitrep.events.geo.geocode import context_countries, geocode, geocode_mention

__all__ = ["GazPlace", "Gazetteer", "context_countries", "default_gazetteer", "geocode",
           "geocode_mention"]
