"""Link boxes inside a paragraph: a hover card that text extraction flattens into the sentence.

The Hill puts a card on the first mention of a politician: the linked name, then the card with
the person's full name, a few headlines of related stories and a "MORE" link. Flattened, the
card sticks to the name with no space between::

    ... threatened to kill Rep. Ilhan OmarIlhan OmarHillicon Valley: Progressives oppose ...
    Omar asks court to apply 'system of compassion' in sentencing ... MORE (D-Minn.), the ...

The card is cut from the first letter of the glued full name through "MORE", which leaves
"Rep. Ilhan Omar (D-Minn.)" as the page shows it. What makes it a card and not prose: a name
word glued to a capital ("OmarIlhan"), the same name word again as a whole word a few words
later (the card's full name, "Ilhan Omar", "Kristi Lynn Noem"), and the bare upper-case "MORE"
closing it within one line. Prose glues words only by accident (a lost space), and then neither
repeats the name nor ends on "MORE".
"""
from __future__ import annotations

import re

#: Longest card seen on the Zyte benchmark's The Hill pages is 390 characters (three headlines of
#: a "Hillicon Valley" digest); 1,200 leaves room for longer digests without reaching across a
#: paragraph of prose (cards are looked for line by line).
MAX_CARD_CHARS = 1_200
#: The card's full name ends within this many characters of its start ("Kristi Lynn Noem",
#: "Alexandria Ocasio-Cortez"); the headlines follow it.
MAX_FULL_NAME_CHARS = 60

# A capitalised name word whose last letter is lower case, glued to the capital of the card.
_GLUE = re.compile(r"\b([A-Z][\w'’.-]*[a-z])(?=[A-Z])")
_MORE = re.compile(r" MORE(?=[\s(),.;:]|$)")
# The card opens on the person's first name and a space ("Ilhan Omar...", "Kristi Lynn ..."); a
# name split inside itself ("Mc|Cain", "De|Santis") opens on the rest of the name instead.
_CARD_OPENING = re.compile(r"[A-Z][\w'’.-]+ ")
#: The glued name word has at least this many letters: "Mc", "De", "Le" are prefixes of names.
MIN_NAME_CHARS = 3


def _card_start(glue: re.Match) -> bool:
    """Whether the glue at ``glue`` opens a card: a first name follows, and the card's full name
    repeats the glued word within its first characters."""
    name = glue.group(1).split("-")[-1]
    if len(name) < MIN_NAME_CHARS:
        return False
    line, start = glue.string, glue.end()
    if not _CARD_OPENING.match(line, start):
        return False
    head = line[start : start + MAX_FULL_NAME_CHARS]
    return re.search(r"\b" + re.escape(name) + r"(?![a-z])", head) is not None  # "Ilhan OmarHillicon"


def link_boxes(line: str) -> list[tuple[int, int]]:
    """Spans of ``line`` (start, end) that are flattened link cards, in order; empty for prose.

    Each " MORE" closes at most one card, opened by the first glued name within
    ``MAX_CARD_CHARS`` before it; the scan never goes back over text it has read, so a long line
    costs time in proportion to its length."""
    if "MORE" not in line:  # the cheap test first: almost every line has no card
        return []
    spans: list[tuple[int, int]] = []
    scanned = 0  # glues before this were tried and opened no card
    for more in _MORE.finditer(line):
        window = max(scanned, more.start() - MAX_CARD_CHARS)  # ``line`` is one line: no break to stop at
        for glue in _GLUE.finditer(line, window, more.start()):
            if _card_start(glue):
                spans.append((glue.end(), more.end()))
                break
        scanned = more.end()
    return spans


def drop_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The kept pieces of ``text`` (start, end) once ``spans`` are cut; a cut that leaves a space
    on both sides keeps only the one before it (the card is followed by " (D-Minn.)")."""
    pieces: list[tuple[int, int]] = []
    pos = 0
    for start, end in spans:
        if start > pos:
            pieces.append((pos, start))
        pos = end
        if start > 0 and text[start - 1] == " " and text[pos : pos + 1] == " ":
            pos += 1
    if pos < len(text):
        pieces.append((pos, len(text)))
    return pieces
