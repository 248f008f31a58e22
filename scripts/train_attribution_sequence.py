"""Train the attribution tagger's sentence-wide layer (``sitrep.claims.learned.SequenceModel``).

    PYTHONPATH=src:/path/to/torch .venv/bin/python scripts/train_attribution_sequence.py \\
        --cache /tmp/attrn/cache [--hidden 64] [--dims 16] [--epochs 8] [--threads 2] [--on]
    # a further member of the shipped ensemble, from another seed (the model card has the commands):
    ... train_attribution_sequence.py --cache /tmp/attrn/cache --threads 1 --epochs 4 \\
        --seed 1 --file sequence_seed1.npz --add

A bidirectional LSTM over each sentence, in place of the linear stacked second pass: per token
it reads embeddings of hashed features (``learned.sequence_codes``) and the first pass's
log-probabilities, and scores O / B / I for source, cue and content. The first pass is the
shipped one (``weights.npz``, fitted by ``scripts/train_attribution.py``); the layer learns from
first-pass scores of train documents held out of a first-pass fit (``--folds`` by document, as
the second pass does), so they are as wrong as at inference. PolNeAR's train split trains it;
dev only picks the epoch (early stopping on the tagger's token-span overlap F1). The test split
is never read. Needs torch (``pip install 'sitrep[train]'``); sitrep itself runs the layer in
numpy, and this script checks that the numpy forward pass equals torch's on dev sentences.
Writes ``sequence.npz`` (float16) into ``--out`` and a ``"sequence"`` entry into its
``meta.json`` (``"on"`` only with ``--on``). With ``--add`` the layer is written as ``--file``
and joins the layers already in that entry (``"files"``): the tagger averages their scores
(``learned.SequenceEnsemble``), the entry's offsets and blend stay as they are.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from train_attribution import DEFAULT_TRAIN, fit, labels, load, onehot, parse_all  # noqa: E402

from sitrep.claims.learned import (  # noqa: E402
    ELEMENTS,
    MODEL_DIR,
    SequenceModel,
    best_labels,
    decode,
    doc_arrays,
    features_for,
    load_model,
    log_probs,
    rule_flags,
    sequence_codes,
)

DEFAULT_DEV = DEFAULT_TRAIN.parent / "dev"
# Chosen on PolNeAR dev with the shipped layer (claims overlap F1 source / cue / content): offsets
# -1 / -0.5 / -0.5 with the second pass blended at 0.3 0.778 / 0.786 / 0.841 (at 0.5 0.776 / 0.783 /
# 0.839, at 0.7 0.775 / 0.782 / 0.836); the layer alone 0.776 / 0.778 / 0.841 (0 / 0 / 0: 0.771 /
# 0.783 / 0.835; -1.5 / -0.5 / -0.5: 0.774 / 0.778 / 0.841).
O_OFFSET = [-1.0, -0.5, -0.5]
BLEND = 0.3


def prepare(docs, parsed, claims, model):
    """Per document: first-pass codes, sequence codes, labels and sentence numbers."""
    feats = features_for(model.cue_lemmas, parsed[0].vocab.strings)
    out = []
    for (_, _, gold), doc, cl in zip(docs, parsed, claims):
        arr = doc_arrays(doc)
        if not len(arr.start):
            continue
        ctx = feats.context(doc.text, arr)
        flags = rule_flags(arr, cl)
        out.append({"codes": feats.codes(doc.text, arr, flags, ctx), "seq": sequence_codes(arr, ctx, flags, feats),
                    "y": labels(doc, arr, gold), "sent": arr.sent})
    return out


def held_out_first(rows, model, folds: int, cache: Path | None, c: float, epochs: int) -> np.ndarray:
    """First-pass scores of every train token from a fit on the other folds' documents."""
    n = sum(len(r["codes"]) for r in rows)
    path = cache / f"heldout_first_{folds}.npy" if cache is not None else None
    if path is not None and path.exists():
        got = np.load(path)
        if got.shape == (n, 9):
            return got
    x = onehot(np.concatenate([r["codes"] for r in rows]), model.buckets)
    y = np.concatenate([r["y"] for r in rows])
    fold = np.concatenate([np.full(len(r["codes"]), i % folds) for i, r in enumerate(rows)])
    out = np.zeros((n, 9), dtype=np.float32)
    for k in range(folds):
        w, b = fit(x[fold != k], y[fold != k], c, epochs)
        out[fold == k] = x[fold == k] @ w + b
        print(f"  held-out first pass, fold {k} done", flush=True)
    if path is not None:
        np.save(path, out)
    return out


def sentences(rows, first, rows_emb: int):
    """(codes, log-probs, labels) per sentence."""
    out, at = [], 0
    for r in rows:
        m = len(r["codes"])
        lp = log_probs(first[at : at + m]).astype(np.float32)
        at += m
        seq = (r["seq"] % np.uint64(rows_emb)).astype(np.int64)
        cuts = np.flatnonzero(np.r_[True, r["sent"][1:] != r["sent"][:-1]]).tolist() + [m]
        for a, b in zip(cuts[:-1], cuts[1:]):
            out.append((seq[a:b], lp[a:b], r["y"][a:b].astype(np.int64)))
    return out


def build(torch, n_feats: int, rows_emb: int, dims: int, hidden: int, dropout: float):
    nn = torch.nn

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb = nn.Embedding(rows_emb, dims)
            nn.init.normal_(self.emb.weight, std=0.1)
            self.drop = nn.Dropout(dropout)
            self.lstm = nn.LSTM(n_feats * dims + 9, hidden, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * hidden, 9)

        def forward(self, codes, lp, lengths):
            b, t, f = codes.shape
            x = torch.cat([self.drop(self.emb(codes).reshape(b, t, -1)), lp], dim=2)
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=t)
            return self.out(self.drop(h))

    return Tagger()


def batch(torch, sents):
    t = max(len(s[0]) for s in sents)
    b = len(sents)
    codes = np.zeros((b, t, sents[0][0].shape[1]), dtype=np.int64)
    lp = np.zeros((b, t, 9), dtype=np.float32)
    y = np.full((b, t, 3), -100, dtype=np.int64)
    for i, (c, p, lab) in enumerate(sents):
        codes[i, : len(c)] = c
        lp[i, : len(c)] = p
        y[i, : len(c)] = lab
    return (torch.from_numpy(codes), torch.from_numpy(lp), torch.tensor([len(s[0]) for s in sents]),
            torch.from_numpy(y))


def export(net) -> SequenceModel:
    """The torch weights as the numpy layer's arrays (float16-rounded, as shipped)."""
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in net.state_dict().items()}

    def r(a):
        return a.astype(np.float16).astype(np.float32)

    w_in = np.stack([sd["lstm.weight_ih_l0"].T, sd["lstm.weight_ih_l0_reverse"].T])
    w_rec = np.stack([sd["lstm.weight_hh_l0"].T, sd["lstm.weight_hh_l0_reverse"].T])
    b = np.stack([sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"],
                  sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"]])
    return SequenceModel(r(sd["emb.weight"]), r(w_in), r(w_rec), r(b), r(sd["out.weight"].T), r(sd["out.bias"]))


def load_rounded(torch, net, seq: SequenceModel) -> None:
    """Put the float16-rounded weights back into the torch network (for the equality check)."""
    with torch.no_grad():
        net.emb.weight.copy_(torch.from_numpy(seq.emb))
        for d, suffix in enumerate(("", "_reverse")):
            getattr(net.lstm, "weight_ih_l0" + suffix).copy_(torch.from_numpy(seq.w_in[d].T.copy()))
            getattr(net.lstm, "weight_hh_l0" + suffix).copy_(torch.from_numpy(seq.w_rec[d].T.copy()))
            getattr(net.lstm, "bias_ih_l0" + suffix).copy_(torch.from_numpy(seq.b[d]))
            getattr(net.lstm, "bias_hh_l0" + suffix).zero_()
        net.out.weight.copy_(torch.from_numpy(seq.w_out.T.copy()))
        net.out.bias.copy_(torch.from_numpy(seq.b_out))


def doc_scores(torch, net, r, lp, rows_emb) -> np.ndarray:
    """The torch network's (n, 9) scores over one document, sentence by sentence."""
    sents = sentences([r], lp, rows_emb)
    codes, p, lengths, _ = batch(torch, sents)
    with torch.no_grad():
        out = net(codes, p, lengths).numpy()
    return np.concatenate([out[i, : len(s[0])] for i, s in enumerate(sents)])


def span_f1(pred, gold) -> float:
    """Token-span overlap F1 (precision over predicted spans, recall over gold ones)."""
    def hits(a, b):
        return sum(1 for s in a if any(s[0] < g[1] and g[0] < s[1] for g in b))

    tp_p, n_p, tp_g, n_g = 0, 0, 0, 0
    for p, g in zip(pred, gold):
        tp_p += hits(p, g)
        tp_g += hits(g, p)
        n_p += len(p)
        n_g += len(g)
    prec, rec = tp_p / max(n_p, 1), tp_g / max(n_g, 1)
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def evaluate(score_fn, dev_rows) -> list[float]:
    """Per element, token-span overlap F1 of the decoded spans on dev (offsets 0)."""
    preds: list[list] = [[] for _ in ELEMENTS]
    golds: list[list] = [[] for _ in ELEMENTS]
    for r in dev_rows:
        lab = best_labels(score_fn(r), r["sent"])
        for k in range(3):
            preds[k].append(decode(lab[:, k], r["sent"]))
            golds[k].append(decode(r["y"][:, k].astype(np.int64), r["sent"]))
    return [round(span_f1(preds[k], golds[k]), 4) for k in range(3)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--rows", type=int, default=1 << 15, help="rows of the hashed embedding table")
    ap.add_argument("--dims", type=int, default=16)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--dropout", type=float, default=0.25)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--patience", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=2)
    ap.add_argument("--o-offset", type=float, nargs=3, default=O_OFFSET,
                    help="added to each element's O score at inference (chosen on dev: see the model card)")
    ap.add_argument("--blend", type=float, default=BLEND,
                    help="weight of the linear second pass's log-probabilities beside the layer's (0: layer alone)")
    ap.add_argument("--on", action="store_true", help="switch the layer on in meta.json")
    ap.add_argument("--file", default="sequence.npz", help="name of the weights file written into --out")
    ap.add_argument("--add", action="store_true",
                    help="add the layer to the ensemble already in meta.json instead of replacing it")
    args = ap.parse_args()
    if not args.train.exists() or not args.dev.exists():
        print("skipped: PolNeAR train/dev not found")
        return 0
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    model = load_model(args.out)
    assert model is not None, "the first pass (weights.npz, meta.json) must be trained first"
    meta = json.loads((args.out / "meta.json").read_text(encoding="utf-8"))

    t0 = time.perf_counter()
    train_docs = load(args.train)
    _, parsed, claims = parse_all(train_docs, args.cache)
    train_rows = prepare(train_docs, parsed, claims, model)
    del parsed, claims
    dev_docs = load(args.dev)
    # dev parses live in their own folder of the cache (parse_all names its file train.spacy)
    _, dparsed, dclaims = parse_all(dev_docs, args.cache / "dev" if args.cache else None)
    dev_rows = prepare(dev_docs, dparsed, dclaims, model)
    for r in dev_rows:
        r["first"] = model.scores(r["codes"])
    print(f"parsed and featurised in {time.perf_counter() - t0:.0f} s", flush=True)
    first = held_out_first(train_rows, model, args.folds, args.cache, meta["train"]["C"], meta["train"]["epochs"])
    train_sents = sentences(train_rows, first, args.rows)
    n_feats = train_sents[0][0].shape[1]
    print(f"{len(train_sents)} train sentences, {sum(len(s[0]) for s in train_sents)} tokens; "
          f"{time.perf_counter() - t0:.0f} s so far", flush=True)

    net = build(torch, n_feats, args.rows, args.dims, args.hidden, args.dropout)
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    by_len = sorted(range(len(train_sents)), key=lambda i: len(train_sents[i][0]))
    batches = [by_len[i : i + args.batch] for i in range(0, len(by_len), args.batch)]

    def torch_scores(r):
        return doc_scores(torch, net, r, r["first"], args.rows)

    best, best_state, stale, history = -1.0, None, 0, []
    for epoch in range(args.epochs):
        net.train()
        t1, total = time.perf_counter(), 0.0
        for bi in rng.permutation(len(batches)):
            codes, lp, lengths, y = batch(torch, [train_sents[i] for i in batches[bi]])
            out = net(codes, lp, lengths).reshape(-1, 3, 3)
            yy = y.reshape(-1, 3)
            loss = sum(loss_fn(out[:, k], yy[:, k]) for k in range(3))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            total += float(loss)
        net.eval()
        f1 = evaluate(torch_scores, dev_rows)
        history.append({"epoch": epoch + 1, "loss": round(total / len(batches), 4), "dev_f1": f1})
        print(f"epoch {epoch + 1}: loss {total / len(batches):.4f}, dev token-span overlap F1 {f1}, "
              f"{time.perf_counter() - t1:.0f} s", flush=True)
        if sum(f1[:2]) > best:
            best, stale = sum(f1[:2]), 0
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
        else:
            stale += 1
            if stale >= args.patience:
                break
    assert best_state is not None
    net.load_state_dict(best_state)
    net.eval()
    seq = export(net)

    # self-check: the numpy forward pass over the float16 weights equals torch's over the same
    load_rounded(torch, net, seq)
    worst = 0.0
    for r in dev_rows[:5]:
        got = seq.scores(r["seq"], log_probs(r["first"]), r["sent"])
        want = torch_scores(r)
        worst = max(worst, float(np.abs(got - want).max()))
    print(f"numpy vs torch forward, 5 dev documents: max |difference| {worst:.2e}")
    assert worst < 1e-3, worst
    f1_numpy = evaluate(lambda r: seq.scores(r["seq"], log_probs(r["first"]), r["sent"]), dev_rows)
    print(f"dev token-span overlap F1 (numpy, float16 weights, offsets 0): {f1_numpy}")

    path = args.out / args.file
    np.savez_compressed(path, **{k: getattr(seq, k).astype(np.float16)
                                 for k in ("emb", "w_in", "w_rec", "b", "w_out", "b_out")})
    train = {"rows": args.rows, "dims": args.dims, "hidden": args.hidden, "dropout": args.dropout,
             "batch": args.batch, "lr": args.lr, "seed": args.seed, "folds": args.folds,
             "epochs_run": len(history), "history": history, "numpy_vs_torch": float(f"{worst:.2e}"),
             "dev_token_span_f1": f1_numpy, "train_s": round(time.perf_counter() - t0, 1)}
    entry = meta.get("sequence") or {}
    if args.add and entry:
        files = entry.get("files", [entry.get("file", "sequence.npz")])
        entry["files"] = files + [args.file] if args.file not in files else files
        entry.setdefault("members", {})[args.file] = train
        entry["on"] = entry.get("on", False) or bool(args.on)
    else:
        entry = {"on": bool(args.on), "file": args.file, "o_offset": list(args.o_offset), "blend": args.blend,
                 "train": train}
    meta["sequence"] = entry
    (args.out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
