"""Text from the data made safe to print on a terminal: control characters shown, not obeyed.

File names, titles, outlets and error messages come from the input, and an input can hold an
ESC sequence (recolour, move the cursor, rewrite the window title), a carriage return or newline
(start a forged output line), or a right-to-left override (reorder what the reader sees). The
human-readable output of the CLI passes every such value through ``printable`` (or ``shown``,
which also escapes Rich markup), so each is written as a visible escape: ``\\x1b``, ``\\n``,
``\\u202e``. The JSON output needs none of this: ``json.dumps`` already escapes controls.

Escaped: C0 controls and DEL, C1 controls (U+0080–U+009F, which some terminals obey as
escapes), line and paragraph separators, and the bidirectional embedding, override and isolate
controls. Tab and newline are kept only where a value is a multi-line body (``keep_lines``).
"""
from __future__ import annotations

import re

from rich.markup import escape as _escape_markup

_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROLS_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def printable(text: object, keep_lines: bool = False) -> str:
    """``text`` with its control characters written as visible escapes (see the module)."""
    value = "" if text is None else str(text)
    return (_CONTROLS_BUT_LINES if keep_lines else _CONTROLS).sub(_visible, value)


def shown(text: object, keep_lines: bool = False) -> str:
    """``printable`` and escaped for Rich markup: what the CLI prints of any value from the data."""
    return _escape_markup(printable(text, keep_lines))
