"""Story clustering benchmark: BCubed precision/recall/F1 of sitrep's online clusterer against a
plain TF-IDF single-pass baseline, and time per article as the stream grows.

    .venv/bin/python bench/eval_stories.py            # everything
    .venv/bin/python bench/eval_stories.py --quick    # fewer thresholds, no 10k scaling run
    .venv/bin/python bench/eval_stories.py --only-scaling   # only the 10k scaling run

Data (read in place, never copied): ../shared/eval/gva-incident-clusters/articles.jsonl (gold
``incident_id``) and ../shared/eval/googlenews-story-clusters/News-T.jsonl, News-TS.jsonl (gold
``cluster``; text already lower-cased and stemmed, no dates). Articles are built directly as
``Article`` records (title + text, published = the given date); no spaCy runs, so the clusterer's
entity overlap falls back to capitalised-word runs (which the lower-cased Google News text has
none of: there it is TF-IDF alone).

Tuning protocol: gold clusters are split in two by a hash of their id; thresholds are chosen on the
"tune" half (best BCubed F1 over a fixed grid) and the F1 on the other, "held-out" half is reported
with that threshold, for both systems. Anchor: Miranda et al. 2018 report BCubed F1 ≈ 0.94 on their
English set (long articles, many per story).
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

from sklearn.feature_extraction.text import HashingVectorizer

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from sitrep.model import Article, DateRange, OffsetMap  # noqa: E402
from sitrep.stories.cluster import StoryClusterer  # noqa: E402

SHARED = REPO.parent / "shared" / "eval"
GVA = SHARED / "gva-incident-clusters" / "articles.jsonl"
GNEWS = SHARED / "googlenews-story-clusters"

_TITLE_SUFFIX = re.compile(r"\s+(?:[-|–—]|::)\s+[^-|–—:]{2,60}$")


def clean_title(title: str) -> str:
    """Drop a trailing " - Outlet" / ":: WRAL.com" site suffix, which names the outlet, not the story."""
    prev = None
    while prev != title:
        prev, title = title, _TITLE_SUFFIX.sub("", title)
    return title


def make_article(aid: str, title: str, text: str, day: date | None, outlet: str | None) -> Article:
    return Article(
        id=aid,
        source_path="bench",
        text=text,
        original=text,
        offsets=OffsetMap(),
        title=title,
        outlet=outlet,
        published=DateRange(day, day) if day else None,
    )


def load_gva() -> list[tuple[Article, str]]:
    rows = [json.loads(line) for line in GVA.open(encoding="utf-8")]
    rows.sort(key=lambda r: (r["dct"], r["doc_id"]))
    return [
        (
            make_article(r["doc_id"], clean_title(r["title"] or ""), r["text"] or "",
                         date.fromisoformat(r["dct"]), r["outlet_host"]),
            str(r["incident_id"]),
        )
        for r in rows
    ]


def load_gnews(name: str) -> list[tuple[Article, str]]:
    out = []
    for i, line in enumerate((GNEWS / name).open(encoding="utf-8")):
        r = json.loads(line)
        out.append((make_article(f"{name}:{i}", "", r["text"], None, None), str(r["cluster"])))
    return out


def half(gold: str) -> str:
    """The GVA incident's half: "tune" (thresholds and the story idf table were fitted there) or
    "heldout" — split as the package splits it (``sitrep.stories.idf.gva_half``)."""
    from sitrep.stories.idf import gva_half

    return gva_half(gold)


# ------------------------------------------------------------------------------------ metrics


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """BCubed precision, recall, F1 (Bagga & Baldwin 1998; Amigó et al. 2009)."""
    by_pred, by_gold, both = Counter(pred.values()), Counter(gold.values()), Counter()
    for item in gold:
        both[(pred[item], gold[item])] += 1
    p = sum(both[(pred[i], gold[i])] / by_pred[pred[i]] for i in gold) / len(gold)
    r = sum(both[(pred[i], gold[i])] / by_gold[gold[i]] for i in gold) / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# ------------------------------------------------------------------------------------ baseline


class TfidfSinglePass:
    """The plain baseline: scikit-learn's default tokenisation, incremental idf, exact cosine to
    every cluster centroid (through an inverted index, which is exact), one threshold, no time,
    no entities, no candidate pruning."""

    def __init__(self, threshold: float):
        self.threshold = threshold
        self.hv = HashingVectorizer(n_features=2**20, alternate_sign=False, norm=None, stop_words="english")
        self.df: Counter = Counter()
        self.n = 0
        self.sums: list[dict[int, float]] = []
        self.norm2: list[float] = []
        self.postings: dict[int, dict[int, float]] = defaultdict(dict)

    def add(self, article: Article) -> int:
        row = self.hv.transform([(article.title or "") + " " + article.text[:4000]])
        self.n += 1
        for i in row.indices:
            self.df[i] += 1
        vec = {int(i): (1 + math.log(c)) * (math.log((self.n + 1) / (self.df[i] + 1)) + 1)
               for i, c in zip(row.indices, row.data)}
        nv = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        vec = {k: w / nv for k, w in vec.items()}
        dots: Counter = Counter()
        for k, w in vec.items():
            for c, cw in self.postings.get(k, {}).items():
                dots[c] += w * cw
        best, best_s = None, self.threshold
        for c, d in dots.items():
            s = d / math.sqrt(self.norm2[c])
            if s >= best_s:
                best, best_s = c, s
        if best is None:
            best = len(self.sums)
            self.sums.append({})
            self.norm2.append(0.0)
        sm = self.sums[best]
        self.norm2[best] += 2 * sum(w * sm.get(k, 0.0) for k, w in vec.items()) + 1.0
        for k, w in vec.items():
            sm[k] = sm.get(k, 0.0) + w
            self.postings[k][best] = sm[k]
        return best


# ------------------------------------------------------------------------------------ running


def run(stream: list[tuple[Article, str]], make) -> dict[str, str]:
    system = make()
    return {a.id: str(system.add(a)) for a, _ in stream}


def evaluate(name: str, stream: list[tuple[Article, str]], grid: list[float]) -> list[str]:
    rows = []
    for label, maker in (
        ("sitrep", lambda t: (lambda: StoryClusterer(threshold=t))),
        ("tfidf-baseline", lambda t: (lambda: TfidfSinglePass(t))),
    ):
        parts = {h: [(a, g) for a, g in stream if half(g) == h] for h in ("tune", "heldout")}
        best_t, best_f = None, -1.0
        for t in grid:
            sub = parts["tune"]
            p, r, f = bcubed(run(sub, maker(t)), {a.id: g for a, g in sub})
            if f > best_f:
                best_t, best_f = t, f
        sub = parts["heldout"]
        t0 = time.perf_counter()
        p, r, f = bcubed(run(sub, maker(best_t)), {a.id: g for a, g in sub})
        ms = 1000 * (time.perf_counter() - t0) / len(sub)
        pa, ra, fa = bcubed(run(stream, maker(best_t)), {a.id: g for a, g in stream})
        rows.append(
            f"| {name} | {label} | {best_t:.3f} | {best_f:.3f} | {p:.3f} | {r:.3f} | {f:.3f} | {fa:.3f} | {ms:.2f} |"
        )
        print(rows[-1], flush=True)
    return rows


def scaling(stream: list[tuple[Article, str]], total: int) -> list[str]:
    """Replay the GVA stream with dates shifted past the previous replay until ``total`` articles,
    timing each block of 1,000 articles: flat per-article time means no all-pairs work."""
    span = (max(a.published.end for a, _ in stream) - min(a.published.start for a, _ in stream)).days + 30
    articles = []
    k = 0
    while len(articles) < total:
        shift = timedelta(days=k * span)
        for a, _ in stream:
            d = a.published.start + shift
            articles.append(make_article(f"{a.id}#{k}", a.title or "", a.text, d, a.outlet))
            if len(articles) >= total:
                break
        k += 1
    c = StoryClusterer()
    rows = []
    for block in range(0, total, 1000):
        t0 = time.perf_counter()
        for a in articles[block: block + 1000]:
            c.add(a)
        ms = 1000 * (time.perf_counter() - t0) / len(articles[block: block + 1000])
        rows.append(f"| {block + 1}–{block + 1000} | {ms:.2f} | {len(c.active_story_ids())} | {len(c.stories)} |")
        print(rows[-1], flush=True)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--scale", type=int, default=10_000)
    ap.add_argument("--only-scaling", action="store_true", help="only the time per article as the stream grows")
    args = ap.parse_args()
    grid = [round(0.05 + 0.05 * i, 3) for i in range(9)] if not args.quick else [0.1, 0.15, 0.2]

    if not args.only_scaling:
        print("| data | system | threshold (tuned) | F1 tune | P held-out | R held-out | F1 held-out"
              " | F1 all | ms/article |\n|---|---|---|---|---|---|---|---|---|")
        if GVA.exists():
            evaluate("GVA incidents (2,149 art.)", load_gva(), grid)
        else:
            print(f"skipped: {GVA} not found")
        for name in ("News-T.jsonl", "News-TS.jsonl"):
            if (GNEWS / name).exists():
                evaluate(f"GoogleNews {name[:-6]}", load_gnews(name), grid)
            else:
                print(f"skipped: {GNEWS / name} not found")

    if GVA.exists() and not args.quick:
        print("\nTime per article as the stream grows (GVA replayed with shifted dates):")
        print("| articles | ms/article | active stories | all stories |\n|---|---|---|---|")
        scaling(load_gva(), args.scale)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
