"""Claims and corroboration on real pages: the defects a new user sees, counted.

Usage:  .venv/bin/python bench/eval_claims_real.py [--pages N] [--keep DIR] [--workers N]

Ingests the first N (default 100) pages of ../shared/eval/article-extraction/html/ by sorted file
name (the issue that asked for this count does not say how its 100 pages were picked) plus the
two seed reports of ../shared/corpus/seeds into a temporary SQLite store with the whole pipeline
(``sitrep ingest`` of the interpreter running this script, so PYTHONPATH picks the code), reads
back every story and claim through the CLI's JSON (the shapes of json-output.md), and counts:

- groups with a repeated origin: two origin labels of one group that fold to one name;
- groups with an id as origin: an origin label that is an article id (16 hex digits);
- groups with a chain and its prefix counted twice: one report gives the group two claims whose
  chains are a prefix and its extension, and both ends appear among the group's origins while no
  other report gives the shorter one's origin;
- groups whose independent origins exceed their reports' distinct claim origins;
- claims whose origin is a bare pronoun ("he", "she", "it", "they", ...);
- quote-initial claims (text opens with a quotation mark) and the share of them with a speaker
  other than the outlet (a chain longer than the outlet's own hop);
- page furniture: claims on list-item lines ("- ..."), on list items that read as headlines (no
  closing punctuation: related links), and claims naming a newsletter, a subscription or
  "click here" (some are articles about subscriptions: read ``promo_examples``);
- claims with a link card glued into them ("Rep. Ilhan OmarIlhan OmarHillicon Valley ... MORE"),
  claims on heading lines (Title Case or capitals, no closing punctuation), and claims on
  labelled-link, credit or disclaimer lines ("Related: ...", "Reporting by ...", "Disclaimer: ...");
- hedged claims.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PAGES = SHARED / "eval" / "article-extraction" / "html"
SEEDS = SHARED / "corpus" / "seeds"
PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "we", "i", "you", "his", "its"}
QUOTES = "\"“”'‘’«»"
_ID = re.compile(r"^[0-9a-f]{16}$")
_PROMO = re.compile(r"newsletter|subscri|sign up|click here", re.I)


# A link card flattened into the sentence: a word glued to a capital, and "MORE" later on the line.
_CARD = re.compile(r"[a-z][A-Z][^\n]{0,1200} MORE\b")
_LINK_LABEL_OR_CREDIT = re.compile(
    r"(?:related|also|read more|see more|watch|more|new release)\b[\w ]{0,15}:|you may also like|"
    r"\(?(?:additional )?(?:reporting|editing|writing) by\b|disclaimer\b", re.I
)
_MINOR = set("a an the of in on at to for and or but with by from as vs via is are be it its into over after "
             "before up down out off about than that this".split())



def _line_of(articles: dict, claim: dict) -> str:
    """The text line (between newlines) a claim starts on, stripped."""
    text = articles[claim["article_id"]]["text"] if claim["article_id"] in articles else ""
    line_start = text.rfind("\n", 0, claim["start"]) + 1
    line_end = text.find("\n", claim["start"])
    return text[line_start : line_end if line_end >= 0 else len(text)].strip()

def reads_as_heading(line: str) -> bool:
    """A line of three words or more in Title Case or capitals with no closing punctuation (section
    headings, related-link headlines, shop offers) — measured independently of sitrep's own rule."""
    if not line or line.endswith(tuple('.!?"”’\')…:,')):
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if w.lower() not in _MINOR]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def fold(name: str) -> str:
    """Lower-case letters and digits only, a leading "the" dropped: the name two labels share."""
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.I)
    return re.sub(r"[\W_]+", "", name).lower()


def cli(*args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "sitrep.cli", *args], check=True, capture_output=True, text=True, env=os.environ
    )
    return out.stdout


def articles_ingested(db: str) -> int:
    return len(json.loads(cli("articles", "--db", db, "--json")))


def chain_names(claim: dict) -> list[str]:
    return [fold(h["name"]) for h in claim["chain"]]


def claim_label(claim: dict) -> str:
    """The readable origin a claim gives its group (the last hop; the outlet for its own voice)."""
    return claim["chain"][-1]["name"]


def measure(claims: list[dict], stories: list[dict], articles: dict[str, dict]) -> dict:
    by_id = {c["id"]: c for c in claims}
    groups = [g for s in stories for g in s["claims"]]
    repeated = id_origin = prefix_twice = over = 0
    examples: dict[str, list] = {"repeated": [], "id": [], "prefix": []}
    for g in groups:
        labels = g["origins"]
        folded = [fold(x) for x in labels]
        if len(set(folded)) < len(folded):
            repeated += 1
            examples["repeated"].append(labels)
        if any(_ID.match(x) or x in articles for x in labels):
            id_origin += 1
            examples["id"].append(labels)
        members = [by_id[c] for c in g["claim_ids"] if c in by_id]
        origin_of = [fold(claim_label(c)) for c in members]
        if g["independent_origins"] > len(set(origin_of)):
            over += 1
        found = False
        for a in members:
            for b in members:
                if a is b or a["article_id"] != b["article_id"]:
                    continue
                ca, cb = chain_names(a), chain_names(b)
                if len(ca) < len(cb) and cb[: len(ca)] == ca:
                    la, lb = fold(claim_label(a)), fold(claim_label(b))
                    others = [fold(claim_label(c)) for c in members if c["article_id"] != a["article_id"]]
                    named = {x.split(":")[0] for x in folded} | set(folded)
                    if la in named and lb in named and la not in others:
                        found = True
        if found:
            prefix_twice += 1
            examples["prefix"].append(labels)
    list_items = headline_items = 0
    lines = [_line_of(articles, c) for c in claims]
    for line in lines:
        if re.match(r"[-–—•·*]\s", line):
            list_items += 1
            headline_items += not line.endswith(tuple('.!?"”’\')'))
    glued = [c for c in claims if _CARD.search(c["text"])]
    heading = labelled = 0
    for line in lines:
        heading += reads_as_heading(line)
        labelled += bool(_LINK_LABEL_OR_CREDIT.match(line))
    promo = [c for c in claims if _PROMO.search(c["text"])]
    pronoun = [c for c in claims if c["chain"][-1]["name"].strip().lower() in PRONOUNS and len(c["chain"]) > 1]
    quote_initial = [c for c in claims if c["text"][:1] in QUOTES]
    with_speaker = [c for c in quote_initial if len(c["chain"]) > 1]
    return {
        "articles": len(articles),
        "claims": len(claims),
        "claim_groups": len(groups),
        "groups_repeated_origin": repeated,
        "groups_id_origin": id_origin,
        "groups_prefix_counted_twice": prefix_twice,
        "groups_over_distinct_origins": over,
        "claims_pronoun_origin": len(pronoun),
        "quote_initial_claims": len(quote_initial),
        "quote_initial_with_speaker": len(with_speaker),
        "share_quote_initial_with_speaker": round(len(with_speaker) / len(quote_initial), 3) if quote_initial else None,
        "claims_on_list_item_lines": list_items,
        "claims_on_headline_list_items": headline_items,
        "claims_naming_newsletter_subscription_or_click_here": len(promo),
        "claims_with_a_glued_link_card": len(glued),
        "claims_on_heading_lines": heading,
        "claims_on_link_label_credit_or_disclaimer_lines": labelled,
        "hedged_claims": sum(c["hedged"] for c in claims),
        "examples": {k: v[:5] for k, v in examples.items()},
        "promo_examples": [c["text"][:90] for c in promo[:12]],
        "pronoun_examples": [
            " → ".join(h["name"] for h in c["chain"]) + " | " + c["text"][:70] for c in pronoun[:5]
        ],
    }


def ingest_pages(work: Path, pages: int = 100, workers: int = 1) -> str:
    """Copy the first ``pages`` pages and the seeds into ``work/inputs`` and ingest them into
    ``work/store.sqlite`` with the whole pipeline; returns the store's path."""
    if not PAGES.is_dir() or not SEEDS.is_dir():
        raise FileNotFoundError(f"{PAGES} or {SEEDS} not found")
    work.mkdir(parents=True, exist_ok=True)
    inputs = work / "inputs"
    inputs.mkdir(exist_ok=True)
    for path in sorted(PAGES.glob("*.html.gz"))[:pages]:
        if not (inputs / path.name).exists():
            shutil.copy(path, inputs / path.name)  # copies: ingest does not follow links
    for path in sorted(SEEDS.iterdir()):
        if not (inputs / path.name).exists():
            shutil.copy(path, inputs / path.name)  # copies: ingest does not follow links
    db = str(work / "store.sqlite")
    cli("ingest", str(inputs), "--db", db, "--workers", str(workers))
    if not articles_ingested(db):
        raise SystemExit(f"nothing ingested from {inputs}")
    return db


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--keep", help="keep the store and the input folder in this directory")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--no-ingest", action="store_true",
                    help="measure the store already in --keep DIR (as an earlier tree left it)")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="sitrep-claims-real-"))
    if args.no_ingest:
        db = str(work / "store.sqlite")
    else:
        try:
            db = ingest_pages(work, args.pages, args.workers)
        except FileNotFoundError as exc:
            print(f"skipped: {exc}")
            return
    articles = {a["id"]: a for a in json.loads(cli("articles", "--db", db, "--json"))}
    claims = json.loads(cli("claims", "--db", db, "--json"))
    stories = json.loads(cli("stories", "--db", db, "--json"))
    print(json.dumps(measure(claims, stories, articles), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
