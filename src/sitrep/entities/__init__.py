"""Entity resolution across documents and spellings: transliteration keys, within-document
acronyms and short forms, an editable alias table, and an incremental resolver."""
from .aliases import AliasGroup, AliasTable
from .keys import fold, name_key, names_match, token_match, type_family
from .resolver import EntityResolver, entity_id
from .within_doc import acronym_matches, link_within_document

__all__ = [
    "AliasGroup",
    "AliasTable",
    "EntityResolver",
    "acronym_matches",
    "entity_id",
    "fold",
    "link_within_document",
    "name_key",
    "names_match",
    "token_match",
    "type_family",
]
