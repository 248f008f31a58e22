"""What the memoised attribute ruler saves, on real news text, and that it changes nothing.

    .venv/bin/python bench/bench_attributes.py [--n 300]

Reads the first N GVA incident-cluster reports from ``../shared`` in place (skips with a reason
when absent), times each component of the plain model over them, then times the stock attribute
ruler's ``match`` against ``MemoAttributeRuler.match`` on the same parsed documents (cold memo,
then warm), and checks the matches are identical document by document.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
GVA = REPO.parent / "shared" / "eval" / "gva-incident-clusters" / "articles.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()
    if not GVA.exists():
        print(f"skipped: {GVA} is absent")
        return
    import spacy
    from spacy.util import minibatch

    from sitrep.nlp import MODEL_NAME
    from sitrep.nlp.attributes import MemoAttributeRuler

    with GVA.open() as f:
        texts = [json.loads(line)["text"] for _, line in zip(range(args.n), f)]
    nlp = spacy.load(MODEL_NAME)
    for text in texts[:10]:  # warm up
        nlp(text)
    seconds = {name: 0.0 for name in ["tokenizer", *nlp.pipe_names]}
    tokens = 0
    for batch in minibatch(texts, 32):
        t0 = time.perf_counter()
        docs = [nlp.make_doc(t) for t in batch]
        seconds["tokenizer"] += time.perf_counter() - t0
        for name, proc in nlp.pipeline:
            t0 = time.perf_counter()
            docs = list(proc.pipe(docs))
            seconds[name] += time.perf_counter() - t0
        tokens += sum(len(d) for d in docs)
    total = sum(seconds.values())
    print(f"{len(texts)} GVA reports, {tokens:,} tokens; plain model {total:.1f} s by component:")
    for name, s in seconds.items():
        print(f"  {name:16} {s:6.1f} s  {100 * s / total:5.1f} %")

    stock = nlp.get_pipe("attribute_ruler")
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        parsed = list(nlp.pipe(texts))
    memo = MemoAttributeRuler(nlp.vocab)
    memo.add_patterns(stock.patterns)
    t0 = time.perf_counter()
    expected = [stock.match(d) for d in parsed]
    t_stock = time.perf_counter() - t0
    t0 = time.perf_counter()
    cold = [memo.match(d) for d in parsed]
    t_cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    warm = [memo.match(d) for d in parsed]
    t_warm = time.perf_counter() - t0
    same = cold == expected and warm == expected
    print(f"attribute ruler match: stock {t_stock:.2f} s ({1e6 * t_stock / tokens:.1f} µs/token), "
          f"memoised {t_cold:.2f} s cold / {t_warm:.2f} s warm ({1e6 * t_warm / tokens:.1f} µs/token), "
          f"{len(memo._memo):,} signatures; identical matches: {same}")
    saved = t_stock - t_warm
    print(f"saved: {saved:.1f} s = {100 * saved / total:.1f} % of the plain model's time")


if __name__ == "__main__":
    main()
