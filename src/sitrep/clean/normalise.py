"""Unicode normalisation that remembers where every character came from.

Scraped news text carries non-breaking spaces, zero-width characters, byte-order marks, stray
control codes and decomposed accents. Later stages match names and patterns, so the text is
normalised first; but every fact must point back into the text as read, so the normalisation
returns an ``OffsetMap`` from normalised offsets to original offsets.
"""
from __future__ import annotations

import functools
import itertools
import re
import unicodedata

from sitrep.model import OffsetMap

# Invisible characters that carry no text: zero-width space, word joiner, BOM / zero-width
# no-break space, soft hyphen, Mongolian vowel separator, directional marks and embeddings.
# ZWNJ and ZWJ are kept: they are orthographic in Persian and Indic scripts and in emoji.
_DROP = frozenset(
    "\u200b\u2060\ufeff\u00ad\u180e\u200e\u200f\u061c"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_LINE_BREAKS = frozenset("\u2028\u2029\x0b\x0c\x85")


def _map_char(ch: str) -> str:
    """What one (pre-NFC) character becomes: itself, a plain space, a newline, or nothing."""
    if ch in ("\n", "\t"):
        return ch
    if ch in _DROP:
        return ""
    if "\ud800" <= ch <= "\udfff":  # a lone surrogate (from a JSON escape) cannot be encoded
        return "\ufffd"
    if ch in _LINE_BREAKS:
        return "\n"
    cat = unicodedata.category(ch)
    if cat == "Zs":
        return " "
    if cat == "Cc":  # C0 and C1 controls (\r is handled by the caller)
        return ""
    return ch


# Every character that pass 1 changes or drops; runs between them are copied in bulk.
_SPECIAL = re.compile(
    "\r\n?|[\x00-\x08\x0b-\x1f\x7f-\x9f\u00a0\u00ad\u061c\u1680\u180e\u2000-\u200b"
    "\u200e\u200f\u2028-\u202f\u205f\u2060\u2066-\u2069\u3000\ufeff\ud800-\udfff]"
)


def normalise(text: str) -> tuple[str, OffsetMap]:
    """NFC text with plain spaces and ``\\n`` line ends, and a map back to ``text``.

    Steps: ``\\r\\n`` and ``\\r`` become ``\\n``; Unicode spaces become " "; invisible
    characters and control codes (but ``\\n`` and ``\\t``) are dropped; then NFC is applied per
    combining sequence (a base character and the combining marks after it), so each composed
    character maps to the start of the sequence it came from.
    """
    # Pass 1: copy runs verbatim, map the special characters one by one.
    out: list[str] = []
    omap = OffsetMap()
    pos = last = 0
    for m in _SPECIAL.finditer(text):
        if m.start() > last:
            out.append(text[last : m.start()])
            omap.add(pos, last, m.start() - last)
            pos += m.start() - last
        ch = m.group()
        mapped = "\n" if ch[0] == "\r" else _map_char(ch)
        if mapped:
            out.append(mapped)
            omap.add(pos, m.start(), 1)
            pos += 1
        last = m.end()
    if last < len(text):
        out.append(text[last:])
        omap.add(pos, last, len(text) - last)
    flat = "".join(out)
    if unicodedata.is_normalized("NFC", flat):
        return flat, omap
    # Pass 2 (rare): NFC per combining sequence, only where the text is not NFC already.
    text2, outer = _compose_nfc(flat)
    return text2, outer.compose(omap)


#: Pass 2 checks the text in windows of about this many characters; only windows that are not
#: NFC already are composed sequence by sequence.
_WINDOW = 256


@functools.cache
def _sequence_pattern() -> re.Pattern[str]:
    """A combining sequence: a base and the combining marks (canonical combining class > 0)
    after it, or marks with no base. Built once, on first use: the class is read from
    ``unicodedata`` so it follows Python's Unicode version (all such marks lie below U+20000)."""
    marks: list[str] = []
    start = prev = None
    for cp in range(0x300, 0x20000):
        if unicodedata.combining(chr(cp)):
            if prev is not None and cp == prev + 1:
                prev = cp
                continue
            if start is not None:
                marks.append(f"\\U{start:08x}-\\U{prev:08x}")
            start = prev = cp
    if start is not None:
        marks.append(f"\\U{start:08x}-\\U{prev:08x}")
    cls = "".join(marks)
    return re.compile(f"[^{cls}][{cls}]*|[{cls}]+", re.S)


def _compose_nfc(flat: str) -> tuple[str, OffsetMap]:
    """NFC per combining sequence, with a map from the result back to ``flat``.

    The text is taken in windows that end on a sequence boundary; a window that is NFC already
    changes in none of its sequences and is copied in bulk, so a stray accent in a megabyte of
    text costs one window of sequence-by-sequence work, not a Python step per character.
    """
    out: list[str] = []
    outer = OffsetMap()
    pos = done = j = 0
    total = len(flat)
    combining = unicodedata.combining
    while j < total:
        k = min(j + _WINDOW, total)
        while k < total and combining(flat[k]):
            k += 1  # never cut a base from its marks
        if not unicodedata.is_normalized("NFC", flat[j:k]):
            if j > done:
                out.append(flat[done:j])
                outer.add(pos, done, j - done)
                pos += j - done
            pos = _compose_sequences(flat, j, k, out, outer, pos)
            done = k
        j = k
    if done < total:
        out.append(flat[done:])
        outer.add(pos, done, total - done)
    return "".join(out), outer


def _compose_sequences(chars: str, j: int, end: int, out: list[str], outer: OffsetMap, pos: int) -> int:
    """NFC each combining sequence of ``chars[j:end]`` on its own (``j`` starts a sequence):
    a composed character maps to the start of its sequence, a mark left uncomposed to the same
    mark in the input. Returns the output length so far.

    The sequences are found and normalised by C code; the Python loop only places runs (one
    per sequence, not merged: a run per composed character is what the map needs anyway).
    """
    seqs = _sequence_pattern().findall(chars, j, end)
    composed = [unicodedata.normalize("NFC", q) for q in seqs]
    out.extend(composed)
    runs = outer.runs
    for seq, comp, start in zip(seqs, composed, itertools.accumulate(map(len, seqs), initial=j)):
        n = len(comp)
        if n == 1 or comp == seq:
            runs.append((pos, start, n))
            pos += n
            continue
        # The first output character is the (composed) base; marks left uncomposed map to the
        # same mark in the input sequence when there is one.
        runs.append((pos, start, 1))
        pos += 1
        used: set[int] = set()
        for c in comp[1:]:
            target = start
            for t in range(start + 1, start + len(seq)):
                if t not in used and chars[t] == c:
                    used.add(t)
                    target = t
                    break
            runs.append((pos, target, 1))
            pos += 1
    return pos
