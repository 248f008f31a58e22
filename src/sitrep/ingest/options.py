"""Options shared by every reader."""
from __future__ import annotations

from dataclasses import dataclass, field

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
    """

    max_bytes: int = 50_000_000
    max_record_bytes: int = 10_000_000
    fields: dict[str, str] = field(default_factory=dict)
    follow_symlinks: bool = False

    def field(self, name: str) -> str:
        """The input's name for our field ``name``."""
        return self.fields.get(name, name)
