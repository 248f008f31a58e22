"""What may become a link: only absolute http(s) URLs. Everything else is shown as text.

Article URLs come from the input files and are hostile (``javascript:``, ``data:``, odd
whitespace); autoescaping stops markup, this stops dangerous schemes in ``href``.
"""
from __future__ import annotations

from urllib.parse import urlsplit


def safe_url(url: object) -> str | None:
    """The URL when it is a plain absolute http(s) URL with a host, else None."""
    if not isinstance(url, str):
        return None
    candidate = url.strip()
    if not candidate or any(ord(ch) < 32 or ch in ' "<>\\`' for ch in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return candidate
