"""Train sitrep's learned attribution tagger (``sitrep.claims.learned``) on PolNeAR's train split.

    PYTHONPATH=src .venv/bin/python scripts/train_attribution.py [--train PATH] [--out DIR]
                                     [--cache DIR] [--buckets 262144] [--epochs N]

Reads ``../shared/eval/polnear-attribution/train`` (840 articles; each document's first annotator
file, as the dev benchmark does), parses every text with sitrep's own spaCy pipeline, runs the
rules (their spans are features), and fits, per element (source, cue, content), a logistic
regression over the hashed features of every token with labels O / B / I. Nothing from dev/ or
test/ is read. Writes ``weights.npz`` (float16) and ``meta.json`` into ``--out`` (default: the
package's ``sitrep/data/attribution``). ``--cache`` keeps the parses between runs (outside the
repository: they hold the corpus text).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "src"))

from eval_attribution import read_ann  # noqa: E402  (the benchmark's own reading of the gold)

from sitrep.claims.extract import extract_claims  # noqa: E402
from sitrep.claims.learned import ELEMENTS, MODEL_DIR, Features, doc_arrays, rule_flags, token_range  # noqa: E402
from sitrep.model import Article, OffsetMap  # noqa: E402

DEFAULT_TRAIN = REPO.parent / "shared" / "eval" / "polnear-attribution" / "train"
# A lemma joins the learned cue lexicon when it is part of a gold cue at least this often and in
# at least this share of its occurrences (train split; chosen so "accord", "call", "criticize",
# "statement" enter and "be", "have" stay out).
CUE_MIN_COUNT = 8
CUE_MIN_SHARE = 0.3


def load(train: Path) -> list[tuple[str, str, dict]]:
    texts = sorted((train / "text").glob("*.txt"))
    anns = sorted((train / "attributions").glob("*.ann"))
    by_stem: dict[str, Path] = {}
    for a in anns:
        stem = a.name.rsplit("_", 1)[0]
        by_stem.setdefault(stem, a)
    out = []
    for t in texts:
        a = by_stem.get(t.stem)
        if a is None:
            continue
        text = t.read_text(encoding="utf-8")
        out.append((t.stem, text, read_ann(a, text)))
    return out


def parse_all(docs, cache: Path | None):
    """The parses and the rules' claims of every training text (from ``cache`` when present)."""
    from spacy.tokens import DocBin

    from sitrep.nlp import get_nlp

    nlp = get_nlp()
    if cache is not None and (cache / "train.spacy").exists():
        parsed = list(DocBin().from_disk(cache / "train.spacy").get_docs(nlp.vocab))
    else:
        parsed = list(nlp.pipe((text for _, text, _ in docs), batch_size=16))
        if cache is not None:
            cache.mkdir(parents=True, exist_ok=True)
            DocBin(store_user_data=False, docs=parsed).to_disk(cache / "train.spacy")
    claims = []
    for (stem, text, _), doc in zip(docs, parsed):
        art = Article(id=stem, source_path=stem, text=text, original=text, offsets=OffsetMap())
        claims.append(extract_claims(art, doc, learned=False))
    return nlp, parsed, claims


def cue_lexicon(docs, parsed) -> list[str]:
    """Lemmas that PolNeAR's annotators mark as (part of) a cue often enough."""
    inside: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for (_, _, gold), doc in zip(docs, parsed):
        arr = doc_arrays(doc)
        cue_tok = np.zeros(len(doc), dtype=bool)
        for s, e in gold["cue"]:
            lo, hi = token_range(arr, s, e)
            cue_tok[lo:hi] = True
        for t in doc:
            if t.is_alpha:
                lemma = t.lemma_.lower()
                total[lemma] += 1
                if cue_tok[t.i]:
                    inside[lemma] += 1
    return sorted(w for w, c in inside.items() if c >= CUE_MIN_COUNT and c / total[w] >= CUE_MIN_SHARE)


def labels(doc, arr, gold) -> np.ndarray:
    """(n_tokens, 3) labels O=0, B=1, I=2 per element; a span inside one already labelled keeps
    the outer one (PolNeAR nests contents)."""
    y = np.zeros((len(doc), 3), dtype=np.int8)
    for k, elem in enumerate(ELEMENTS):
        for s, e in sorted(gold[elem], key=lambda se: (se[0], -se[1])):
            lo, hi = token_range(arr, s, e)
            if hi <= lo or y[lo:hi, k].any():
                continue
            y[lo, k] = 1
            y[lo + 1 : hi, k] = 2
    return y


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--buckets", type=int, default=1 << 18)
    ap.add_argument("--c", type=float, default=0.1, help="inverse L2 strength of the logistic regression")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--o-offset", type=float, default=-0.5,
                    help="added to every element's O score at inference (chosen on dev: see TaggerModel.o_offset)")
    args = ap.parse_args()
    if not args.train.exists():
        print(f"skipped: {args.train} not found")
        return 0
    from sklearn.linear_model import LogisticRegression

    t0 = time.perf_counter()
    docs = load(args.train)
    nlp, parsed, claims = parse_all(docs, args.cache)
    t_parse = time.perf_counter() - t0
    cue_lemmas = cue_lexicon(docs, parsed)
    feats = Features(cue_lemmas, nlp.vocab.strings)
    rows, ys = [], []
    for (_, _, gold), doc, cl in zip(docs, parsed, claims):
        arr = doc_arrays(doc)
        if not len(arr.start):
            continue
        codes = feats.codes(doc.text, arr, rule_flags(arr, cl))
        rows.append((codes % np.uint64(args.buckets)).astype(np.int64))
        ys.append(labels(doc, arr, gold))
    ids = np.concatenate(rows)
    y = np.concatenate(ys)
    n, f = ids.shape
    x = sparse.csr_matrix((np.ones(n * f, dtype=np.float32), ids.ravel(), np.arange(0, n * f + 1, f)),
                          shape=(n, args.buckets))
    x.sum_duplicates()
    t1 = time.perf_counter()
    weights = np.zeros((args.buckets, 9), dtype=np.float32)
    bias = np.zeros(9, dtype=np.float32)
    for k, elem in enumerate(ELEMENTS):
        clf = LogisticRegression(C=args.c, max_iter=args.epochs, solver="saga", tol=1e-4)
        clf.fit(x, y[:, k])
        order = list(clf.classes_)
        for j, label in enumerate((0, 1, 2)):
            if label in order:
                weights[:, 3 * k + j] = clf.coef_[order.index(label)]
                bias[3 * k + j] = clf.intercept_[order.index(label)]
            else:
                bias[3 * k + j] = -1e4
        print(f"  {elem}: trained ({time.perf_counter() - t1:.0f} s so far)", flush=True)
    t_fit = time.perf_counter() - t1
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out / "weights.npz", weights=weights.astype(np.float16), bias=bias)
    meta = {
        "buckets": args.buckets,
        "cue_lemmas": cue_lemmas,
        "o_offset": [args.o_offset] * 3,
        "train": {"documents": len(rows), "tokens": int(n), "templates": int(f), "C": args.c,
                  "epochs": args.epochs, "parse_s": round(t_parse, 1), "fit_s": round(t_fit, 1)},
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    size = (args.out / "weights.npz").stat().st_size
    print(f"{len(rows)} documents, {n} tokens, {f} templates; parse+rules {t_parse:.0f} s, fit {t_fit:.0f} s; "
          f"weights {size / 1e6:.2f} MB; {len(cue_lemmas)} cue lemmas")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
