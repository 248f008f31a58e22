"""File names as text that any store, terminal or JSON encoder accepts, without losing a byte.

On Linux a file name is bytes, not text. Python hands a name that is not valid UTF-8 over as a
``str`` holding lone surrogates (``b"inv\\xff.txt"`` → ``"inv\\udcff.txt"``), which opens the
file fine but cannot be encoded as UTF-8: SQLite, PostgreSQL and ``json.dumps(ensure_ascii=False)``
output all refuse it. So the readers keep the real ``Path`` to open the file, and every record
leaves ``iter_documents`` with its ``source_path`` passed through ``path_text``.

The escaping (``path_text``): a name that is valid UTF-8 is kept exactly as it is. A name that
is not has each backslash doubled and each byte that is not part of valid UTF-8 written
``\\xNN`` (two lower-case hex digits; such bytes are always 0x80 or above), the rest kept as
UTF-8 text. ``path_bytes`` turns an escaped name back into the original bytes, so nothing is
lost. The one ambiguity is a valid UTF-8 name that itself spells ``\\xNN`` with NN ≥ 80;
``path_bytes`` prefers a file that exists under the name as written.
"""
from __future__ import annotations

import os
import re

_ESCAPE = re.compile(rb"\\\\|\\x([89a-f][0-9a-f])")


def _raw_bytes(name: str) -> bytes:
    try:
        return os.fsencode(name)  # surrogateescape: the file name's own bytes
    except UnicodeEncodeError:  # a surrogate that did not come from a file name
        return name.encode("utf-8", "surrogatepass")


def path_text(name: str) -> str:
    """``name`` as valid Unicode: unchanged when it is UTF-8, escaped (see the module) when not."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    return _raw_bytes(name).replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")


def path_bytes(text: str) -> bytes:
    """The file-name bytes ``path_text`` escaped into ``text`` (the inverse of ``path_text``)."""
    raw = text.encode("utf-8")
    if b"\\x" not in raw or os.path.lexists(raw):
        return raw

    def unescape(match: re.Match[bytes]) -> bytes:
        return b"\\" if match.group(1) is None else bytes([int(match.group(1), 16)])

    return _ESCAPE.sub(unescape, raw)
