"""One spelling per page: URLs canonicalised with courlan before anything is looked up or fetched.

Tracking parameters (``utm_*``, ``fbclid``…) are dropped, the host lower-cased, default ports and
fragments removed, so a link seen in two feeds with different campaign tags is fetched once.
"""
from __future__ import annotations

import courlan


def canonical(url: str) -> str | None:
    """The canonical form of an http(s) URL, or None for anything else (mailto:, javascript:, junk)."""
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    try:
        return str(courlan.normalize_url(url, strict=True))
    except Exception:  # courlan raises ValueError and friends on malformed hosts
        return None
