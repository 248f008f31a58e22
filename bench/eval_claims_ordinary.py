"""Claim precision on ordinary news: are the attributed claims sitrep makes on BBC business,
sport, tech and entertainment copy attributions at all?

Usage:  .venv/bin/python bench/eval_claims_ordinary.py [--show] [--draw FILE]

PolNeAR (``eval_attribution.py``) is political news, where nearly every verb of a person is a
stance; unfiltered news is mostly events ("Microsoft is releasing tools", "X pleads not guilty"),
and a learned cue there can turn an event into a claim. This command measures that.

**Articles.** The lines of ``../shared/eval/bbc-news-categories/bbc_dev.jsonl`` whose category is
not politics, every 4th of them (the 4th, 8th, ...: 225 articles; the set of the earlier
"no reporting lemma" counts in bench/RESULTS.md), each cleaned alone (``clean_document``, no
corpus line statistics) and run through the parse and claim stages.

**Sample.** An attributed claim (its origin is not the outlet) is in the sample when the SHA-1
of ``article id:content start:content end`` is 0 modulo ``SAMPLE_MOD``: a fixed hash sample, so
a claim a change adds or keeps falls in or out of it by its own key, not by what else changed.
The labels (``bench/data/claims_bbc.json``, how they were made: bench/data/README.md) key each
claim by the article id, the content's and the cue's character spans in the clean text and the
SHA-1 of the spanned text (``sentence_keys.sentence_sha1``); no article text is stored.

**Scoring.** Each label is matched to an attributed claim of the current code by article, cue
span and content span (exact), else by article and cue span with an overlapping content (the
content moved, and may have hashed out of the sample). Printed:

- precision: labelled claims still made that are attributions (someone says, reports, claims,
  believes or announces the content) / labelled claims still made; and "right" — an attribution
  whose source, cue and content the labeller accepted;
- labelled claims no longer made, split into non-attributions removed (good) and attributions
  lost (bad);
- sampled claims that carry no label (new since the labelling; ``--show`` lists them to label);
- attributed claims per 100 articles, and all claims per 100 articles.

``--draw FILE`` writes the current sample with its text to FILE (outside the repository: it
holds article text) for labelling. Without ``../shared`` the command prints ``skipped: ...``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sentence_keys import sentence_sha1  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "eval" / "bbc-news-categories" / "bbc_dev.jsonl"
LABELS = REPO / "bench" / "data" / "claims_bbc.json"
#: One attributed claim in this many is sampled (2,548 attributed claims at main 112e269: 194
#: to read).
SAMPLE_MOD = 15
#: Every this many non-politics lines is taken (the earlier measurement's selection).
EVERY = 4


def ordinary_ids(path: Path) -> list[str]:
    """Ids of the non-politics lines of the file, every ``EVERY``-th of them."""
    ids = []
    n = 0
    for line in path.open(encoding="utf-8"):
        obj = json.loads(line)
        if obj.get("category") == "politics":
            continue
        n += 1
        if n % EVERY == 0:
            ids.append(obj["id"])
    return ids


def sampled(article_id: str, start: int, end: int) -> bool:
    key = f"{article_id}:{start}:{end}".encode("utf-8")
    return int(hashlib.sha1(key).hexdigest(), 16) % SAMPLE_MOD == 0


def read_articles(path: Path) -> list:
    """The selected records, cleaned one by one and run through the parse and claim stages."""
    from sitrep.claims import ClaimStage
    from sitrep.clean import clean_document
    from sitrep.ingest import iter_documents
    from sitrep.model import IngestError
    from sitrep.nlp.stage import ParseStage

    wanted = set(ordinary_ids(path))
    articles = []
    for raw in iter_documents([path]):
        if isinstance(raw, IngestError) or raw.source_id not in wanted:
            continue
        article = clean_document(raw)
        article.id = raw.source_id
        articles.append(article)
    for stage in (ParseStage(), ClaimStage()):
        articles = list(stage.pipe(articles))
    return articles


def attributed(claim) -> bool:
    return claim.chain[-1].kind != "outlet"


def claim_key(article, claim) -> dict:
    text = article.text
    key = {"article": article.id, "content": [claim.start, claim.end],
           "content_sha1": sentence_sha1(text[claim.start : claim.end])}
    if claim.cue is not None:
        key["cue"] = [claim.cue.start, claim.cue.end]
        key["cue_sha1"] = sentence_sha1(text[claim.cue.start : claim.cue.end])
    origin = claim.chain[-1]
    if origin.start is not None and origin.end is not None:
        key["source"] = [origin.start, origin.end]
    return key


def _match(label: dict, current: list[dict]) -> dict | None:
    same = [c for c in current if c["article"] == label["article"] and c.get("cue") == label.get("cue")]
    exact = next((c for c in same if c["content"] == label["content"]), None)
    if exact is not None:
        return exact
    lo, hi = label["content"]
    return next((c for c in same if c["content"][0] < hi and lo < c["content"][1]), None)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show", action="store_true", help="list unlabelled sampled claims and wrong ones")
    ap.add_argument("--draw", metavar="FILE", help="write the current sample with its text (for labelling)")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return 0
    articles = read_articles(DATA)
    n_articles = len(articles)
    n_claims = sum(len(a.claims) for a in articles)
    keyed, every = [], []
    for a in articles:
        for c in a.claims:
            if attributed(c):
                every.append(claim_key(a, c))
                if sampled(a.id, c.start, c.end):
                    keyed.append((a, c, every[-1]))
    n_attr = sum(1 for a in articles for c in a.claims if attributed(c))
    print(f"BBC dev, non-politics, every {EVERY}th line: {n_articles} articles; claims {n_claims} "
          f"({100 * n_claims / n_articles:.0f} per 100 articles), attributed {n_attr} "
          f"({100 * n_attr / n_articles:.0f} per 100 articles); sampled (1 in {SAMPLE_MOD} by hash) {len(keyed)}")
    if args.draw:
        rows = []
        for a, c, key in keyed:
            s0 = a.text.rfind("\n", 0, c.start) + 1
            s1 = a.text.find("\n", c.end)
            rows.append({**key, "paragraph": a.text[s0 : s1 if s1 >= 0 else len(a.text)],
                         "claim": c.text, "cue_text": c.cue.text if c.cue else None,
                         "chain": [h.name for h in c.chain]})
        Path(args.draw).write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"wrote {len(rows)} sampled claims to {args.draw}")
        return 0
    if not LABELS.exists():
        print(f"skipped: {LABELS} not found")
        return 0
    labels = json.loads(LABELS.read_text(encoding="utf-8"))["claims"]
    # a label is matched among all attributed claims (a content that moved by a mark is still
    # the claim labelled, though its key now hashes out of the sample)
    current = every
    text_of = {a.id: a.text for a in articles}
    made = attribution = right = 0
    removed_good = removed_bad = 0
    used = set()
    wrong = []
    moved = 0
    for label in labels:
        text = text_of.get(label["article"], "")
        lo, hi = label["content"]
        if sentence_sha1(text[lo:hi]) != label["content_sha1"]:
            moved += 1  # the clean text changed under the label: it no longer names its claim
            continue
        got = _match(label, current)
        if got is None:
            if label["attribution"]:
                removed_bad += 1
                wrong.append(("lost", label))
            else:
                removed_good += 1
            continue
        used.add(id(got))
        made += 1
        if label["attribution"]:
            attribution += 1
            if label["source"] and label["cue_ok"] and label["content_ok"]:
                right += 1
            else:
                wrong.append(("part wrong", label))
        else:
            wrong.append(("no attribution", label))
    fresh = [k for _, _, k in keyed if id(k) not in used]
    print(f"labelled {len(labels)}; still made {made}: attributions {attribution} "
          f"(precision {attribution / made if made else 0:.3f}), right in source, cue and content {right} "
          f"({right / made if made else 0:.3f})")
    print(f"no longer made: {removed_good} non-attributions (good), {removed_bad} attributions (lost)")
    print(f"sampled claims without a label: {len(fresh)}; labels whose text is gone from the clean text: {moved}")
    if args.show:
        for why, label in wrong:
            text = text_of.get(label["article"], "")
            cue = label.get("cue")
            print(f"  {why}: {label['article']} cue {text[cue[0]:cue[1]] if cue else None!r} | "
                  f"{text[label['content'][0]:label['content'][1]][:120]!r} | {label.get('note', '')}")
        for k in fresh:
            text = text_of[k["article"]]
            cue = k.get("cue")
            print(f"  unlabelled: {k['article']} cue {text[cue[0]:cue[1]] if cue else None!r} | "
                  f"{text[k['content'][0]:k['content'][1]][:120]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
