"""From a ``RawDocument`` to an ``Article``: the clean body, its map back, and what was removed.

The steps are small modules of their own (normalise, lines, outlet, published); this one
composes them and assembles the body: body lines become paragraphs joined by blank lines, and
the offset map of that assembly is composed with the normalisation map, so every character of
``Article.text`` points at the character of ``Article.original`` it came from.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import PurePath

from sitrep.clean.inline import drop_spans, link_boxes
from sitrep.clean.lines import Line, classify_lines, split_lines
from sitrep.clean.normalise import normalise
from sitrep.clean.outlet import detect_outlet, self_reference
from sitrep.clean.published import publication_date
from sitrep.clean.recurring import LineStats
from sitrep.model import Article, Caption, OffsetMap, RawDocument, RemovedSpan
from sitrep.outlets import OutletRegistry, name_key, normalise_domain

PARAGRAPH_SEP = "\n\n"
_registry_cache: OutletRegistry | None = None


def default_registry() -> OutletRegistry:
    """The packaged (plus ``SITREP_OUTLETS``) registry, loaded once per process."""
    global _registry_cache
    if _registry_cache is None:
        _registry_cache = OutletRegistry.load()
    return _registry_cache


def content_hash(clean_text: str) -> str:
    """sha256 of the case-folded, whitespace-collapsed clean text: equal for equal reports
    whatever their spacing or capitalisation (the key for exact reprints)."""
    key = re.sub(r"\s+", " ", clean_text.casefold()).strip()
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def outlet_key(raw: RawDocument, norm: str | None = None) -> str:
    """A cheap key grouping one outlet's documents before cleaning (for ``LineStats``): the
    metadata outlet, else the URL's domain, else the HTML site name, else the outlet the text
    names as itself (its footer or copyright line), else the folder the file sits in
    (collections are usually saved one site per folder). ``norm`` is the normalised text when
    the caller has it already (normalising a long text twice is the costliest part of cleaning
    it)."""
    if raw.outlet and raw.outlet.strip():
        return "outlet:" + name_key(raw.outlet)
    if raw.url:
        host = normalise_domain(raw.url)
        if host:
            return "domain:" + host
    if raw.site_name and raw.site_name.strip():
        return "outlet:" + name_key(raw.site_name)
    guess = self_reference(norm if norm is not None else normalise(raw.text or "")[0], default_registry())
    if guess is not None and guess.name:
        return "outlet:" + name_key(guess.name)
    parent = PurePath(raw.source_path).parent.name
    return "folder:" + (parent or ".")


def _assemble(norm: str, body: list[Line], nmap: OffsetMap,
              cuts: dict[int, list[tuple[int, int]]]) -> tuple[str, OffsetMap]:
    """Body lines joined by blank lines, less the in-line ``cuts`` (line index → spans of the
    line's text), and the clean → original offset map."""
    parts: list[str] = []
    amap = OffsetMap()
    pos = 0
    for i, ln in enumerate(body):
        if i:
            parts.append(PARAGRAPH_SEP)
            pos += len(PARAGRAPH_SEP)
        for start, end in drop_spans(ln.text, cuts[i]) if i in cuts else [(0, len(ln.text))]:
            parts.append(ln.text[start:end])
            amap.add(pos, ln.start + start, end - start)
            pos += end - start
    return "".join(parts), amap.compose(nmap)


def clean_document(
    raw: RawDocument,
    stats: LineStats | None = None,
    registry: OutletRegistry | None = None,
) -> Article:
    """The cleaned ``Article`` for ``raw``: body text, title, outlet, publication date,
    captions and removed spans (original offsets), offset map, content hash and id.

    ``stats`` (the outlet's recurring-line counts, observed beforehand) lets the outlet's own
    furniture go; ``registry`` defaults to the packaged outlet registry.
    """
    registry = registry if registry is not None else default_registry()
    original = raw.text or ""
    norm, nmap = normalise(original)

    guess = detect_outlet(raw, norm, registry)
    names: list[str] = []
    if guess.name:
        names.append(guess.name)
        known = registry.by_name(guess.name)
        if known:
            names.extend(a for a in known.aliases if len(a) > 3)

    recurring = None
    if stats is not None:
        key = outlet_key(raw, norm)
        recurring = lambda line: stats.is_recurring(key, line)  # noqa: E731
    title_meta = raw.title.strip() if raw.title and raw.title.strip() else None
    lines = classify_lines(
        split_lines(norm), title=title_meta, outlet_names=tuple(names), recurring=recurring
    )

    body = [ln for ln in lines if ln.kind == "body"]
    cuts = {i: boxes for i, ln in enumerate(body) if (boxes := link_boxes(ln.text))}
    text, offsets = _assemble(norm, body, nmap, cuts)

    def span(ln: Line) -> tuple[int, int]:
        start = nmap.to_original(ln.start)
        end = nmap.to_original(ln.end - 1) + 1
        # A composed character maps to its base: take the combining marks that follow too.
        while end < len(original) and unicodedata.combining(original[end]):
            end += 1
        return start, end

    captions: list[Caption] = []
    removed: list[RemovedSpan] = []
    title = title_meta
    for ln in lines:
        if ln.kind == "body":
            continue
        s, e = span(ln)
        if ln.kind == "caption":
            captions.append(Caption(text=original[s:e], start=s, end=e))
            removed.append(RemovedSpan(s, e, original[s:e], "caption"))
        else:
            removed.append(RemovedSpan(s, e, original[s:e], ln.reason or ln.kind))
            if ln.kind == "title" and title is None:
                title = ln.text
    for i, boxes in cuts.items():
        for start, end in boxes:
            s = nmap.to_original(body[i].start + start)
            e = nmap.to_original(body[i].start + end - 1) + 1
            removed.append(RemovedSpan(s, e, original[s:e], "link_box"))
    removed.sort(key=lambda r: r.start)

    digest = content_hash(text)
    return Article(
        id=digest[:16],
        source_path=raw.source_path,
        text=text,
        original=original,
        offsets=offsets,
        title=title,
        outlet=guess.name,
        outlet_basis=guess.basis,
        url=raw.url,
        source_id=raw.source_id,
        record_key=raw.record_key,
        format=raw.format,
        published=publication_date(raw, norm),
        captions=captions,
        removed=removed,
        content_hash=digest,
    )
