"""Unicode normalisation that remembers where every character came from.

Scraped news text carries non-breaking spaces, zero-width characters, byte-order marks, stray
control codes and decomposed accents. Later stages match names and patterns, so the text is
normalised first; but every fact must point back into the text as read, so the normalisation
returns an ``OffsetMap`` from normalised offsets to original offsets.
"""
from __future__ import annotations

import bisect
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
    # Pass 2 (rare): NFC per combining sequence, on the characters' original offsets.
    origin = [0] * len(flat)
    for d, o, n in omap.runs:
        origin[d : d + n] = range(o, o + n)
    return _compose_nfc(list(flat), origin)


def _compose_nfc(chars: list[str], origin: list[int]) -> tuple[str, OffsetMap]:
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


def compose_maps(outer: OffsetMap, inner: OffsetMap) -> OffsetMap:
    """``outer`` (derived → intermediate) then ``inner`` (intermediate → original), by
    intersecting runs rather than character by character. Intermediate offsets outside every
    inner run fall back to ``inner.to_original``."""
    result = OffsetMap()
    runs = inner.runs
    starts = [r[0] for r in runs]
    for d, o, n in outer.runs:
        pos = o
        end = o + n
        i = max(bisect.bisect_right(starts, pos) - 1, 0)
        while pos < end:
            while i < len(runs) and runs[i][0] + runs[i][2] <= pos:
                i += 1
            if i < len(runs) and runs[i][0] <= pos:
                ri, ro, rn = runs[i]
                take = min(end, ri + rn) - pos
                result.add(d + (pos - o), ro + (pos - ri), take)
                pos += take
            else:
                result.add(d + (pos - o), inner.to_original(pos), 1)
                pos += 1
    return result
