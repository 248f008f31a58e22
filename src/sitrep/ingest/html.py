"""HTML pages: main text, title, date and site name via trafilatura.

Every HTML source (a file, a JSON record's ``html``, a feed entry, a WARC response) goes through
``extract_html`` so they all yield the same kind of text: the article body with one paragraph per
line, no navigation, no comments. The extracted text becomes the document's original text, so
spans later refer to it, not to the markup.

trafilatura declines pages it judges too short (a two-line feed summary, a stub article). For
those we fall back to the page's visible block text via selectolax, so short reports are not lost;
``extra["extractor"]`` says which extractor produced the text.

What the markup says beside the body is kept, never mixed into it: ``title``, ``site_name``,
``html_date`` (a date from meta tags, never guessed from the running text), and in ``extra``
the byline (``author``) and photo captions (``captions``, a list of strings), since a caption is
often the one place a report gives an absolute date.
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import trafilatura
from selectolax.lexbor import LexborHTMLParser

from ..model import IngestError, RawDocument
from .decoding import DecodeError, declared_charset, decode
from .options import MAX_BYTES_PER_CHAR, ReadOptions
from .sidecar import read_bytes, read_sidecar
from .text import document_from_meta

# Elements whose text is never part of the visible body.
_INVISIBLE = "script, style, noscript, template, head, iframe, svg, object, canvas"
# Page furniture, dropped only by the fallback (trafilatura has its own, better rules).
_FURNITURE = "nav, footer, form, aside, button, select"
# Elements that end a line of text.
_BLOCKS = (
    "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, td, th, dd, dt, figcaption, caption, "
    "div, section, article, header, main, address, tr"
)


@dataclass
class Extracted:
    """What a page says about itself: body text and the metadata its markup declares."""

    text: str
    title: str | None
    date: str | None
    site_name: str | None
    url: str | None
    extractor: str
    author: str | None = None
    captions: list[str] = field(default_factory=list)


def _squash(text: str) -> str:
    return " ".join(text.split())


def visible_text(html: str) -> str:
    """Visible text of an HTML page or fragment, one block element per line.

    Inline markup (``<b>``, ``<a>``) does not break lines, so sentences stay whole.
    """
    try:
        tree = LexborHTMLParser(html)
    except Exception:
        return ""
    for node in tree.css(_INVISIBLE + ", " + _FURNITURE):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        return ""
    lines = []
    blocks = root.css(_BLOCKS)
    if len(blocks) > 3_000:  # pathological nesting: asking each block for inner blocks is quadratic
        line = _squash(root.text(deep=True, separator=" "))
        return line
    for node in blocks:
        if node.css_first(_BLOCKS) is not None:
            continue  # an outer block: its inner blocks give the lines
        line = _squash(node.text(deep=True, separator=""))
        if line:
            lines.append(line)
    if not lines:
        line = _squash(root.text(deep=True, separator=""))
        lines = [line] if line else []
    return "\n".join(lines)


_CAPTIONS = "figcaption, [class*='caption'], [itemprop='caption']"
_MAX_CAPTIONS = 20


def photo_captions(html: str) -> list[str]:
    """Photo captions of a page, in page order.

    Main-text extraction drops them, yet a caption is often the only place a report names an
    absolute date ("... before a planned US pullout on March 29, 2020") or a place; they are kept
    apart (``extra["captions"]``) so the body stays the body.
    """
    try:
        tree = LexborHTMLParser(html)
    except Exception:
        return []
    seen: list[str] = []
    for node in tree.css(_CAPTIONS):
        if node.tag in ("script", "style", "img"):
            continue
        text = _squash(node.text(deep=True, separator=" "))
        if len(text) >= 12 and text not in seen and not any(text in s for s in seen):
            seen.append(text)
        if len(seen) >= _MAX_CAPTIONS:
            break
    return seen


def _page_title(html: str) -> str | None:
    try:
        node = LexborHTMLParser(html).css_first("title")
    except Exception:
        return None
    title = _squash(node.text()) if node is not None else ""
    return title or None


#: HTML parsers slow down quadratically with nesting depth (100k nested ``<div>`` take minutes);
#: no real article nests this deep, so deeper markup is read as flat text instead.
MAX_DEPTH = 400

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_HIDDEN_BLOCKS = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.S | re.I)


def nesting_depth(html: str, limit: int = MAX_DEPTH) -> int:
    """How deep the elements nest, counted up to ``limit`` in one linear scan of the tags."""
    depth = deepest = 0
    for m in _TAG.finditer(html):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if name in _VOID or self_closing:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                break
    return deepest


def flat_text(html: str) -> str:
    """The text of markup read without a parser: hidden blocks dropped, tags removed."""
    import html as htmllib

    text = _TAG.sub(" ", _HIDDEN_BLOCKS.sub(" ", html))
    return re.sub(r"[ \t]+", " ", htmllib.unescape(text)).strip()


def extract_html(html: str, url: str | None = None) -> Extracted | None:
    """Main text and declared metadata of a page, or None when it has no text at all.

    The date is read from markup only (meta tags, time elements, URL), never guessed from the
    running text: a date in the body is the date stage's business, with its basis recorded.
    """
    if nesting_depth(html) > MAX_DEPTH:
        text = flat_text(html)
        if not text:
            return None
        return Extracted(text=text, title=None, date=None, site_name=None, url=url, extractor="flat",
                         author=None, captions=[])
    try:
        # A trafilatura Document (its type also admits the dict of the deprecated as_dict=True).
        doc: Any = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # trafilatura raises assorted errors on pathological markup
        doc = None
    if doc is not None and (doc.text or "").strip():
        return Extracted(
            text=doc.text,
            title=doc.title or None,
            date=doc.date or None,
            site_name=doc.sitename or None,
            url=doc.url or url,
            extractor="trafilatura",
            author=doc.author or None,
            captions=photo_captions(html),
        )
    text = visible_text(html)
    if not text.strip():
        return None
    return Extracted(
        text=text,
        title=(doc.title if doc is not None else None) or _page_title(html),
        date=(doc.date if doc is not None else None) or None,
        site_name=(doc.sitename if doc is not None else None) or None,
        url=(doc.url if doc is not None else None) or url,
        extractor="selectolax",
        author=(doc.author if doc is not None else None) or None,
    )


def document_from_html(html: str, *, source_path: str, record_key: str, fmt: str, meta: dict[str, Any],
                       line: int | None = None, max_chars: int | None = None,
                       **kwargs: Any) -> RawDocument | IngestError:
    """One HTML string → a document; metadata given in ``meta`` wins over what the page says.

    Markup longer than ``max_chars`` (``ReadOptions.max_html_chars``) is refused before any
    parser sees it: extraction time grows with the markup, and a page that size is no report.
    """
    if max_chars is not None and len(html) > max_chars:
        return IngestError(source_path, f"HTML is {len(html):,} characters, over the {max_chars:,}-character "
                           "limit (max_html_chars)", record_key=record_key, line=line, kind="too_large")
    got = extract_html(html, meta.get("url"))
    if got is None:
        return IngestError(source_path, "no main text in the HTML (only script, markup or an empty body)",
                           record_key=record_key, line=line, kind="no_text")
    merged = dict(meta)
    merged["url"] = meta.get("url") or got.url
    merged["title"] = meta.get("title") or got.title
    extra = dict(kwargs.pop("extra", None) or {})
    extra["extractor"] = got.extractor
    if got.title:  # the page's own title, which metadata may override: watch compares revisions by it
        extra["page_title"] = got.title
    if got.author:
        extra["author"] = got.author
    captions = [c for c in got.captions if c not in got.text]
    if captions:
        extra["captions"] = captions
    return document_from_meta(source_path, record_key, got.text, fmt, merged, site_name=got.site_name,
                              html_date=got.date, extra=extra, **kwargs)


def read_html(path: Path, options: ReadOptions) -> Iterator[RawDocument | IngestError]:
    """One ``.html`` file → one document, with ``NAME.meta.json`` metadata when present."""
    try:
        data = read_bytes(path, options.max_bytes)
        if len(data) > MAX_BYTES_PER_CHAR * options.max_html_chars:
            raise DecodeError("too_large", f"page is {len(data):,} bytes, more than any encoding of the "
                              f"{options.max_html_chars:,}-character limit (max_html_chars)")
        decoded = decode(data, declared=declared_charset(data[:4096]))
    except DecodeError as exc:
        yield IngestError(str(path), exc.message, kind=exc.kind)
        return
    if decoded.warning:
        yield IngestError(str(path), decoded.warning, kind="encoding")
    meta = read_sidecar(path)
    if isinstance(meta, IngestError):
        yield meta
        meta = {}
    extra = {"sidecar": meta.pop("_other")} if meta.get("_other") else {}
    yield document_from_html(decoded.text, source_path=str(path), record_key="", fmt="html", meta=meta,
                             max_chars=options.max_html_chars, encoding=decoded.encoding, extra=extra)
