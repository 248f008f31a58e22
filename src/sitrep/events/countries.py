"""Country words in a parse: the nationality or country that modifies a token.

The country index itself (names, demonyms, capitals, centroids) is ``sitrep.countries``; this
module only reads it off spaCy tokens for the event frames and places.
"""
from __future__ import annotations

from sitrep.countries import country_code
from sitrep.events.syntax import _ent_of


def _country_modifier(tok) -> str | None:
    """ISO2 of a nationality or country word modifying ``tok`` ("US troops", "Iranian missiles")."""
    if tok is None:
        return None
    ent = _ent_of(tok)
    if ent is not None and ent.label_ in ("GPE", "NORP"):
        code = country_code(ent.text, capitals=ent.label_ == "GPE")
        if code:
            return code
    code = country_code(tok.text)
    if code:
        return code
    for c in tok.subtree:
        if c.i >= tok.i:
            break
        if c.dep_ in ("compound", "amod", "nmod", "poss") or c.head.dep_ in ("compound", "amod", "nmod", "poss"):
            code = country_code(c.text)
            if code and c.ent_type_ in ("", "GPE", "NORP"):
                return code
    return None
