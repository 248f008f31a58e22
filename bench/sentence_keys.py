"""Keys that name a labelled sentence of a page in ../shared without holding its text.

The hand labels of bench/data/ are about sentences of the pages of ../shared/eval/, and the house
rule is that data from ../shared is never copied into the repository. So a label names its
sentence by the page's file name, the sentence's character span in sitrep's clean text
(``sentence_start``, ``sentence_end``) and the SHA-1 of the sentence's NFC text
(``sentence_sha1``); parts of the sentence (a claim's content, an event's trigger) are character
offsets into it. A scorer recovers the text from the page it ingested: the window at the
recorded span when its hash agrees, else the nearest window of the same length whose hash agrees
(a change in cleaning, such as dropping The Hill's inline link cards, moves offsets but not the
sentence).
"""
from __future__ import annotations

import hashlib
import unicodedata


def sentence_sha1(sentence: str) -> str:
    """Hex SHA-1 of the sentence's NFC text (NFC: a page re-decoded with composed accents still
    hashes the same)."""
    return hashlib.sha1(unicodedata.normalize("NFC", sentence).encode("utf-8")).hexdigest()


def sentence_key(text: str, start: int, end: int) -> dict:
    """The label keys of the sentence ``text[start:end]``."""
    return {"sentence_start": start, "sentence_end": end, "sentence_sha1": sentence_sha1(text[start:end])}


def locate_sentence(text: str, label: dict) -> int | None:
    """Start of the labelled sentence in ``text``: the recorded start when the window there hashes
    to the label's hash, else the nearest start whose window of the same length does (the earlier
    one of two equally near); None when no window does."""
    start, length, want = label["sentence_start"], label["sentence_end"] - label["sentence_start"], label["sentence_sha1"]
    last = len(text) - length
    for distance in range(max(start, last - start) + 1):
        for pos in (start - distance, start + distance):
            if 0 <= pos <= last and sentence_sha1(text[pos : pos + length]) == want:
                return pos
    return None


def labelled_sentence(text: str, label: dict) -> str | None:
    """The labelled sentence's text as it stands in ``text``; None when it is gone."""
    pos = locate_sentence(text, label)
    return None if pos is None else text[pos : pos + label["sentence_end"] - label["sentence_start"]]
