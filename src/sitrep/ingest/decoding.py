"""Bytes → text, with the failure modes a news corpus actually has.

Reports arrive as UTF-8 (sometimes with a byte-order mark), as legacy single-byte code pages
(windows-1251 Russian, windows-1252/latin-1 Western European, windows-1256 Arabic), as UTF-16 from
Windows tools, and sometimes as something that is not text at all (a PDF or image misnamed
``.txt``). UTF-8 is tried first because it is self-validating: a non-UTF-8 file almost never
decodes cleanly as UTF-8.

Bytes that are *not* valid UTF-8 are not proof of another encoding: most often they are UTF-8
damaged in transit (a cut character, a stray 0xFF). Any byte sequence decodes without error in a
single-byte code page, so a legacy code page is chosen only when its reading looks like real
words (``plausibility.py``); otherwise text that is mostly UTF-8 stays UTF-8, with U+FFFD in
place of the bad bytes and a warning the readers record as an ``encoding`` row. Only text that
is neither goes to ``charset-normalizer``'s best guess.

Nothing here normalises Unicode or line ends: the clean stage does that and keeps an offset map,
so the text a reader hands on must be exactly what the bytes said.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

from .plausibility import plausible

# Bytes that never occur in text: C0 controls other than tab, LF, VT, FF, CR and ESC.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_CONTROL_TABLE = bytes.maketrans(b"", b"")
# Above this share of control bytes in the sample we call the file binary.
_MAX_CONTROL_RATIO = 0.05
_SAMPLE = 65_536

_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

# Single-byte code pages that decode Western European text identically for letters in common
# use. When charset-normalizer ranks several of them equally it picks arbitrarily (cp1250 turns
# French "à" into "ŕ"); windows-1252 is what the web means by latin-1, so it wins ties.
_PREFERRED_ON_TIE = ("cp1252", "latin_1", "utf_8")

_DECLARED_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


class DecodeError(Exception):
    """Why some bytes could not be turned into text; ``kind`` becomes ``IngestError.kind``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    #: Set when bytes were lost (replaced by U+FFFD): the reader records it as an ``encoding`` row.
    warning: str | None = None


def bom_encoding(data: bytes) -> str | None:
    """The codec a byte-order mark at the start of ``data`` announces, if any."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def looks_binary(sample: bytes) -> bool:
    """True when ``sample`` cannot be text in any byte-oriented encoding.

    A NUL byte is the classic tell (text editors never write one outside UTF-16/32, which announce
    themselves with a BOM); a high share of other C0 control bytes catches the rest.
    """
    sample = sample[:_SAMPLE]
    if not sample or bom_encoding(sample) in ("utf-16", "utf-32"):
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(_CONTROL_TABLE, _CONTROL_BYTES))
    return controls / len(sample) > _MAX_CONTROL_RATIO


def declared_charset(head: bytes) -> str | None:
    """A charset the markup or a header declares (``<meta charset=...>``, ``; charset=...``),
    when Python knows that codec."""
    match = _DECLARED_CHARSET.search(head[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _is_blank(data: bytes) -> bool:
    return not data.strip()


def _best_guess(data: bytes, results: charset_normalizer.CharsetMatches) -> Decoded:
    """charset-normalizer's best reading, windows-1252 first among equals: the last resort for
    bytes that are neither mostly UTF-8 nor a plausible legacy text (and ``binary`` when it has none)."""
    best = results.best()
    if best is None:
        raise DecodeError("binary", "content is not text in any known encoding")
    ties = [r for r in results if r.chaos == best.chaos and r.coherence == best.coherence]
    for preferred in _PREFERRED_ON_TIE:
        for candidate in ties:
            if candidate.encoding == preferred:
                best = candidate
                break
        else:
            continue
        break
    try:
        return Decoded(data.decode(best.encoding), best.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DecodeError("encoding", f"cannot decode as {best.encoding}: {exc}") from exc


def _stray_as_cp1252(err: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: read bytes that are not UTF-8 as windows-1252 (latin-1 where
    windows-1252 leaves a byte undefined), the usual source of stray bytes in UTF-8 files."""
    chars = []
    for byte in err.object[err.start:err.end]:
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(byte))
    return "".join(chars), err.end


codecs.register_error("sitrep-cp1252-strays", _stray_as_cp1252)  # type: ignore[arg-type]  # decoding only

#: Bytes windows-1252 reads as typography (curly quotes, dashes, ellipsis, bullet, euro, trade
#: mark): what a Windows editor pastes into a UTF-8 file. Only these are read as windows-1252
#: inside UTF-8; any other stray byte is damage, not a character.
_CP1252_TYPOGRAPHY = frozenset(b"\x80\x85\x91\x92\x93\x94\x95\x96\x97\x99")


def _invalid_utf8(data: bytes) -> tuple[str, int, int | None]:
    """The UTF-8 reading with U+FFFD for bad bytes, how many replacements, and the first bad offset."""
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    first = None
    if bad:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            first = exc.start
    return replaced, bad, first


def _replaced(text: str, bad: int, first: int | None) -> Decoded:
    return Decoded(text, "utf-8", warning=f"{bad:,} byte(s) are not valid UTF-8 (the first at byte {first:,}) and no "
                   "other encoding fits the text better; read as UTF-8 with U+FFFD in their place")


def _utf8_with_strays(data: bytes) -> Decoded | None:
    """UTF-8 text with a few foreign bytes in it, when valid multi-byte UTF-8 clearly outnumbers
    the invalid bytes (counted in bytes): reading the whole file as a legacy code page would garble every real UTF-8
    character. Strays that are windows-1252 typography (a smart quote pasted from a Windows
    editor) are read as such; any other bad byte becomes U+FFFD, with a warning."""
    replaced, bad, first = _invalid_utf8(data)
    good = sum(len(ch.encode("utf-8")) for ch in replaced if ord(ch) > 0x7F and ch != "\ufffd")
    if good == 0 or bad > good:
        return None  # legacy text almost never forms valid multi-byte UTF-8; UTF-8 text does
    strays = _stray_bytes(data)
    if strays and strays <= _CP1252_TYPOGRAPHY:
        return Decoded(data.decode("utf-8", errors="sitrep-cp1252-strays"), "utf-8+cp1252")
    return _replaced(replaced, bad, first)


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def _stray_bytes(data: bytes) -> set[int]:
    """The byte values that are not part of valid UTF-8 (one pass: surrogateescape marks them)."""
    return {ord(ch) - 0xDC00 for ch in _ESCAPED_BYTE.findall(data.decode("utf-8", "surrogateescape"))}


def _legacy(data: bytes, results: charset_normalizer.CharsetMatches) -> Decoded | None:
    """A legacy code page the bytes really fit: the first candidate whose reading is plausible
    text (``plausibility.plausible``). Candidates: windows-1252 for ASCII with a handful of high
    bytes (too little evidence for statistics, and the web's default), then charset-normalizer's
    ranking, then the code pages of the corpora we see (Western, Cyrillic, Arabic, Greek, Hebrew,
    Central European)."""
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    candidates: list[str] = ["cp1252"] if high <= max(2, len(data) // 50) else []
    best = results.best()
    ranked = [r.encoding for r in results]
    if best is not None:  # the tie-break of _best_guess, so equal candidates keep their old order
        ties = [r.encoding for r in results if r.chaos == best.chaos and r.coherence == best.coherence]
        ranked = [e for e in _PREFERRED_ON_TIE if e in ties] + ranked
    candidates += [e for e in ranked if e in _LEGACY_CODECS][:8] + list(_FALLBACK_CODEPAGES)
    tried: set[str] = set()
    for name in candidates:
        if name in tried:
            continue
        tried.add(name)
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        if plausible(text):
            return Decoded(text, name)
    return None


#: The single-byte encodings news text actually comes in; charset-normalizer also proposes DOS
#: code pages and cp1006, which read any debris as box drawing or presentation forms. Multi-byte
#: East Asian encodings are left to the last resort (``_best_guess``): a text in one is mostly
#: non-UTF-8, and there this step is never the one that decides.
_LEGACY_CODECS = frozenset({f"cp{n}" for n in range(1250, 1259)} | {f"iso8859_{n}" for n in range(1, 17)}
                           | {"latin_1", "koi8_r", "koi8_u", "mac_cyrillic"})
_HIGH_BYTES = bytes(range(0x80, 0x100))
_FALLBACK_CODEPAGES = ("cp1252", "cp1251", "koi8_r", "cp1256", "cp1253", "cp1255", "cp1250")
#: Above this share of replaced characters, a text is not "UTF-8 with a few bad bytes".
_MAX_REPLACED_SHARE = 0.2


def _mostly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few bad bytes (and no legacy reading that fits): U+FFFD and a warning."""
    replaced, bad, first = _invalid_utf8(data)
    if bad > _MAX_REPLACED_SHARE * max(1, len(replaced.strip())):
        return None
    return _replaced(replaced, bad, first)


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data`` to text and name the encoding used.

    Order: a byte-order mark; strict UTF-8; the ``declared`` charset (from an HTML meta tag or an
    HTTP header), when it decodes without error; mostly-valid UTF-8 with a few strays (windows-1252
    typography read as such, other bad bytes as U+FFFD); a legacy code page whose reading is
    plausible text; UTF-8 with U+FFFD when at most a fifth of it is bad; charset-normalizer's best
    guess. ``Decoded.warning`` says when bytes were replaced (readers record it as an ``encoding``
    error row beside the document). Raises
    ``DecodeError`` with kind ``empty`` (no bytes or only whitespace), ``binary`` (not text at
    all) or ``encoding`` (looks like text but no codec fits).
    """
    if _is_blank(data):
        raise DecodeError("empty", "file is empty" if not data else "file holds only whitespace")
    bom = bom_encoding(data)
    if bom:
        try:
            text = data.decode(bom)
        except UnicodeDecodeError as exc:
            raise DecodeError("encoding", f"byte-order mark says {bom} but bytes do not decode: {exc}") from exc
        if not text.strip():
            raise DecodeError("empty", "file holds only whitespace")
        return Decoded(text, bom)
    if looks_binary(data):
        raise DecodeError("binary", "binary content (NUL or control bytes), not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if declared and declared not in ("utf-8", "utf_8"):
        try:
            return Decoded(data.decode(declared), declared)
        except (UnicodeDecodeError, LookupError):
            pass
    strays = _utf8_with_strays(data)
    if strays is not None:
        return strays
    results = charset_normalizer.from_bytes(data)  # the ranking both later steps use
    return _legacy(data, results) or _mostly_utf8(data) or _best_guess(data, results)


#: The name the task brief uses; same function.
decode_bytes = decode
