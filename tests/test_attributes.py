"""The memoised attribute ruler gives exactly the stock ruler's matches and token attributes."""
from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from sitrep.nlp import MODEL_NAME
from sitrep.nlp.attributes import MemoAttributeRuler, swap_in

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "samples" / "corpus"

# every multi-token rule of the English model, the function words its single-token rules name,
# regex-named forms, whitespace tokens and an empty text
TRICKY = [
    "They ai n't gon na stop, y' all. There is nothin' here, and there were none. Let 's go, c'm on!",
    "I did it, you did too; she 'd have been there had it been possible. Ca n't, wo n't, sha n't.",
    "Somethin' 'bout 'em: goin' doin' ol' 'nuff said. That which is, is. Those that were, were.",
    "  \n\n  Spaces   and\ttabs \n\n",
    "",
    "US forces said on Sunday that rockets struck Ain al-Asad, which hosts Patriot batteries.",
]


def _texts() -> list[str]:
    texts = list(TRICKY)
    for path in sorted(SAMPLES.rglob("*")):
        if path.is_file() and path.suffix in {".txt", ".html", ".xml", ".jsonl", ".json", ".rss"}:
            texts.append(path.read_text(encoding="utf-8", errors="replace")[:20000])
    return texts


@pytest.fixture(scope="module")
def model():
    return spacy.load(MODEL_NAME)


@pytest.fixture(scope="module")
def parsed(model):
    """Documents as the attribute ruler receives them: tagged and parsed, nothing set yet."""
    with model.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        return list(model.pipe(_texts()))


def test_matches_equal_the_stock_ruler(model, parsed):
    stock = model.get_pipe("attribute_ruler")
    memo = MemoAttributeRuler(model.vocab)
    memo.add_patterns(stock.patterns)
    assert len(parsed) > len(TRICKY)  # the shipped samples were read too
    for doc in parsed:
        assert memo.match(doc) == stock.match(doc)
    assert memo._plan.memoisable
    for doc in parsed:  # and again, answered from the memo
        assert memo.match(doc) == stock.match(doc)
    multi = [m for doc in parsed for m in memo.match(doc) if m[3] - m[2] > 1]
    assert multi, "the tricky texts exercise the multi-token rules"


def test_token_attributes_equal_through_the_pipeline(model):
    texts = _texts()
    stock_docs = list(model.pipe(texts))
    memo_model = spacy.load(MODEL_NAME)
    swap_in(memo_model)
    assert isinstance(memo_model.get_pipe("attribute_ruler"), MemoAttributeRuler)
    assert memo_model.pipe_names == model.pipe_names
    for a, b in zip(stock_docs, memo_model.pipe(texts)):
        assert [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in a] == \
               [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in b]
        assert [(e.start, e.end, e.label_) for e in a.ents] == [(e.start, e.end, e.label_) for e in b.ents]


def test_rules_it_cannot_memoise_fall_back_to_the_stock_path(model, parsed):
    rules = [
        {"patterns": [[{"POS": "PROPN"}]], "attrs": {"MORPH": "Foreign=Yes"}},  # reads POS
        {"patterns": [[{"LOWER": "the"}]], "attrs": {"MORPH": "Definite=Def"}},
    ]
    memo = MemoAttributeRuler(model.vocab)
    memo.add_patterns(rules)
    from spacy.pipeline import AttributeRuler

    stock = AttributeRuler(model.vocab)
    stock.add_patterns(rules)
    for doc in parsed[:4]:
        assert memo.match(doc) == stock.match(doc)
    assert not memo._plan.memoisable


def test_adding_rules_forgets_what_was_remembered(model, parsed):
    memo = MemoAttributeRuler(model.vocab)
    memo.add_patterns([{"patterns": [[{"TAG": "NNP"}]], "attrs": {"POS": "PROPN"}}])
    before = memo.match(parsed[0])
    assert memo._memo
    memo.add_patterns([{"patterns": [[{"TAG": "NNP"}]], "attrs": {"MORPH": "Number=Sing"}}])
    after = memo.match(parsed[0])
    assert len(after) == 2 * len(before) > 0


def test_build_nlp_uses_it():
    from sitrep.nlp import get_nlp

    assert isinstance(get_nlp().get_pipe("attribute_ruler"), MemoAttributeRuler)
