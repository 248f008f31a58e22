"""Bytes → text, with the failure modes a news corpus actually has.

Reports arrive as UTF-8 (sometimes with a byte-order mark), as legacy single-byte code pages
(windows-1251 Russian, windows-1252/latin-1 Western European, windows-1256 Arabic), as UTF-16 from
Windows tools, and sometimes as something that is not text at all (a PDF or image misnamed
``.txt``). UTF-8 is tried first because it is self-validating: a non-UTF-8 file almost never
decodes cleanly as UTF-8. Only then do we ask ``charset-normalizer`` for its best guess.

Nothing here normalises Unicode or line ends: the clean stage does that and keeps an offset map,
so the text a reader hands on must be exactly what the bytes said.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

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


def _best_guess(data: bytes) -> Decoded:
    results = charset_normalizer.from_bytes(data)
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


def _utf8_with_strays(data: bytes) -> Decoded | None:
    """UTF-8 text with a few foreign bytes in it (a smart quote pasted from a Windows editor).

    Reading the whole file as a legacy code page would garble every real UTF-8 character, so when
    valid multi-byte UTF-8 clearly outnumbers the invalid bytes we keep UTF-8 and read only the
    strays as windows-1252.
    """
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    good = sum(1 for ch in replaced if ord(ch) > 0x7F and ch != "\ufffd")
    if good == 0 or bad > max(1, good // 10):
        return None
    return Decoded(data.decode("utf-8", errors="sitrep-cp1252-strays"), "utf-8+cp1252")


def _near_ascii(data: bytes) -> Decoded | None:
    """ASCII text with a handful of high bytes carries too little evidence for statistical
    detection (it picks DOS code pages); windows-1252, the web's default, is the best bet."""
    high = sum(1 for b in data if b >= 0x80)
    if high > max(2, len(data) // 50):
        return None
    try:
        return Decoded(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        return None


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data`` to text and name the encoding used.

    Order: a byte-order mark; strict UTF-8; the ``declared`` charset (from an HTML meta tag or an
    HTTP header), when it decodes without error; UTF-8 with a few stray windows-1252 bytes;
    windows-1252 for ASCII with a handful of high bytes; charset-normalizer's best guess. Raises
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
    return _utf8_with_strays(data) or _near_ascii(data) or _best_guess(data)


#: The name the task brief uses; same function.
decode_bytes = decode
