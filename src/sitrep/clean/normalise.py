"""Unicode normalisation that remembers where every character came from.

Scraped news text carries non-breaking spaces, zero-width characters, byte-order marks, stray
control codes and decomposed accents. Later stages match names and patterns, so the text is
normalised first; but every fact must point back into the text as read, so the normalisation
returns an ``OffsetMap`` from normalised offsets to original offsets.
"""
from __future__ import annotations

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
    if ch in _LINE_BREAKS:
        return "\n"
    cat = unicodedata.category(ch)
    if cat == "Zs":
        return " "
    if cat == "Cc":  # C0 and C1 controls (\r is handled by the caller)
        return ""
    return ch


def normalise(text: str) -> tuple[str, OffsetMap]:
    """NFC text with plain spaces and ``\\n`` line ends, and a map back to ``text``.

    Steps: ``\\r\\n`` and ``\\r`` become ``\\n``; Unicode spaces become " "; invisible
    characters and control codes (but ``\\n`` and ``\\t``) are dropped; then NFC is applied per
    combining sequence (a base character and the combining marks after it), so each composed
    character maps to the start of the sequence it came from.
    """
    # Pass 1: per-character mapping, remembering each kept character's original offset.
    chars: list[str] = []
    origin: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\r":
            chars.append("\n")
            origin.append(i)
            i += 2 if i + 1 < n and text[i + 1] == "\n" else 1
            continue
        mapped = _map_char(ch)
        if mapped:
            chars.append(mapped)
            origin.append(i)
        i += 1

    # Pass 2: NFC per combining sequence.
    out: list[str] = []
    omap = OffsetMap()
    pos = 0
    j, m = 0, len(chars)
    while j < m:
        k = j + 1
        while k < m and unicodedata.combining(chars[k]):
            k += 1
        seq = "".join(chars[j:k])
        composed = unicodedata.normalize("NFC", seq) if k - j > 1 or not seq.isascii() else seq
        if composed == seq:
            for t in range(j, k):
                omap.add(pos, origin[t], 1)
                pos += 1
        else:
            # The first output character is the (composed) base; marks left uncomposed map to
            # the same mark in the input sequence when there is one.
            used: set[int] = set()
            for c_idx, c in enumerate(composed):
                target = origin[j]
                if c_idx:
                    for t in range(j + 1, k):
                        if t not in used and chars[t] == c:
                            used.add(t)
                            target = origin[t]
                            break
                omap.add(pos, target, 1)
                pos += 1
        out.append(composed)
        j = k
    return "".join(out), omap
