"""One spelling per page: URLs canonicalised before anything is looked up or fetched.

courlan drops tracking parameters (``utm_*``, ``fbclid``…), sorts the others, lower-cases the
host and removes default ports and fragments (its ``strict`` mode, which keeps only a few known
parameters, is not used: it would join ``?article=5`` and ``?article=6`` into one page), so a link seen in two feeds with different campaign tags is fetched
once. On top of that, the AMP and mobile variants outlets publish of the same report are joined
to the plain page: an ``m.``/``mobile.``/``amp.`` host label, an ``/amp`` path ending, a
``.amp.html`` suffix and an ``amp``/``outputType=amp`` parameter are removed. (A variant whose
plain page has some other address entirely is only found through the page's ``rel=canonical``,
which needs the page itself.)
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import courlan

_VARIANT_HOST = re.compile(r"^(?:m|mobile|amp)\.(?=[^.]+\.[^.])", re.I)
_AMP_PATH = re.compile(r"/amp/?$|(?<=\w)\.amp(?=\.html?$)", re.I)
_AMP_PARAMS = {"amp", "outputtype", "amp_js_v", "usqp"}


def canonical(url: str) -> str | None:
    """The canonical form of an http(s) URL, or None for anything else (mailto:, javascript:, junk)."""
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    try:
        normal = str(courlan.normalize_url(url, strict=False))
    except Exception:  # courlan raises ValueError and friends on malformed hosts
        return None
    parts = urlsplit(normal)
    host = _VARIANT_HOST.sub("", parts.netloc)
    path = _AMP_PATH.sub("", parts.path) or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in _AMP_PARAMS]
    return urlunsplit((parts.scheme, host, path, urlencode(query), ""))
