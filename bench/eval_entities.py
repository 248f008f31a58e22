"""Entity resolution: pairwise precision/recall/F1 on a labelled set of name variants, beside two
baselines, plus throughput.

    .venv/bin/python bench/eval_entities.py [--data bench/data/entity_groups.json] [--repeat 200]

The labelled set has two splits, reported apart and together: "dev" (the rules were refined
while reading its errors) and "holdout" (written after the rules were frozen; one bug fix — the
ta-marbuta rule had also eaten a real final -ih — was made after it was first scored).

Every name of every group and distractor in the labelled set becomes one Mention in its own
pseudo-document (so no within-document linking helps), typed as labelled. Scores are over pairs of
names: a pair is predicted positive when both names get one entity, gold positive when both are in
one group. Systems:

- exact: lower-cased exact string match (same cluster iff equal)
- jaro-winkler>=0.85: blind edit distance on raw lower-cased names, clusters by transitive closure
- sitrep rules only: EntityResolver with an empty alias table
- sitrep + aliases: EntityResolver with the packaged alias table (which lists some of these
  groups by hand: its figure is partly memory, the rules-only figure is what generalises)

Throughput: mentions/s of EntityResolver.add over many documents of synthetic, mostly distinct
names (combinations of the labelled names' tokens), with the packaged alias table.
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from pathlib import Path

from jellyfish import jaro_winkler_similarity

from sitrep.entities import AliasTable, EntityResolver
from sitrep.model import Mention

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "entity_groups.json"


SPLITS = {
    "dev": ("groups", "distractors"),
    "holdout": ("holdout_groups", "holdout_distractors"),
}


def load_items(path: Path, split: str = "all") -> list[tuple[str, str, int]]:
    """(name, type, gold cluster) for every labelled name of the split ("dev", "holdout", "all")."""
    data = json.loads(path.read_text(encoding="utf-8"))
    parts = [k for name, keys in SPLITS.items() if split in (name, "all") for k in keys]
    items = []
    for gid, g in enumerate(g for k in parts for g in data.get(k, [])):
        for n in g["names"]:
            items.append((n, g["type"], gid))
    return items


def pairwise(pred: list, gold: list) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(gold)), 2):
        same_pred, same_gold = pred[i] == pred[j], gold[i] == gold[j]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def exact_baseline(items) -> list:
    return [n.lower() for n, _, _ in items]


def jw_baseline(items, threshold: float = 0.85) -> list:
    parent = list(range(len(items)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    names = [n.lower() for n, _, _ in items]
    for i, j in itertools.combinations(range(len(items)), 2):
        if jaro_winkler_similarity(names[i], names[j]) >= threshold:
            parent[find(i)] = find(j)
    return [find(i) for i in range(len(items))]


def sitrep_clusters(items, aliases: AliasTable) -> list:
    resolver = EntityResolver(aliases)
    out = []
    for k, (name, type_, _) in enumerate(items):
        (m,) = resolver.add([Mention(f"doc{k}", 0, len(name), name, type_)], name)
        out.append(m.entity_id)
    return out


def errors(items, pred) -> tuple[list, list]:
    """Wrongly merged pairs and gold groups that were split, for reading."""
    merged, split = [], []
    for i, j in itertools.combinations(range(len(items)), 2):
        if pred[i] == pred[j] and items[i][2] != items[j][2]:
            merged.append((items[i][0], items[j][0]))
        if pred[i] != pred[j] and items[i][2] == items[j][2]:
            split.append((items[i][0], items[j][0]))
    return merged, split


def throughput(items, repeat: int, per_doc: int = 20, seed: int = 7) -> tuple[int, float]:
    rng = random.Random(seed)
    by_type: dict[str, list[list[str]]] = {}
    for n, t, _ in items:
        by_type.setdefault(t, []).append(n.split())
    mentions_total, docs = 0, []
    for d in range(repeat):
        text_parts, ms, pos = [], [], 0
        for _ in range(per_doc):
            t = rng.choice(sorted(by_type))
            a, b = rng.choice(by_type[t]), rng.choice(by_type[t])
            name = " ".join(a[: max(1, len(a) - 1)] + b[-1:])
            ms.append(Mention(f"t{d}", pos, pos + len(name), name, t))
            text_parts.append(name)
            pos += len(name) + 2
        docs.append((ms, ". ".join(text_parts)))
        mentions_total += len(ms)
    resolver = EntityResolver(AliasTable.load())
    t0 = time.perf_counter()
    for ms, text in docs:
        resolver.add(ms, text)
    dt = time.perf_counter() - t0
    return mentions_total, mentions_total / dt if dt else float("inf"), len(resolver.entities())


def evaluate(split: str, items, show_errors: bool) -> None:
    gold = [g for _, _, g in items]
    print(f"\n[{split}] {len(items)} names in {len(set(gold))} gold clusters")
    systems = {
        "exact lower-cased": exact_baseline(items),
        "jaro-winkler>=0.85 (raw)": jw_baseline(items),
        "sitrep rules only": sitrep_clusters(items, AliasTable()),
        "sitrep + packaged aliases": sitrep_clusters(items, AliasTable.load()),
    }
    print(f"{'system':28s} {'precision':>9s} {'recall':>7s} {'F1':>6s} {'clusters':>8s}")
    for name, pred in systems.items():
        p, r, f = pairwise(pred, gold)
        print(f"{name:28s} {p:9.3f} {r:7.3f} {f:6.3f} {len(set(pred)):8d}")
    if show_errors:
        for name in ("sitrep rules only", "sitrep + packaged aliases"):
            merged, split_pairs = errors(items, systems[name])
            print(f"  {name}: wrongly merged {len(merged)}: {merged}")
            print(f"  {name}: split {len(split_pairs)}: {split_pairs}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--repeat", type=int, default=500, help="synthetic documents for throughput")
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"skipped: {args.data} not found")
        return 0
    for split in ("dev", "holdout", "all"):
        items = load_items(args.data, split)
        evaluate(split, items, args.show_errors and split != "all")
    items = load_items(args.data, "all")
    n, rate, n_ent = throughput(items, args.repeat)
    print(f"\nthroughput: {n} mentions in {args.repeat} documents -> {n_ent} entities: {rate:,.0f} mentions/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
