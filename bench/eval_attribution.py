"""Attribution (source / cue / content) against PolNeAR dev, beside a regex baseline.

Usage:  .venv/bin/python bench/eval_attribution.py [PATH_TO_polnear-attribution/dev] [--parts]

Gold: every BRAT "E" relation of a document's first annotator file (sorted by name; 10 of the
84 documents have a second annotator, who is ignored so every document counts once). A relation
gives a Content span, usually a Cue and a Source; discontinuous spans are taken as their
envelope [first start, last end). Gold and predicted spans are de-duplicated per document and
trimmed of edge whitespace and punctuation (and a leading "that") before comparison.

Predictions: sitrep's parse and claim stages over the raw text (outlet unknown). Claims whose
cue lies in the same sentence as the content start are scored, and those whose cue is in the
sentence just before or after and frames no claim of its own sentence ("He said:" before a
quotation, '"..." Graham asked.' after one); claims that only continue a paragraph's attribution
share a cue that frames its own sentence and are not PolNeAR relations, and own-voice claims have
no cue. ``--same-sentence`` also prints the claims scored with the same-sentence filter alone (the
figures before 2026-12-03's attry). Source = the chain's origin hop when it is not the outlet.

Scores, per element (source, cue, content), micro over documents:
  exact   — predicted span == gold span;
  overlap — the spans share at least one character;
  soft    — token F1 between the spans' word sets >= 0.5.
Precision = share of predicted spans matching some gold span; recall = share of gold spans matched
by some predicted span (not one-to-one).
With ``--parts`` it also scores the two halves the claims combine, over the same parse: the rules
alone (``extract_claims(..., learned=False)``, spans taken as for the claims) and the learned
tagger alone (its source / cue / content token spans as they are, no relation assembly), to see
where the combination loses what one half finds.
Baseline: regexes — a quotation followed by said/says/told/added + a capitalised name or
pronoun, and "Name said (that) ..." up to the sentence end.
"""
from __future__ import annotations

import re
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO.parent / "shared" / "eval" / "polnear-attribution" / "dev"
ELEMENTS = ("source", "cue", "content")
_EDGE = " \t\n\r.,;:!?\"'“”‘’()[]—–-"


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Span without edge whitespace/punctuation or a leading complementiser "that" (PolNeAR
    content spans include it; sitrep's claims leave it out)."""
    while True:
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
        if text[start : start + 5].lower() == "that " and end - start > 5:
            start += 5
            continue
        return start, end


def read_ann(path: Path, text: str) -> dict[str, set[tuple[int, int]]]:
    spans: dict[str, tuple[int, int]] = {}
    gold: dict[str, set[tuple[int, int]]] = {e: set() for e in ELEMENTS}
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label_offsets = parts[1].split(" ", 1)
            if len(label_offsets) < 2:
                continue
            nums = [int(n) for n in re.findall(r"\d+", label_offsets[1])]
            if nums:
                spans[parts[0]] = (min(nums), max(nums))
        elif line.startswith("E") and len(parts) >= 2:
            events.append(parts[1].split())
    for args in events:
        for arg in args:
            role, _, tid = arg.partition(":")
            role = re.sub(r"\d+$", "", role).lower()
            if role in ELEMENTS and tid in spans:
                s, e = trim(text, *spans[tid])
                if e > s:
                    gold[role].add((s, e))
    return gold


def words(text: str, span: tuple[int, int]) -> set[str]:
    return set(re.findall(r"\w+", text[span[0] : span[1]].lower()))


def match(kind: str, a: tuple[int, int], b: tuple[int, int], text: str) -> bool:
    if kind == "exact":
        return a == b
    if kind == "overlap":
        return a[0] < b[1] and b[0] < a[1]
    wa, wb = words(text, a), words(text, b)
    if not wa or not wb:
        return False
    common = len(wa & wb)
    if common == 0:
        return False
    p, r = common / len(wa), common / len(wb)
    return 2 * p * r / (p + r) >= 0.5


class Score:
    def __init__(self) -> None:
        self.c = defaultdict(lambda: [0, 0, 0, 0])  # (elem, kind) -> [tp_pred, n_pred, tp_gold, n_gold]

    def add(self, pred: dict, gold: dict, text: str) -> None:
        for elem in ELEMENTS:
            for kind in ("exact", "overlap", "soft"):
                row = self.c[(elem, kind)]
                row[0] += sum(1 for p in pred[elem] if any(match(kind, p, g, text) for g in gold[elem]))
                row[1] += len(pred[elem])
                row[2] += sum(1 for g in gold[elem] if any(match(kind, p, g, text) for p in pred[elem]))
                row[3] += len(gold[elem])

    def lines(self) -> list[str]:
        out = []
        for elem in ELEMENTS:
            cells = []
            for kind in ("exact", "overlap", "soft"):
                tp_p, n_p, tp_g, n_g = self.c[(elem, kind)]
                p = tp_p / n_p if n_p else 0.0
                r = tp_g / n_g if n_g else 0.0
                f = 2 * p * r / (p + r) if p + r else 0.0
                cells.append(f"{kind:7s} P {p:.3f} R {r:.3f} F1 {f:.4f}")
            n_p, n_g = self.c[(elem, "exact")][1], self.c[(elem, "exact")][3]
            out.append(f"  {elem:8s} (pred {n_p:5d}, gold {n_g:5d})  " + " | ".join(cells))
        return out


_NAME = r"(?:[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}|[Hh]e|[Ss]he|[Tt]hey)"
_QUOTE_RE = re.compile(r"[“\"]([^”\"]{10,}?)[,.]?[”\"]\s*,?\s*(said|says|told|added)\s+(" + _NAME + r")")
_FRAME_RE = re.compile(r"(" + _NAME + r")\s+(said|says|told)\s+(?:\w+\s+)?(?:that\s+)?([^.!?\n]{5,})")


def baseline(text: str) -> dict[str, set[tuple[int, int]]]:
    pred: dict[str, set[tuple[int, int]]] = {e: set() for e in ELEMENTS}
    taken: list[tuple[int, int]] = []
    for m in _QUOTE_RE.finditer(text):
        pred["content"].add(trim(text, *m.span(1)))
        pred["cue"].add(m.span(2))
        pred["source"].add(trim(text, *m.span(3)))
        taken.append(m.span())
    for m in _FRAME_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        pred["source"].add(trim(text, *m.span(1)))
        pred["cue"].add(m.span(2))
        pred["content"].add(trim(text, *m.span(3)))
    return pred


def sitrep_spans(article, claims=None, adjacent: bool = True) -> dict[str, set[tuple[int, int]]]:
    """The claims' spans as scored. A claim counts when its cue is in the sentence its content
    starts in or, with ``adjacent``, in the sentence just before or after when that cue frames no
    claim of its own sentence ("He said:" before a quotation, '... the bank?" Vitter demanded.'
    after one: PolNeAR relations across a sentence break). A claim that only continues an
    attribution made in another sentence shares that frame's cue, which frames a claim there,
    so it is not scored."""
    pred: dict[str, set[tuple[int, int]]] = {e: set() for e in ELEMENTS}
    doc, text = article.doc, article.text
    sent_of = {s.start: n for n, s in enumerate(doc.sents)}
    placed = []
    for c in article.claims if claims is None else claims:
        if c.cue is None:
            continue
        cue_tok = doc.char_span(c.cue.start, c.cue.end, alignment_mode="expand")
        content_tok = doc.char_span(c.start, c.end, alignment_mode="expand")
        if cue_tok is None or content_tok is None:
            continue
        placed.append((c, sent_of[cue_tok[0].sent.start], sent_of[content_tok[0].sent.start]))
    own = {(c.cue.start, c.cue.end) for c, a, b in placed if a == b}
    for c, cue_sent, content_sent in placed:
        if cue_sent != content_sent and not (adjacent and abs(cue_sent - content_sent) == 1
                                              and (c.cue.start, c.cue.end) not in own):
            continue
        pred["cue"].add(trim(text, c.cue.start, c.cue.end))
        pred["content"].add(trim(text, c.start, c.end))
        origin = c.chain[-1]
        if origin.kind != "outlet" and origin.start is not None:
            pred["source"].add(trim(text, origin.start, origin.end))
    return pred


def part_spans(article) -> tuple[dict, dict]:
    """Diagnostics (``--parts``): the spans of the rules alone and of the learned tagger alone."""
    from sitrep.claims.extract import extract_claims
    from sitrep.claims.learned import doc_arrays, shipped_model, tag

    doc, text = article.doc, article.text
    rules = extract_claims(article, doc, learned=False)
    rule_pred = sitrep_spans(article, rules)
    model = shipped_model()
    tagged: dict[str, set[tuple[int, int]]] = {e: set() for e in ELEMENTS}
    if model is not None and len(doc):
        arr = doc_arrays(doc)
        for elem, spans in tag(doc, text, arr, rules, model).items():
            for a, b in spans:
                s, e = trim(text, int(arr.start[a]), int(arr.end[b - 1]))
                if e > s:
                    tagged[elem].add((s, e))
    return rule_pred, tagged


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    parts = "--parts" in sys.argv[1:]
    same_sentence = "--same-sentence" in sys.argv[1:]
    root = Path(args[0]) if args else DEFAULT
    if not root.exists():
        print(f"skipped: {root} not found")
        return 0
    from sitrep.claims import ClaimStage
    from sitrep.model import Article, OffsetMap
    from sitrep.nlp.stage import ParseStage

    texts = sorted((root / "text").glob("*.txt"))
    anns = sorted((root / "attributions").glob("*.ann"))
    docs = []
    for t in texts:
        mine = [a for a in anns if a.name.startswith(t.stem + "_")]
        if not mine:
            continue
        text = t.read_text(encoding="utf-8")
        docs.append((t.stem, text, read_ann(mine[0], text)))
    articles = [Article(id=s, source_path=s, text=x, original=x, offsets=OffsetMap()) for s, x, _ in docs]

    stages = [ParseStage(), ClaimStage()]

    def run_stages(stages, articles):
        """The stages in order, keeping each article's parse (the engine drops it; the spans
        are scored against its tokens here)."""
        for stage in stages:
            articles = list(stage.pipe(articles))
        return articles

    run_stages(stages, [Article(id="warm", source_path="", text="He said it was fine.", original="", offsets=OffsetMap())])
    t0, c0 = time.perf_counter(), time.process_time()
    done = run_stages(stages, articles)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    n_words = sum(len(a.text.split()) for a in articles)

    ours, base, rules_only, tagger_only, ours_same = Score(), Score(), Score(), Score(), Score()
    for (_stem, text, gold), art in zip(docs, done):
        ours.add(sitrep_spans(art), gold, text)
        if same_sentence:
            ours_same.add(sitrep_spans(art, adjacent=False), gold, text)
        base.add(baseline(text), gold, text)
        if parts:
            rule_pred, tagged = part_spans(art)
            rules_only.add(rule_pred, gold, text)
            tagger_only.add(tagged, gold, text)
    n_rel = sum(len(g["content"]) for _, _, g in docs)
    print(f"PolNeAR dev: {len(docs)} documents (first annotator file each), {n_rel} distinct gold content spans")
    print("sitrep ClaimStage:")
    print("\n".join(ours.lines()))
    if same_sentence:
        print("sitrep ClaimStage, claims with their cue in the content's sentence only:")
        print("\n".join(ours_same.lines()))
    if parts:
        print("diagnostics: the rules alone (claims without the tagger):")
        print("\n".join(rules_only.lines()))
        print("diagnostics: the learned tagger alone (its spans, no relation assembly):")
        print("\n".join(tagger_only.lines()))
    print("regex baseline (quote + said/says/told + name; 'Name said ...'):")
    print("\n".join(base.lines()))
    print(
        f"throughput (ClaimStage incl. spaCy parse, 1 process): {len(articles) / elapsed:.2f} articles/s, "
        f"{n_words / elapsed:.0f} words/s ({n_words} words in {elapsed:.1f} s wall)"
    )
    print(
        f"per CPU second of this process (less sensitive to a busy machine): {len(articles) / cpu:.2f} articles, "
        f"{n_words / cpu:.0f} words ({cpu:.1f} s CPU)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
