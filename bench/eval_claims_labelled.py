"""Claims against a hand-labelled sample: is each of 50 claims right in content, speaker, chain and hedging?

Usage:  .venv/bin/python bench/eval_claims_labelled.py [--keep DIR] [--show-wrong]

The labels (bench/data/claims_labelled.json, how they were made: bench/data/README.md) name a
sentence of an article by the article's file name, the sentence's character span in the clean
text and the SHA-1 of its text (the text itself stays in ../shared: ``sentence_keys.py``), and say
what a careful analyst reads there: whether the sentence holds a claim at all (page furniture,
headings, instructions and bare speech frames do not), the acceptable content spans (character
offsets in the sentence), the acceptable chains (outlet → ... → origin, each hop with its
acceptable names) and whether the claim is hedged.

The command ingests the same pages as ``eval_claims_real.py`` (the first 100 pages of the Zyte
benchmark by file name plus the two seeds; ``--keep DIR`` reuses or keeps that store), finds each
labelled sentence in the clean text again (by its hash, at the recorded offset or the nearest one:
a change in cleaning may move it) and compares sitrep's claim that starts in it with the label:

- content: token F1 with an acceptable content ≥ ``CONTENT_F1`` (0.8: a cue word or a closing
  quotation mark more or less is still the same content);
- speaker: the chain's last hop names the labelled origin;
- chain: every hop names the labelled hop, for one of the acceptable chains;
- hedged: equal.

A sentence labelled as no claim is right in every part when sitrep makes no claim there and
wrong in every part when it does; a labelled claim that sitrep misses is wrong in every part.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_claims_real import REPO, cli, ingest_pages  # noqa: E402
from sentence_keys import locate_sentence  # noqa: E402

LABELS = REPO / "bench" / "data" / "claims_labelled.json"
#: Token F1 at or above which a content span is acceptable; 0.8 lets a cue word or a quotation
#: mark differ, not a clause.
CONTENT_F1 = 0.8
PARTS = ("content", "speaker", "chain", "hedged")


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def token_f1(a: str, b: str) -> float:
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    pool = list(tb)
    common = 0
    for t in ta:
        if t in pool:
            pool.remove(t)
            common += 1
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def name_words(name: str) -> list[str]:
    words = re.findall(r"\w+", name.lower())
    return words[1:] if words[:1] == ["the"] else words


def names_match(said: str, aliases: list[str]) -> bool:
    """Whether sitrep's hop name is one of the labelled names: the same words, or the labelled
    name of two words or more preceded by a title ("U.S. Attorney James Kennedy Jr.")."""
    got = name_words(said)
    for alias in aliases:
        want = name_words(alias)
        if got == want or (len(want) >= 2 and got[-len(want):] == want):
            return True
    return False


def chain_matches(chain: list[dict], wanted: list[list[str]]) -> bool:
    return len(chain) == len(wanted) and all(names_match(h["name"], w) for h, w in zip(chain, wanted))


def score(labels: list[dict], articles: list[dict], claims: list[dict]) -> dict:
    by_file = {os.path.basename(a["source_path"]): a for a in articles}
    by_article: dict[str, list[dict]] = {}
    for c in claims:
        by_article.setdefault(c["article_id"], []).append(c)
    right = {p: 0 for p in PARTS}
    all_right = 0
    lost = 0
    rows = []
    for lab in labels:
        art = by_file.get(lab["file"])
        start = locate_sentence(art["text"], lab) if art else None
        sentence = ""
        if start is None:
            lost += 1
            mine: list[dict] = []
        else:
            end = start + lab["sentence_end"] - lab["sentence_start"]
            sentence = art["text"][start:end]  # type: ignore[index]
            mine = [c for c in by_article.get(art["id"], []) if start <= c["start"] < end]  # type: ignore[index]
        content = [sentence[a:b] for a, b in lab["content"]]
        if not lab["claim"]:
            ok = {p: not mine for p in PARTS}
            got = mine[0] if mine else None
        elif not mine:
            ok = {p: False for p in PARTS}
            got = None
        else:
            got = max(mine, key=lambda c: max(token_f1(c["text"], g) for g in content))
            ok = {
                "content": max(token_f1(got["text"], g) for g in content) >= CONTENT_F1,
                "speaker": any(names_match(got["chain"][-1]["name"], ch[-1]) for ch in lab["chains"]),
                "chain": any(chain_matches(got["chain"], ch) for ch in lab["chains"]),
                "hedged": got["hedged"] == lab["hedged"],
            }
        for p in PARTS:
            right[p] += ok[p]
        all_right += all(ok.values())
        rows.append((lab, sentence, got, ok))
    n = len(labels)
    return {
        "labelled": n,
        "labelled_as_claims": sum(1 for x in labels if x["claim"]),
        "sentences_not_found": lost,
        "right_all_four": all_right,
        "share_right": round(all_right / n, 3) if n else None,
        **{f"right_{p}": right[p] for p in PARTS},
        "rows": rows,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", help="reuse (or keep) the store of eval_claims_real.py --keep DIR")
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--show-wrong", action="store_true", help="print each label sitrep gets wrong")
    args = ap.parse_args()
    if not LABELS.exists():
        raise SystemExit(f"no labels at {LABELS}")
    labels = json.loads(LABELS.read_text(encoding="utf-8"))["labels"]
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="sitrep-claims-labelled-"))
    db = work / "store.sqlite"
    if not db.exists():
        try:
            ingest_pages(work, args.pages)
        except FileNotFoundError as exc:
            print(f"skipped: {exc}")
            return
    articles = json.loads(cli("articles", "--db", str(db), "--json"))
    claims = json.loads(cli("claims", "--db", str(db), "--json"))
    result = score(labels, articles, claims)
    rows = result.pop("rows")
    print(json.dumps(result, indent=1, ensure_ascii=False))
    if args.show_wrong:
        for lab, sentence, got, ok in rows:
            if all(ok.values()):
                continue
            wrong = ", ".join(p for p in PARTS if not ok[p])
            said = " ← ".join(h["name"] for h in got["chain"]) if got else "-"
            print(f"\n[{wrong}] {lab['file'][:12]} {sentence[:110]!r}")
            print(f"   label: claim={lab['claim']} chain={[c[-1][0] for c in lab['chains']][:2]} hedged={lab['hedged']}")
            if got:
                print(f"   sitrep: {said} | hedged={got['hedged']} | {got['text'][:110]!r}")


if __name__ == "__main__":
    main()
