"""Options shared by every reader."""
from __future__ import annotations

from dataclasses import dataclass, field

#: No encoding takes more bytes than this for one character (UTF-8 and UTF-32 at most 4), so a
#: file over ``4 × limit`` bytes holds over ``limit`` characters and is refused before decoding.
MAX_BYTES_PER_CHAR = 4

#: The longest text the parser takes: spaCy's ``Language.max_length`` (1,000,000 characters),
#: which sitrep leaves at its default. spaCy refuses a longer text (E088) because parsing needs
#: about 1 GB of memory per 100,000 characters; a 200 MB text took 129 s and 3.9 GB before it
#: was refused, as a stage failure after the article was stored. So a text over it is refused
#: here, as a ``too_large`` record before anything is stored, whatever ``max_text_chars`` says.
#: (Splitting it into parser-sized pieces was the alternative; but a text this long is a dump,
#: not a report, and its sentences, claims and stories would be cut at arbitrary points.)
PARSER_MAX_CHARS = 1_000_000

#: Our metadata names; ``ReadOptions.fields`` maps them to the input's own names.
FIELD_NAMES = ("id", "url", "outlet", "title", "published", "text", "html")


@dataclass
class ReadOptions:
    """How much to read and how to name things.

    ``max_bytes`` caps files that are read whole (txt, html, a JSON object, a feed); such a file is
    refused unread. Streaming formats (JSON Lines, a JSON array, WARC) may be any size: there
    ``max_record_bytes`` caps each record instead. ``fields`` maps our names (``FIELD_NAMES``) to
    the names a JSON/JSONL input uses; a dotted name (``"meta.published"``) reaches into a nested
    object.

    ``max_text_chars`` caps one record's text (plain, or what was extracted from HTML) and
    ``max_html_chars`` one page's markup before extraction. No news report is megabytes of text:
    the longest long-reads run to some 100,000 characters, so a million is ten times that, while
    a record far over it is a dump, a log or an attack, and would cost every later stage
    (cleaning, NLP, search) time out of all proportion. Markup gets five times the room, for
    inline scripts and app state. A record over either is a ``too_large`` error; the others in
    its file still load.
    """

    max_bytes: int = 50_000_000
    max_record_bytes: int = 10_000_000
    max_text_chars: int = 1_000_000
    max_html_chars: int = 5_000_000
    #: Bounds on inflating a gzipped stream (``streams.py``): bytes in all, and inflated bytes
    #: per compressed byte once 16 MB are out. Either ends the file with a ``too_large`` error.
    max_inflated_bytes: int = 20_000_000_000
    max_inflate_ratio: float = 200.0
    fields: dict[str, str] = field(default_factory=dict)
    follow_symlinks: bool = False

    @property
    def text_limit(self) -> int:
        """The most characters a record's text may have: ``max_text_chars``, never past the
        parser's own limit (``PARSER_MAX_CHARS``)."""
        return min(self.max_text_chars, PARSER_MAX_CHARS)

    def field(self, name: str) -> str:
        """The input's name for our field ``name``."""
        return self.fields.get(name, name)


def limit_name(options: ReadOptions) -> str:
    """Which limit ``text_limit`` is, for error messages."""
    if options.max_text_chars > PARSER_MAX_CHARS:
        return "the parser's limit, spaCy's max_length; --max-text-chars cannot raise it"
    return "max_text_chars"
