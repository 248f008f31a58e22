"""Revision detection of ``sitrep watch`` against a local HTTP server serving real news pages.

    .venv/bin/python bench/bench_revisions.py [--n 120] [--edited 0.4] [--nlp]

Page bodies are the real article pages of ../shared/eval/article-extraction/html (read in place;
the bench skips, saying so, when they are absent). Every page is served with page furniture that
changes on every request, as news sites do: an update stamp and a view counter inside the
article container just before its first paragraph, a "related stories" list and an advert around
it, and a clock in the page header. Watch stores every page (pass 1); then a share of the pages is
edited the way outlets edit reports, cycling through four kinds (a changed figure in a sentence of
the article text, an added attributed paragraph, a removed paragraph, a changed headline), and
watch re-fetches every page twice (``--refetch-after 0``: passes 2 and 3; the third sees the same
edit again and nothing new).

Figures: edits found / edits made (an edited page with a new revision after pass 3),
false revisions on unchanged pages (any revision beyond the first; goal 0), and revisions beyond
the one expected on edited pages. ``--nlp`` runs the full pipeline, so the diffs also list the
claims and events that appeared or vanished (slower; detection itself does not depend on it).
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree, html as lxml_html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
from local_site import ROBOTS, serve  # noqa: E402
PAGES = ROOT.parent / "shared" / "eval" / "article-extraction" / "html"

KINDS = ("figure", "add_paragraph", "remove_paragraph", "title")
ADDED = ("A police spokesman said on Wednesday that at least {n} people had been detained in connection "
         "with the incident and that further arrests were expected.")
ADVERTS = ("Advertisement: Save 40% on your first year of unlimited access", "Sponsored: The best travel deals "
           "this winter", "Advertisement: Switch energy provider in five minutes", "Sponsored: Try our new app free")
_clock = itertools.count(1)
#: the served pages' headlines, which the "Most read" list rotates through as real sites' lists do
HEADLINES: list[str] = []


def _long_paragraphs(tree) -> list:
    return [p for p in tree.iter("p") if len(" ".join(p.itertext()).split()) >= 25]


def parse(page: bytes):
    """The page as a tree, decoded as sitrep decodes pages (lxml alone reads a page without a
    charset declaration as Latin-1, which garbles every edit made through it)."""
    from sitrep.ingest.decoding import declared_charset, decode

    text = decode(page, declared=declared_charset(page[:4096])).text
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses a str with an encoding declaration
    return lxml_html.document_fromstring(text)


def serialise(tree) -> bytes:
    """The tree as UTF-8 bytes (served with ``charset=utf-8``, which wins over a stale meta tag)."""
    return etree.tostring(tree, encoding="unicode", method="html").encode("utf-8")


def with_furniture(page: bytes) -> bytes:
    """The page with this request's furniture: stamps, counter, related links, advert, clock."""
    tick = next(_clock)
    tree = parse(page)
    body = tree.find("body")
    if body is None:
        return page
    paragraphs = _long_paragraphs(tree)
    if paragraphs:
        first = paragraphs[0]
        stamp = lxml_html.fragment_fromstring(f"<p>Updated {tick % 50 + 2} minutes ago</p>")
        views = lxml_html.fragment_fromstring(f"<p>{1000 + tick * 37:,} views</p>")
        first.addprevious(stamp)
        first.addprevious(views)
    header = lxml_html.fragment_fromstring(f"<div class='clock'>{tick % 24:02d}:{tick % 60:02d} GMT</div>")
    body.insert(0, header)
    picks = [HEADLINES[(tick * 7 + i) % len(HEADLINES)] for i in range(4)] if HEADLINES else []
    related = lxml_html.fragment_fromstring("<aside class='related'><h3>Most read</h3><ul></ul></aside>")
    for i, headline in enumerate(picks):
        item = etree.SubElement(etree.SubElement(related.find("ul"), "li"), "a", href=f"/r/{tick}-{i}")
        item.text = headline
    body.append(related)
    advert = etree.SubElement(body, "div", {"class": "ad"})
    advert.text = ADVERTS[tick % len(ADVERTS)]
    return serialise(tree)


def edit(page: bytes, kind: str, stored_text: str, seed: int) -> tuple[bytes, str] | None:
    """``page`` edited in the article text watch stored from it (``kind``), and what was done;
    None when the page offers no paragraph of the stored text to edit."""
    tree = parse(page)
    stored = re.sub(r"\s+", " ", stored_text)
    inside = [p for p in _long_paragraphs(tree) if re.sub(r"\s+", " ", " ".join(p.itertext())).strip()[:80] in stored]
    if kind == "title":
        title = tree.find(".//title")
        if title is None or not (title.text or "").strip():
            return None
        new = title.text.strip() + " as officials revise the toll"
        for node in [title, *tree.iter("h1")]:
            node.text = new if node is title else (node.text or "") + " as officials revise the toll"
        for meta in tree.iter("meta"):
            if meta.get("property") in ("og:title", "twitter:title") or meta.get("name") in ("twitter:title", "title"):
                meta.set("content", new)
        return serialise(tree), f"title → {new[:60]}"
    if not inside:
        return None
    target = inside[min(len(inside) - 1, 1 + seed % max(1, len(inside) - 1))]
    if kind == "figure":  # a figure revised: the paragraph's first number changed, else one added
        text = target.text or ""
        number = re.search(r"\b\d+\b", text)
        if number:
            target.text = text[:number.start()] + str(int(number[0]) + seed % 9 + 2) + text[number.end():]
            return serialise(tree), f"figure {number[0]} changed"
        sentence_end = text.find(". ")
        if sentence_end < 20:
            return None
        target.text = (text[:sentence_end] + f", and at least {seed % 40 + 11} people were hurt"
                       + text[sentence_end:])
        return serialise(tree), "figure added to a sentence"
    if kind == "add_paragraph":
        para = lxml_html.fragment_fromstring(f"<p>{ADDED.format(n=seed % 30 + 4)}</p>")
        target.addnext(para)
        return serialise(tree), "attributed paragraph added"
    if kind == "remove_paragraph":
        target.getparent().remove(target)
        return serialise(tree), "paragraph removed"
    raise ValueError(kind)


class Server:
    """The site of the bench: a sitemap of ``pages`` and each page with fresh furniture."""

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {}
        self.httpd, self.base = serve(self.route)

    def route(self, path: str) -> tuple[bytes, str] | None:
        if path == "/robots.txt":
            return ROBOTS, "text/plain"
        if path == "/sitemap.xml":
            locs = "".join(f"<url><loc>{self.base}{p}</loc></url>" for p in sorted(self.pages))
            return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'.encode(), "application/xml"
        if path in self.pages:
            return with_furniture(self.pages[path]), "text/html; charset=utf-8"
        return None


def baselines(base: str, paths: list[str], pipeline) -> dict[str, int]:
    """On pages fetched twice in a row (only their furniture differs): how many a revision test would flag if it compared the
    bytes served, sitrep's exact-duplicate key of the clean text (``content_hash``), or the
    revision key (``text_key``, what watch uses)."""
    import httpx

    from sitrep.clean import clean_document, content_hash
    from sitrep.revisions import text_key
    from sitrep.watch.fetch import Fetched
    from sitrep.watch.run import page_record
    from sitrep.watch.sources import Item

    flagged = {"bytes": 0, "content_hash": 0, "text_key": 0}
    for path in paths:
        texts, bodies = [], []
        for _ in range(2):
            resp = httpx.get(base + path)
            got = Fetched(base + path, resp.status_code, resp.content, resp.headers.get("content-type", ""))
            record = page_record(base + path, got, Item(base + path), pipeline.read_options)
            if not hasattr(record, "text"):
                break
            texts.append(clean_document(record, pipeline.line_stats, pipeline.registry).text)
            bodies.append(resp.content)
        if len(texts) == 2:
            flagged["bytes"] += bodies[0] != bodies[1]
            flagged["content_hash"] += content_hash(texts[0]) != content_hash(texts[1])
            flagged["text_key"] += text_key(texts[0]) != text_key(texts[1])
    return flagged


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=120, help="pages served (at most the 181 available)")
    ap.add_argument("--edited", type=float, default=0.4, help="share of the stored pages edited")
    ap.add_argument("--nlp", action="store_true", help="full pipeline (claims, events) instead of cleaning only")
    ap.add_argument("--seed", type=int, default=21)
    args = ap.parse_args()
    if not PAGES.is_dir():
        print(f"SKIPPED: {PAGES} is absent (the Zyte article-extraction pages); nothing measured")
        return

    from sitrep.engines import make_engine
    from sitrep.pipeline import Pipeline
    from sitrep.store.sqlite import SQLiteRepository
    from sitrep.watch.fetch import PoliteClient
    from sitrep.watch.refetch import RefetchPolicy
    from sitrep.watch.run import Watcher

    rng = random.Random(args.seed)
    files = sorted(PAGES.glob("*.html.gz"))[: args.n]
    server = Server()
    originals = {f"/p/{f.name.split('.')[0][:16]}": gzip.decompress(f.read_bytes()) for f in files}
    server.pages.update(originals)
    for page in originals.values():
        title = parse(page).findtext(".//title")
        if title and title.strip():
            HEADLINES.append(re.sub(r"\s+", " ", title).strip()[:120])
    with tempfile.TemporaryDirectory() as tmp:
        repo = SQLiteRepository(Path(tmp) / "rev.sqlite")
        if args.nlp:
            pipeline = Pipeline(repo)
        else:
            pipeline = Pipeline(repo, engine=make_engine(stages=[]), resolve_entities=False, cluster_stories=False)

        def watch_pass(refetch_after: float | None) -> dict:
            watcher = Watcher(pipeline, PoliteClient(delay=0.0, timeout=30.0), refetch=RefetchPolicy(after=refetch_after))
            return watcher.run_once([server.base + "/sitemap.xml"]).to_json()

        t0 = time.perf_counter()
        first = watch_pass(None)
        stored = {a.url.replace(server.base, ""): a for a in repo.list_articles(limit=10_000) if a.url}
        paths = sorted(stored)
        rng.shuffle(paths)
        chosen = paths[: round(len(paths) * args.edited)]
        made: dict[str, str] = {}
        for i, path in enumerate(chosen):
            kinds = KINDS[i % len(KINDS):] + KINDS[: i % len(KINDS)]
            for kind in kinds:  # the kind in turn, else the next one this page allows
                done = edit(originals[path], kind, stored[path].text, args.seed + i)
                if done is not None:
                    server.pages[path], what = done
                    made[path] = f"{kind}: {what}"
                    break
        second = watch_pass(0)
        third = watch_pass(0)
        seconds = time.perf_counter() - t0
        articles = {a.url.replace(server.base, ""): a for a in repo.list_articles(limit=10_000) if a.url}
        found = [p for p in made if articles[p].revisions >= 2]
        missed = {p: made[p] for p in made if articles[p].revisions == 1}
        extra_on_edited = sum(max(0, articles[p].revisions - 2) for p in made)
        unchanged = [p for p in articles if p not in made]
        false = {p: articles[p].revisions - 1 for p in unchanged if articles[p].revisions > 1}
        by_kind: dict[str, list[int]] = {}
        for p, what in made.items():
            by_kind.setdefault(what.split(":")[0], [0, 0])
            by_kind[what.split(":")[0]][1] += 1
            by_kind[what.split(":")[0]][0] += p in found
        flagged = baselines(server.base, sorted(articles), pipeline)
        with_claims: dict[str, int] = {}
        claim_examples = {}
        for p in found:
            changes = repo.revisions_of(articles[p].id)[1]["data"]["changes"] or {}
            kind = made[p].split(":")[0]
            if changes.get("claims_appeared") or changes.get("claims_vanished"):
                with_claims[kind] = with_claims.get(kind, 0) + 1
                claim_examples.setdefault(kind, {"appeared": changes["claims_appeared"][:2],
                                                 "vanished": changes["claims_vanished"][:2]})
        false_examples = []
        for p in list(false)[:3] + [p for p in made if articles[p].revisions > 2][:3]:
            changes = repo.revisions_of(articles[p].id)[-1]["data"]["changes"]
            false_examples.append({"page": p, "edit": made.get(p), "added": changes["sentences_added"][:2],
                                   "removed": changes["sentences_removed"][:2], "title": changes["title"]})
        print(json.dumps({
            "pages_served": len(originals), "articles_stored": first["ingest"]["stored"],
            "edits_made": len(made), "edits_found": len(found), "by_kind_found_made": by_kind,
            "unchanged_pages": len(unchanged), "false_revisions_unchanged": sum(false.values()),
            "extra_revisions_on_edited": extra_on_edited,
            "pages_flagged_between_two_fetches_after_pass3": flagged,
            "pass2": {k: second[k] for k in ("pages_refetched", "revisions")},
            "pass3": {k: third[k] for k in ("pages_refetched", "revisions")},
            "found_with_claim_changes_by_kind": with_claims if args.nlp else None,
            "claim_change_examples": claim_examples if args.nlp else None,
            "missed": missed, "false_examples": false_examples, "pipeline": "full" if args.nlp else "cleaning only",
            "seconds": round(seconds, 1)}, indent=1, ensure_ascii=False))
        repo.close()
    server.httpd.shutdown()


if __name__ == "__main__":
    main()
