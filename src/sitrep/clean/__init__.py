"""Cleaning: a ``RawDocument`` becomes an ``Article`` with a clean body and a map back.

Steps, each its own module: ``normalise`` (Unicode, with an offset map), ``lines`` and
``boilerplate`` (title, body, captions, page furniture), ``recurring`` (an outlet's own
furniture learnt across its documents), ``outlet`` (who published it), ``published`` (when),
and ``document`` (composition).
"""
from sitrep.clean.document import clean_document, content_hash, default_registry, outlet_key
from sitrep.clean.normalise import normalise
from sitrep.clean.recurring import LineStats

__all__ = ["LineStats", "clean_document", "content_hash", "default_registry", "normalise", "outlet_key"]
