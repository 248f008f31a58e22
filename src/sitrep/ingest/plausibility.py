"""Does a decoded text read like words, or like mojibake? The test a legacy code page must pass.

Any byte sequence decodes without error in a single-byte code page, so "it decodes" proves nothing
about windows-1251 or windows-1252. What does tell is the shape of the words the high bytes
become. In real legacy text they make letters of one script inside a word (Cyrillic with
Cyrillic, Arabic with Arabic, or accented Latin beside plain ASCII letters), in sensible case
(no lower-case letter followed by a capital inside a word, where either is not ASCII), at least two letters to a word
outside Latin, plus ordinary punctuation. Bytes that
are really broken UTF-8 read as debris: ``ÿþÃ(``, ``cafÃ©``, box-drawing characters, controls.

``plausible`` looks at the words that hold a non-ASCII character (ASCII words say nothing) and
wants at least 80% of them to pass ``plausible_word``, and at least three of them before it
believes a reading in a script other than Latin. Tolerance matters: real Russian has
one-letter words and real French has ``à``; one odd word in five is allowed.
"""
from __future__ import annotations

import re
import unicodedata

#: A word: a run of characters between spaces and ASCII punctuation (markup and JSON glue words
#: together: ``class="x">Москва`` is the words ``class``, ``x`` and ``Москва``).
_WORD_CHAR = r"[^\s<>\"'=/()\[\]{},.;:!?&|*+#@%$^`~\\]"
_NON_ASCII_WORD = re.compile(_WORD_CHAR + r"*[^\x00-\x7f\s]" + _WORD_CHAR + "*")
#: Non-letter characters that occur in news text in any script: spaces, punctuation (including
#: Arabic comma and question mark, guillemets, dashes, quotes), currency, digits and fractions,
#: and a few symbols.
_OK_CATEGORIES = frozenset({"Zs", "Pd", "Pi", "Pf", "Po", "Ps", "Pe", "Pc", "Sc", "Mn", "Nd", "No"})
_OK_CHARS = frozenset("©®°™№§·•×±µ\u200c\u200d\u200e\u200f\u0640")
_SCRIPTS: dict[str, str] = {}
#: How many non-ASCII words to look at; a long text's first thousands decide as well as all.
_SAMPLE_WORDS = 2000
_MIN_SHARE = 0.8
#: Words in another script needed before a reading in that script counts: in an uncased script
#: any two bytes make a "word", so one or two prove nothing.
_MIN_FOREIGN_WORDS = 3


def _script(ch: str) -> str:
    script = _SCRIPTS.get(ch)
    if script is None:
        script = _SCRIPTS[ch] = unicodedata.name(ch, "?").split(" ")[0]
    return script


def plausible_word(word: str) -> bool:
    """True when ``word`` could be a word (with its punctuation) of real text in one script."""
    letters = []
    for ch in word:
        if ch < "\x80":
            if ch.isalpha():
                letters.append(ch)
            continue
        cat = unicodedata.category(ch)
        if "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff":
            return False  # presentation forms: what a renderer draws, never what a code page holds
        if cat[0] == "L":
            letters.append(ch)
        elif cat not in _OK_CATEGORIES and ch not in _OK_CHARS:
            return False  # controls, box drawing, modifier symbols, private use: debris
    if not letters:
        return True  # a quote, a dash, a euro sign
    if len({_script(ch) for ch in letters}) > 1:
        return False
    if any(a.islower() and b.isupper() and (a >= "\x80" or b >= "\x80") for a, b in zip(letters, letters[1:])):
        return False  # "cafÃ", "яюГ"; camel case in plain ASCII ("WeWork") says nothing
    if _script(letters[0]) != "LATIN":
        return len(letters) > 1  # a lone Cyrillic or Arabic letter is more often debris than a word
    if all(ch >= "\x80" for ch in letters):
        # Accented Latin comes inside words of plain letters; alone it is one lower-case letter (à).
        return len(letters) == 1 and letters[0].islower() and all(ch < "\x80" for ch in word if ch != letters[0])
    return True


def plausible(text: str) -> bool:
    """True when the non-ASCII words of ``text`` mostly read as real words (see the module)."""
    total = good = 0
    other_script = False
    for match in _NON_ASCII_WORD.finditer(text):
        word = match.group()
        total += 1
        if plausible_word(word):
            good += 1
            other_script = other_script or any(ch.isalpha() and _script(ch) != "LATIN" for ch in word)
        if total >= _SAMPLE_WORDS:
            break
    if other_script and total < _MIN_FOREIGN_WORDS:
        return False  # two odd bytes read as "яю" are no evidence of a Cyrillic text
    return total == 0 or good >= _MIN_SHARE * total
