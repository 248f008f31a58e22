"""MinHash reprint detection links near copies to the earliest copy."""
from datetime import date

from sitrep.reprints import ReprintIndex, from_bytes, signature, to_bytes

WIRE = ("Two US Patriot air defence batteries have been installed at the Ain al-Asad air base in western Iraq, "
        "a military source in Anbar province told the agency on Monday. The source said the batteries were flown "
        "in from Kuwait over the weekend and that US forces had also relocated troops from the Qaim border post.")


def test_near_copy_is_found_and_unrelated_is_not():
    idx = ReprintIndex()
    idx.add("orig", signature(WIRE), date(2020, 4, 6))
    reprint = WIRE.replace("in western Iraq", "in Iraq's western desert") + " This story was provided by the agency."
    assert idx.find(signature(reprint)) == "orig"
    other = "Hundreds of protesters gathered in Tahrir Square on Friday to demand early elections and reforms."
    assert idx.find(signature(other)) is None


def test_chain_of_reprints_points_at_the_first_copy():
    idx = ReprintIndex()
    idx.add("first", signature(WIRE), date(2020, 4, 6))
    second = WIRE + " Subscribe to our newsletter."
    idx.add("second", signature(second), date(2020, 4, 7), reprint_of=idx.find(signature(second)))
    third = second + " Contact us."
    assert idx.find(signature(third)) == "first"


def test_signature_bytes_round_trip():
    sig = signature(WIRE)
    assert from_bytes(to_bytes(sig)).jaccard(sig) == 1.0
