"""The linguistic pipeline: domain entity patterns, relabelling of the model's misses, batching."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def nlp():
    from sitrep.nlp import get_nlp

    return get_nlp()


def _ents(doc) -> dict[str, str]:
    return {e.text: e.label_ for e in doc.ents}


def test_loaded_once(nlp):
    from sitrep.nlp import get_nlp

    assert get_nlp() is nlp
    assert nlp.pipe_names.index("sitrep_entity_ruler") < nlp.pipe_names.index("ner")


def test_equipment_patterns(nlp):
    doc = nlp("The US deployed Patriot missiles and HIMARS launchers; Russia sent S-300 batteries, drones and ballistic missiles.")
    ents = _ents(doc)
    assert ents.get("Patriot missiles") == "EQUIPMENT"
    assert ents.get("HIMARS launchers") == "EQUIPMENT"
    assert ents.get("S-300") == "EQUIPMENT" or ents.get("S-300 batteries") == "EQUIPMENT"
    assert ents.get("drones") == "EQUIPMENT"
    assert ents.get("ballistic missiles") == "EQUIPMENT"


def test_facility_patterns_and_doc_consistency(nlp):
    doc = nlp("Troops landed at the Tal Afar air base. Later they left Tal Afar for the K1 Air Base near Kirkuk.")
    ents = _ents(doc)
    assert ents.get("Tal Afar air base") == "FACILITY"
    assert ents.get("K1 Air Base") == "FACILITY"
    assert ents.get("Tal Afar") == "FACILITY"  # the same name, alone, is the base
    assert ents.get("Kirkuk") == "GPE"


def test_groups_with_either_apostrophe(nlp):
    for text in ("Kata'ib Hezbollah denied the attack.", "Kata’ib Hezbollah denied the attack."):
        doc = nlp(text)
        assert doc.ents[0].label_ == "GROUP" and doc.ents[0].text.startswith("Kata")
    ents = _ents(nlp("The Popular Mobilization Units and the Houthis met ISIS fighters."))
    assert ents.get("Popular Mobilization Units") == "GROUP"
    assert ents.get("Houthis") == "GROUP" and ents.get("ISIS") == "GROUP"


def test_arabic_place_names_are_not_people(nlp):
    ents = _ents(nlp("Fighters gathered in the town of Jurf al-Nasr and later moved to Ain al-Tamr."))
    assert ents.get("Jurf al-Nasr") == "GPE"
    assert ents.get("Ain al-Tamr") in {"GPE", "FACILITY"}
    from sitrep.nlp.relabel import gazetteer_keys, place_key

    assert place_key("Qaim") in gazetteer_keys()  # GeoNames "Al Qā'im"
    assert place_key("Jackson said") not in gazetteer_keys()


def test_place_key_folds_spelling():
    from sitrep.nlp.relabel import place_key

    assert place_key("Al Qā'im") == place_key("Qaim") == "qaim"
    assert place_key("al-Asad") == "asad"


def test_paragraph_breaks_are_sentence_breaks(nlp):
    doc = nlp("Fighting continued\n\nThe ministry said nothing. Talks resume Kata’ib Hezbollah said.")
    sents = [s.text.strip() for s in doc.sents]
    assert sents[0] == "Fighting continued"
    assert any(s.startswith("Talks resume Kata’ib") for s in sents)


def test_parse_keeps_order():
    from sitrep.nlp import parse

    texts = ["One report.", "Second report here.", "Third."]
    docs = list(parse(texts, batch_size=2))
    assert [d.text for d in docs] == texts
