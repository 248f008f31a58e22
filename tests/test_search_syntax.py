"""Search: words, "exact phrases", OR and -word on SQLite FTS5 and PostgreSQL alike, and a name
widened to the spellings the entity index groups with it."""
from __future__ import annotations

import pytest

from sitrep.model import Article, Entity, OffsetMap
from sitrep.store.search_syntax import parse, to_fts5

TEXTS = {
    "t1": "Taliban fighters entered the city before dawn.",
    "t2": "Iran said the exercise near the border was routine.",
    "t3": "The air base was hit; officials said the base stayed open.",
    "t4": "Officials said the air was thick with smoke near the base.",
    "t5": "News Front wrote that al-Assad met the envoy in Damascus.",
}


def _article(aid: str, text: str) -> Article:
    offsets = OffsetMap()
    offsets.add(0, 0, len(text))
    return Article(id=aid, source_path="s.txt", text=text, original=text, offsets=offsets, title=aid,
                   outlet="Wire", content_hash=aid)


@pytest.fixture
def repo(any_repo):
    with any_repo.transaction():
        for aid, text in TEXTS.items():
            any_repo.add_article(_article(aid, text))
        any_repo.save_entities([Entity("E1", "Bashar al-Assad", "PERSON", aliases=["al-Assad", "al-Asad"])])
    return any_repo


def _ids(repo, query: str) -> set[str]:
    return {hit.id for hit in repo.search(query, limit=50)}


def test_or_phrase_and_exclusion(repo):
    assert _ids(repo, "Taliban OR Iran") == {"t1", "t2"}
    assert _ids(repo, "Taliban Iran") == set()  # words without OR must all match
    assert _ids(repo, '"air base"') == {"t3"}  # the phrase, not the two words anywhere
    assert _ids(repo, "air base") == {"t3", "t4"}
    assert _ids(repo, "officials -smoke") == {"t3"}
    assert _ids(repo, '"air base" OR Taliban') == {"t1", "t3"}


def test_a_name_finds_its_other_spellings(repo):
    assert _ids(repo, "al-Asad") == {"t5"}  # the text spells it al-Assad
    assert _ids(repo, '"Bashar al-Assad"') == {"t5"}  # the full name widens to its alias in the text
    assert _ids(repo, "al-Asad Damascus") == {"t5"} and _ids(repo, "al-Asad -envoy") == set()


def test_syntax_characters_stay_words(repo):
    for query in ("NEAR(", "c*", "title:x", "AND", '"', "OR", "-", "- -"):
        assert isinstance(repo.search(query), list)  # never an engine syntax error


def test_parse_keeps_user_text_quoted():
    assert to_fts5(parse('a "b" c*')) == '"a" AND "b" AND "c*"'
    assert to_fts5(parse("Taliban OR Iran -Kabul")) == '("Taliban" OR "Iran") NOT "Kabul"'
    assert to_fts5(parse('"unclosed phrase')) == '"unclosed phrase"'
    assert to_fts5(parse("OR -x")) == ""  # nothing positive to search for
