"""Claim matching within a story, corroboration counted by independent origin, contradictions.

Ten outlets repeating one agency's anonymous source is one piece of evidence, not ten. So a group
of matching claims is scored by the number of distinct *origins* behind it, where each report's
sourcing chain is followed to its end and reprints count as their original.

Matching is paraphrase-tolerant but cheap: TF-IDF cosine over stemmed content words (fitted on the
story's own claims, so the words that distinguish one claim from another weigh most), blended with
the overlap of the entities the claims name. Groups form by average-link agglomeration under
cannot-link constraints: an assertion and its denial, or two claims that count the same thing
differently, never share a group — they become two groups that contradict each other.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import urlsplit

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

from sitrep.model import Article, Claim, ClaimGroup, SourceHop
from sitrep.vocab import SourceKind
from sitrep.stories.features import (
    PLACE_TYPES,
    capitalised_names,
    content_tokens,
    fold,
    mention_key,
    mentions_in,
    name_key,
    place_name_key,
    quantities,
)

MATCH_THRESHOLD = 0.45
CONTRADICTION_THRESHOLD = 0.2
# A denial verb makes a claim the denial of a proposition; a bare negation ("did not stop") only
# says the opposite of a claim that is otherwise the same, so it needs a closer match to count.
_DENIAL = re.compile(r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed)?|refut(?:e|es|ed))\b", re.I)
_NEGATION = re.compile(r"\b(?:not|never|no longer)\b|n't\b", re.I)

# ------------------------------------------------------------------------------------ origins

# Classes of anonymous source, by the first keyword found in its description. Nationality is left
# out on purpose: the relaying publication already anchors who heard the source.
_ANON_CLASSES = [
    ("security", "security source"),
    ("intelligence", "intelligence source"),
    ("military", "military source"),
    ("army", "military source"),
    ("defense", "military source"),
    ("defence", "military source"),
    ("diplomat", "diplomatic source"),
    ("police", "police source"),
    ("medic", "medical source"),
    ("hospital", "medical source"),
    ("health", "medical source"),
    ("witness", "witness"),
    ("resident", "witness"),
    ("official", "official"),
    ("spokes", "official"),
]


def anonymous_class(hop: SourceHop) -> str:
    """The descriptor class of an anonymous source ("a senior security source" → "security source")."""
    text = fold(" ".join(x for x in (hop.role, hop.name) if x))
    for word, cls in _ANON_CLASSES:
        if word in text:
            return cls
    return "source"


def reprint_roots(articles: Iterable[Article]) -> dict[str, Article]:
    """Each article's original: follows ``reprint_of`` within the given articles (a reprint of an
    article outside them is its own root)."""
    by_id = {a.id: a for a in articles}
    roots: dict[str, Article] = {}
    for a in by_id.values():
        root, seen = a, {a.id}
        while root.reprint_of and root.reprint_of in by_id and root.reprint_of not in seen:
            root = by_id[root.reprint_of]
            seen.add(root.id)
        roots[a.id] = root
    return roots


def _hop_entity(hop: SourceHop, article: Article | None) -> str | None:
    """The entity the resolver linked to the hop's mention, if any: a mention that holds the
    hop's span, or one inside it that bears the hop's name ("the mayor, Ana Ruiz")."""
    if article is not None and hop.start is not None and hop.end is not None:
        for m in article.mentions:
            if m.entity_id and m.start <= hop.start and hop.end <= m.end + 1:
                return m.entity_id
        for m in article.mentions:
            if m.entity_id and hop.start <= m.start and m.end <= hop.end and name_key(m.text) == name_key(hop.name):
                return m.entity_id
    return None


def _hop_key(hop: SourceHop, article: Article | None) -> str:
    """A named source's key: its resolved entity when the resolver linked the hop's mention,
    else its folded name."""
    entity = _hop_entity(hop, article)
    return "e:" + entity if entity else "n:" + name_key(hop.name)


def report_name(article: Article | None) -> str:
    """The name a report's own voice goes by: its outlet, else its site's host, else its title
    in quotation marks. Never its id: an origin label is something a reader can recognise."""
    if article is None:
        return UNNAMED_OUTLET
    if article.outlet:
        return article.outlet
    if article.url:
        host = urlsplit(article.url).hostname or ""
        host = host[4:] if host.startswith("www.") else host
        if host:
            return host
    if article.title and article.title.strip():
        title = " ".join(article.title.split())
        return "“" + (title if len(title) <= 60 else title[:59].rstrip() + "…") + "”"
    return UNNAMED_OUTLET


UNNAMED_OUTLET = "unnamed outlet"


def origin(claim: Claim, article: Article | None = None, root_outlet: str | None = None) -> tuple[str, str]:
    """``(key, label)`` of a claim's origin: the key identifies it for counting (see
    ``origin_key``), the label shows it to a reader ("Almaalomah: security source")."""
    chain = claim.chain or [SourceHop(name=root_outlet or "", kind=SourceKind.OUTLET)]
    last = chain[-1]
    if last.kind in ("anonymous", "document"):  # a document naming no issuer names no origin either
        anchor = None
        for hop in reversed(chain[:-1]):
            if hop.kind in ("publication", "outlet") and hop.name:
                anchor = hop
                break
        anchor_name = (
            root_outlet if anchor is None or (anchor is chain[0] and root_outlet) else anchor.name
        ) or ""
        cls = "document" if last.kind == "document" else anonymous_class(last)
        return "anon:n:" + name_key(anchor_name) + "|" + cls, f"{anchor_name}: {cls}"
    if len(chain) == 1 or last.kind == "outlet" and last is chain[0]:
        name = root_outlet or last.name
        return "n:" + name_key(name), name  # the same key as when another outlet cites it
    return _hop_key(last, article), last.name


def origin_key(claim: Claim, article: Article | None = None, root_outlet: str | None = None) -> str:
    """Identity of a claim's origin, for counting independent origins.

    - Named origin (person, official, organisation, publication) → its normalised name (or resolved
      entity): whoever relays Qusay al-Anbari, he is one origin.
    - Anonymous origin → the last named publication/agency before it in the chain (else the
      publishing outlet) plus the descriptor class. An anonymous source cannot be identified across
      reports, so the best available identity is who heard it and what kind of source it is: two
      outlets relaying Almaalomah's "security source" relay one origin, while Reuters' and AFP's
      security sources may be different people and count twice.
    - The outlet's own voice (chain of one hop) → the outlet; for a reprint, the original outlet.
    """
    return origin(claim, article, root_outlet)[0]


def count_origins(keys: Iterable[str]) -> list[str]:
    """Distinct origins, with relays collapsed: an anonymous source heard by publication P adds
    nothing when P itself (or P's own voice) is already among the origins, since every outlet that
    relays P leads back to P."""
    keys = set(keys)
    named = {k for k in keys if not k.startswith("anon:")}
    out = []
    for k in sorted(keys):
        if k.startswith("anon:") and k[5:].split("|", 1)[0] in named:
            continue
        out.append(k)
    return out


@dataclass
class _ClaimOrigin:
    """One claim's origin as a group counts it."""

    key: str
    label: str
    aliases: set[str]  # every key naming the same origin: resolved entity and folded names
    report: str  # the original report (a reprint's claims belong to the report it reprints)
    path: tuple[str, ...]  # folded hop names after the outlet: its prefixes are its relays


def _claim_origin(claim: Claim, article: Article | None, root: Article | None) -> _ClaimOrigin:
    outlet_name = report_name(root if root is not None else article)
    report = root.id if root is not None else claim.article_id
    key, label = origin(claim, article, outlet_name)
    if outlet_name == UNNAMED_OUTLET:  # no name to meet other reports by: the report is its own key
        unnamed = "n:" + name_key(UNNAMED_OUTLET)
        if key == unnamed:
            key = "r:" + report
        elif key.startswith("anon:" + unnamed + "|"):
            key = "anon:r:" + report + key[len("anon:" + unnamed):]
    aliases = {key}
    if not key.startswith("anon:") and not key.startswith("r:"):
        aliases.add("n:" + name_key(label))
        last = claim.chain[-1] if claim.chain else None
        if last is not None and len(claim.chain) > 1:
            aliases.add("n:" + name_key(last.name))
            entity = _hop_entity(last, article)
            if entity:
                aliases.add("e:" + entity)
    path = tuple(name_key(h.name) for h in claim.chain[1:])
    return _ClaimOrigin(key, label, aliases, report, path)


def group_origins(
    claims: Iterable[Claim], articles: dict[str, Article], roots: dict[str, Article] | None = None
) -> dict[str, str]:
    """The independent origins behind ``claims``: origin key → label (a name, never an id).

    - A reprint's claims belong to the report it reprints, whose outlet is their voice.
    - Within one report, a claim whose chain is a prefix of another claim's chain is that claim's
      relay, not another origin: "General White had cautioned that …, it said" gives the outer
      claim (Press TV → New York Times) and the nested one (… → Robert P. White); the paper
      relays White. The report's own voice (the empty prefix) likewise relays what it attributes.
    - One resolved entity, or one name, is one origin however many hops or spellings lead to it.
    - An anonymous source heard by publication P adds nothing when P is itself an origin
      (``count_origins``).
    """
    roots = roots or reprint_roots(articles.values())
    found = []
    for c in claims:
        art = articles.get(c.article_id)
        found.append(_claim_origin(c, art, roots.get(c.article_id, art)))
    by_report: dict[str, list[_ClaimOrigin]] = {}
    for o in found:
        by_report.setdefault(o.report, []).append(o)
    kept: list[_ClaimOrigin] = []
    for items in by_report.values():
        paths = {o.path for o in items}
        for o in items:
            if not any(len(p) > len(o.path) and p[: len(o.path)] == o.path for p in paths):
                kept.append(o)
    # one origin per shared alias (union of origins that share an entity or a folded name)
    merged: list[_ClaimOrigin] = []
    for o in kept:
        into = [m for m in merged if m.aliases & o.aliases]
        if not into:
            merged.append(_ClaimOrigin(o.key, o.label, set(o.aliases), o.report, o.path))
            continue
        head = into[0]
        for other in into[1:]:
            head.aliases |= other.aliases
            merged.remove(other)
        head.aliases |= o.aliases
    named_aliases = {a for m in merged if not m.key.startswith("anon:") for a in m.aliases}
    out: dict[str, str] = {}
    labels: set[str] = set()
    for m in merged:
        if m.key.startswith("anon:") and m.key[5:].split("|", 1)[0] in named_aliases:
            continue
        label, n = m.label, 1
        while label in labels:  # two unnamed reports: tell them apart without showing ids
            n += 1
            label = f"{m.label} #{n}"
        labels.add(label)
        out[m.key] = label
    return out


# ------------------------------------------------------------------------------------ matching


@dataclass
class _ClaimFeatures:
    claim: Claim
    denied: bool
    negated: bool
    entities: set[str]
    places: set[str]
    numbers: list[tuple[float, frozenset[str]]]


def _features(claim: Claim, article: Article | None) -> _ClaimFeatures:
    ents: set[str] = set()
    places: set[str] = set()
    if article is not None and article.mentions:
        for m in mentions_in(article, claim.start, claim.end):
            ents.add(mention_key(m))
            if m.type in PLACE_TYPES:
                places.add(m.entity_id or place_name_key(m.full_form or m.text))
    else:
        ents = {"n:" + name_key(n) for n in capitalised_names(claim.text)}
    denied = bool(claim.denied or _DENIAL.search(claim.text))
    negated = denied or bool(_NEGATION.search(claim.text))
    return _ClaimFeatures(claim, denied, negated, ents, places, quantities(claim.text))


def _number_conflict(a: _ClaimFeatures, b: _ClaimFeatures) -> bool:
    """Both count the same subject, and some count in one has no close match in the other."""
    for va, sa in a.numbers:
        same_subject = [vb for vb, sb in b.numbers if sa & sb]
        if same_subject and all(abs(va - vb) > 0.1 * max(va, vb) for vb in same_subject):
            return True
    return False


def _place_conflict(a: _ClaimFeatures, b: _ClaimFeatures) -> bool:
    """Each names exactly one place, and not the same one. (Two places each could be a route or a
    region and a town in it; without a gazetteer hierarchy that is no contradiction.)"""
    return len(a.places) == 1 and len(b.places) == 1 and not (a.places & b.places)


def similarity_matrix(feats: list[_ClaimFeatures]) -> np.ndarray:
    """Pairwise claim similarity: 0.75 × TF-IDF cosine + 0.25 × entity overlap (cosine alone when
    either claim names no entity).

    A big story has thousands of claims, so the n × n products are computed a block of rows at a
    time straight into the one dense result: the peak is that matrix, not the five n × n
    temporaries the plain formula makes (a 200-article story: 3.9 k claims, 124 MB each).
    Row blocks of a sparse product are the same numbers as the whole product's rows."""
    n = len(feats)
    texts = [f.claim.text for f in feats]
    sim = np.zeros((n, n))
    try:
        m = TfidfVectorizer(analyzer=content_tokens, sublinear_tf=True).fit_transform(texts)
    except ValueError:  # no content word anywhere
        m = None
    mt = m.T.tocsc() if m is not None else None
    keys = sorted({k for f in feats for k in f.entities})
    ents = None
    if keys:
        col = {k: x for x, k in enumerate(keys)}
        rows = [i for i, f in enumerate(feats) for _ in f.entities]
        cols = [col[k] for f in feats for k in f.entities]
        ents = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(keys)))
        ents_t = ents.T.tocsc()
        size = np.array([len(f.entities) for f in feats], dtype=float)
    for r0 in range(0, n, _ROW_BLOCK):
        r1 = min(n, r0 + _ROW_BLOCK)
        block = sim[r0:r1]
        if m is not None:
            block[:] = (m[r0:r1] @ mt).toarray()
        if ents is not None:
            shared = (ents[r0:r1] @ ents_t).toarray()
            smaller = np.minimum(size[r0:r1, None], size[None, :])
            both = smaller > 0
            np.divide(shared, smaller, out=shared, where=both)
            np.multiply(block, 0.75, out=block, where=both)
            shared *= 0.25
            np.add(block, shared, out=block, where=both)
    np.fill_diagonal(sim, 1.0)
    return sim


_ROW_BLOCK = 256


def _agglomerate(sim: np.ndarray, cannot: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-link agglomeration: merge the most similar pair of groups while their average
    similarity reaches ``threshold`` and no member pair is cannot-linked. Group-level sums are
    kept, so each merge costs one pass over the matrix."""
    n = len(sim)
    total = sim.astype(float).copy()
    blocked = cannot.copy()
    size = np.ones(n)
    alive = np.ones(n, dtype=bool)
    members = [[i] for i in range(n)]
    while alive.sum() > 1:
        ok = alive[:, None] & alive[None, :] & ~blocked
        np.fill_diagonal(ok, False)
        avg = np.where(ok, total / np.outer(size, size), -1.0)
        a, b = divmod(int(np.argmax(avg)), n)
        if avg[a, b] < threshold:
            break
        a, b = min(a, b), max(a, b)
        total[a, :] += total[b, :]
        total[:, a] += total[:, b]
        blocked[a, :] |= blocked[b, :]
        blocked[:, a] |= blocked[:, b]
        size[a] += size[b]
        alive[b] = False
        members[a] += members[b]
        members[b] = []
    return [m for m in members if m]


MAX_AGGLOMERATE = 300


def _group(sim: np.ndarray, cannot: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-link groups, computed per connected component of the "matches" graph (exact:
    average-link never joins groups without one matching pair between them), so a big story
    costs the size of its largest component, not of all its claims. A component still larger
    than ``MAX_AGGLOMERATE`` is grouped greedily: each claim joins the first group it matches."""
    graph = csr_matrix((sim >= threshold) & ~cannot)
    _, labels = connected_components(graph, directed=False)
    groups: list[list[int]] = []
    for comp in np.unique(labels):
        idx = np.nonzero(labels == comp)[0]
        if len(idx) == 1:
            groups.append([int(idx[0])])
        elif len(idx) <= MAX_AGGLOMERATE:
            sub = _agglomerate(sim[np.ix_(idx, idx)], cannot[np.ix_(idx, idx)], threshold)
            groups.extend([[int(idx[i]) for i in g] for g in sub])
        else:
            leaders: list[list[int]] = []
            for i in idx:
                for g in leaders:
                    if sim[i, g[0]] >= threshold and not cannot[i, g].any():
                        g.append(int(i))
                        break
                else:
                    leaders.append([int(i)])
            groups.extend(leaders)
    return groups


def corroborate(
    articles: list[Article],
    threshold: float = MATCH_THRESHOLD,
    contradiction_threshold: float = CONTRADICTION_THRESHOLD,
    same_event: Iterable[Iterable[str]] = (),
) -> list[ClaimGroup]:
    """Group the claims of a story's articles and count each group's independent origins.

    A group's ``origins`` are readable origin labels, ``independent_origins`` their number after
    relays collapse (``count_origins``); ``contradicted_by`` lists groups that deny it, or that
    count the same subject differently, or place the same proposition elsewhere. ``same_event``:
    sets of claim ids that carry one coreferenced event; such claims match at least at
    ``threshold`` even when worded apart ("the weapons are placed at Ain al-Assad" / "deployed
    Patriot missiles in Ain al-Asad").
    """
    by_id = {a.id: a for a in articles}
    roots = reprint_roots(articles)
    claims = [c for a in articles for c in a.claims]
    if not claims:
        return []
    feats = [_features(c, by_id.get(c.article_id)) for c in claims]
    sim = similarity_matrix(feats)
    n = len(feats)
    index = {c.id: i for i, c in enumerate(claims)}
    for ids in same_event:
        linked = [index[c] for c in ids if c in index]
        for x in linked:
            for y in linked:
                if x != y and claims[x].article_id != claims[y].article_id:
                    sim[x, y] = max(sim[x, y], threshold)
    negated = np.array([f.negated for f in feats])
    denied = np.array([f.denied for f in feats])
    polarity = negated[:, None] != negated[None, :]
    cannot = polarity.copy()  # never in one group
    # A contradiction, not just a difference: a denial of a loosely matching claim, or a claim
    # that would match but for its polarity, its count or its place.
    reason = (polarity & (denied[:, None] != denied[None, :]) & (sim >= contradiction_threshold)) | (
        polarity & (sim >= threshold)
    )
    # Only pairs that both count something, or both name one place, can conflict on count or
    # place: test those alone (a big story has millions of loosely matching pairs).
    counts = np.array([bool(f.numbers) for f in feats])
    one_place = np.array([len(f.places) == 1 for f in feats])
    checkable = (counts[:, None] & counts[None, :]) | (one_place[:, None] & one_place[None, :])
    for i, j in zip(*np.nonzero(np.triu((sim >= contradiction_threshold) & checkable, 1))):
        fi, fj = feats[i], feats[j]
        if _number_conflict(fi, fj) or _number_conflict(fj, fi) or _place_conflict(fi, fj):
            cannot[i, j] = cannot[j, i] = True
            if sim[i, j] >= threshold:
                reason[i, j] = reason[j, i] = True
    groups = _group(sim, cannot, threshold)

    out: list[ClaimGroup] = []
    for members in groups:
        members.sort(key=lambda i: (claims[i].article_id, claims[i].start))
        rep = max(members, key=lambda i: (sim[i, members].mean(), -members.index(i)))
        labels = group_origins([claims[i] for i in members], by_id, roots)
        gid = "G" + hashlib.sha1("|".join(sorted(claims[i].id for i in members)).encode()).hexdigest()[:10]
        outlets = sorted({o for i in members if (o := (by_id[claims[i].article_id].outlet if claims[i].article_id in by_id else None))})
        out.append(
            ClaimGroup(
                id=gid,
                claim_ids=[claims[i].id for i in members],
                text=claims[rep].text,
                reports=len({claims[i].article_id for i in members}),
                outlets=outlets,
                independent_origins=len(labels),
                origins=sorted(labels.values()),
                any_origin_named=any(claims[i].origin_named for i in members),
            )
        )
    # Group a is contradicted by group b when any claim pair across them has a reason: read the
    # pairs off the reason matrix once (testing every pair of groups cost O(groups²) numpy calls,
    # most of a big story's build).
    label = np.empty(n, dtype=np.int64)
    for g, members in enumerate(groups):
        label[members] = g
    rows, cols = np.nonzero(reason)
    pairs = {(int(a), int(b)) for a, b in zip(label[rows], label[cols]) if a != b}
    for a, b in sorted(pairs):
        out[a].contradicted_by.append(out[b].id)
    out.sort(key=lambda g: (-g.independent_origins, -g.reports, g.id))
    return out
