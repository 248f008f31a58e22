"""What a source lists: article links (feeds, sitemaps) or further sources (OPML, sitemap indexes).

A source is read by what its bytes are, not by what its URL or Content-Type claim (servers label
feeds ``text/html`` and sitemaps ``text/plain``): a JSON object with ``items`` is a JSON Feed,
``<urlset>`` a (news) sitemap, ``<sitemapindex>`` a list of sitemaps, ``<opml>`` a list of feeds,
an HTML page a site's front page (its same-site article links are the items), and anything else
is offered to feedparser (RSS, Atom, RDF). XML is parsed by lxml with entities
and network access off, so a hostile document cannot expand or fetch anything.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import courlan
import feedparser
from lxml import etree

from ..ingest import sniff
from ..ingest.feeds import entry_meta, feed_format, feed_outlet

from .urls import canonical


@dataclass
class Item:
    """One article link a source lists, with what the source says about it."""

    url: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None


@dataclass
class Listing:
    """A source's content: its items, further sources to read, or why it could not be read."""

    kind: str  # rss, atom, jsonfeed, sitemap, sitemapindex, opml, or "" when unreadable
    items: list[Item] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    error: str | None = None


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _xml_root(data: bytes) -> Any | None:
    try:
        return etree.fromstring(data, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _child_text(node: Any, name: str) -> str | None:
    for child in node.iter():
        if _local(child.tag) == name and child.text and child.text.strip():
            return str(child.text.strip())
    return None


def _sitemap(root: Any) -> Listing:
    """``<urlset>``: each ``<url><loc>`` an item (news sitemaps add title and publication date)."""
    listing = Listing("sitemap")
    for url in root:
        if _local(url.tag) != "url":
            continue
        loc = _child_text(url, "loc")
        if loc:
            listing.items.append(Item(loc, title=_child_text(url, "title"),
                                      published=_child_text(url, "publication_date") or _child_text(url, "lastmod"),
                                      outlet=_child_text(url, "name")))
    return listing


def _opml(root: Any) -> Listing:
    """OPML: each ``<outline xmlUrl=…>`` (at any depth: readers nest them in folders) a feed."""
    urls = [o.get("xmlUrl") or o.get("xmlurl") for o in root.iter() if _local(o.tag) == "outline"]
    return Listing("opml", sources=[u.strip() for u in urls if u and u.strip()])


def _json_feed(doc: dict[str, Any]) -> Listing:
    outlet = doc.get("title") if isinstance(doc.get("title"), str) else None
    listing = Listing("jsonfeed")
    for entry in doc.get("items") or []:
        if isinstance(entry, dict) and isinstance(entry.get("url"), str):
            listing.items.append(Item(entry["url"], title=entry.get("title") or None,
                                      published=entry.get("date_published") or None, outlet=outlet))
    return listing


def _feed(data: bytes) -> Listing:
    try:
        parsed = feedparser.parse(data)
    except Exception as exc:  # feedparser's encoding fallbacks can raise on mangled bytes
        return Listing("", error=f"feed does not parse: {type(exc).__name__}: {exc}")
    if not parsed.entries:
        reason = parsed.get("bozo_exception") if parsed.get("bozo") else "no entries"
        return Listing("", error=f"not a feed, sitemap or OPML list ({reason})")
    outlet = feed_outlet(parsed)
    listing = Listing(feed_format(parsed))
    for entry in parsed.entries:
        meta = entry_meta(entry, outlet)
        if meta["url"]:
            listing.items.append(Item(meta["url"], title=meta["title"], published=meta["published"], outlet=outlet))
    if parsed.get("bozo") and not listing.items:
        return Listing("", error=f"feed does not parse: {parsed.get('bozo_exception')}")
    return listing


def looks_like_article(url: str) -> bool:
    """Whether a front page's link is likely a report rather than a section or service page:
    articles sit deeper (``/world/2026/…``) or end in a slug (``/bridge-reopens``); ``/about``,
    ``/contact`` do neither. courlan has already dropped tag, category and page-number links."""
    path = courlan.get_host_and_path(url)[1].strip("/")
    segments = [p for p in path.split("/") if p]
    return len(segments) >= 2 or (bool(segments) and "-" in segments[-1])


def _front_page(data: bytes, url: str) -> Listing:
    """A site's front page: its links to the same site that look like articles."""
    html = data.decode("utf-8", "replace")
    # no_filter: courlan's own filter also refuses IP-address hosts (an intranet, a test server);
    # its navigation and crawlability rules are applied here instead.
    links = courlan.extract_links(html, url, external_bool=False, no_filter=True)
    keep = [link for link in sorted(links)
            if not courlan.is_navigation_page(link) and not courlan.is_not_crawlable(link)
            and not courlan.is_external(link, url) and looks_like_article(link)]
    return Listing("frontpage", items=[Item(link) for link in keep])


def read_listing(data: bytes, url: str | None = None) -> Listing:
    """What ``data`` (a fetched source, from ``url``, or a local OPML file) lists, item URLs
    canonicalised."""
    head = data.lstrip(b"\xef\xbb\xbf").lstrip()
    listing: Listing | None = None
    if url is not None and sniff(head[:4096]) == "html":
        listing = _front_page(data, url)
    elif head[:1] == b"{":
        try:
            doc = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            return Listing("", error=f"JSON does not parse: {exc}")
        if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
            return Listing("", error="JSON without an 'items' list (not a JSON Feed)")
        listing = _json_feed(doc)
    elif head[:1] == b"<":
        root: Any = _xml_root(head)
        kind = _local(root.tag) if root is not None else ""
        if kind == "urlset":
            listing = _sitemap(root)
        elif kind == "sitemapindex":
            listing = Listing("sitemapindex", sources=[loc for s in root if (loc := _child_text(s, "loc"))])
        elif kind == "opml":
            listing = _opml(root)
    if listing is None:
        listing = _feed(data)
    seen: set[str] = set()
    items = []
    for item in listing.items:
        url = canonical(item.url)
        if url and url not in seen:
            seen.add(url)
            item.url = url
            items.append(item)
    listing.items = items
    return listing
