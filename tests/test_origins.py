"""Origin identity in corroboration: who a group's claims come from, each counted once.

Property tests draw stories of reports that all carry one claim (so they form one group), with
sourcing chains drawn from a small cast: people the resolver may or may not have linked (and,
when linked, under several spellings), publications, anonymous sources, the outlet's own voice,
and reprints.
"""
from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.model import Article, Claim, DateRange, Mention, OffsetMap, SourceHop
from sitrep.stories import corroborate
from sitrep.stories.corroboration import UNNAMED_OUTLET, group_origins, report_name

CLAIM = "Rebels captured the town of Zarvik on Tuesday."
# person index -> spellings; every spelling but the first needs the resolver's link to be known
PEOPLE = [
    ("Qusay al-Anbari", "al-Anbari", "Qusay al Anbari"),
    ("Jim Bridenstine", "Bridenstine"),
    ("Robert P. White", "General White"),
]
PUBLICATIONS = ["Almaalomah", "New York Times", "EADaily"]
ANONYMOUS = ["a security source", "officials", "witnesses"]
OUTLETS = ["Press TV", "Relay News", "Wire Daily", None]


def make_article(aid: str, outlet: str | None, chains: list[list[tuple[str, str, int | None]]],
                 reprint_of: str | None = None, title: str | None = None) -> Article:
    """An article whose every claim says ``CLAIM``; each chain hop is (name, kind, person index or
    None), and a hop with a person index is linked by the resolver to that person's entity."""
    text = ""
    a = Article(id=aid, source_path=f"{aid}.txt", text="", original="", offsets=OffsetMap(), title=title,
                outlet=outlet, published=DateRange(date(2020, 3, 30), date(2020, 3, 30)), reprint_of=reprint_of)
    for n, chain in enumerate(chains):
        start = len(text)
        text += CLAIM + " "
        hops = [SourceHop(outlet or "unknown outlet", "outlet")]
        for name, kind, person in chain:
            hs = len(text)
            text += name + ". "
            hops.append(SourceHop(name, kind, hs, hs + len(name)))
            if person is not None:
                a.mentions.append(Mention(aid, hs, hs + len(name), name, "PERSON", entity_id=f"E{person}"))
        a.claims.append(Claim(id=f"{aid}:c{n}", article_id=aid, text=CLAIM, start=start,
                              end=start + len(CLAIM), chain=hops, origin_named=True))
    a.text = a.original = text
    return a


@st.composite
def hops(draw):
    """A chain after the outlet: up to two publications, then maybe a person or an anonymous
    source; people are linked (any spelling) or not (their full name only)."""
    chain = [(p, "publication", None) for p in draw(st.lists(st.sampled_from(PUBLICATIONS), max_size=2, unique=True))]
    end = draw(st.sampled_from(["none", "person", "anonymous"]))
    if end == "person":
        who = draw(st.integers(0, len(PEOPLE) - 1))
        linked = draw(st.booleans())
        name = draw(st.sampled_from(PEOPLE[who])) if linked else PEOPLE[who][0]
        chain.append((name, "person", who if linked else None))
    elif end == "anonymous":
        chain.append((draw(st.sampled_from(ANONYMOUS)), "anonymous", None))
    return chain


@st.composite
def stories(draw):
    n = draw(st.integers(1, 4))
    arts = []
    for i in range(n):
        outlet = draw(st.sampled_from(OUTLETS))
        chains = draw(st.lists(hops(), min_size=1, max_size=3))
        arts.append(make_article(f"{i:016x}", outlet, chains, title=f"Report number {i}"))
    return arts


def true_origins(arts: list[Article]) -> set:
    """The resolved origins behind the reports: the person (by entity, or by name when the
    resolver left the hop unlinked), the publication, the anonymous source with who heard it, or the report's
    outlet (its original's, for a reprint) — per claim, before any collapsing of relays."""
    by_id = {a.id: a for a in arts}
    out = set()
    for a in arts:
        root = a
        while root.reprint_of in by_id:
            root = by_id[root.reprint_of]
        for c in a.claims:
            last = c.chain[-1]
            if len(c.chain) == 1:
                out.add(("voice", root.outlet or root.id))
            elif last.kind == "person":
                entity = next((m.entity_id for m in a.mentions if m.start == last.start and m.entity_id), None)
                out.add(("person", entity or last.name))
            elif last.kind == "publication":
                out.add(("pub", last.name))
            else:
                anchor = next((h.name for h in reversed(c.chain[1:-1])), root.outlet or root.id)
                out.add(("anon", anchor, last.name))
    return out


def only_group(arts: list[Article]):
    groups = corroborate(arts)
    assert len(groups) == 1  # one claim text, one group
    return groups[0]


@settings(max_examples=150, deadline=None)
@given(stories())
def test_never_more_origins_than_the_distinct_origins_behind_the_reports(arts):
    group = only_group(arts)
    assert 1 <= group.independent_origins <= len(true_origins(arts))
    assert group.independent_origins == len(group.origins) == len(set(group.origins))
    ids = {a.id for a in arts}
    assert not ids & set(group.origins)  # labels are names, never article ids


@settings(max_examples=100, deadline=None)
@given(stories(), st.data())
def test_a_reprint_never_counts(arts, data):
    before = only_group(arts)
    original = data.draw(st.sampled_from(arts))
    reprinter = data.draw(st.sampled_from([o for o in OUTLETS if o != original.outlet]))
    chains = [[(h.name, h.kind, next((int(m.entity_id[1:]) for m in original.mentions
                                     if m.start == h.start and m.entity_id), None)) for h in c.chain[1:]]
              for c in original.claims]
    copy = make_article("f" * 16, reprinter, chains, reprint_of=original.id, title=original.title)
    after = only_group(arts + [copy])
    assert after.independent_origins == before.independent_origins
    assert after.reports == before.reports + 1


@settings(max_examples=100, deadline=None)
@given(hops(), st.sampled_from(OUTLETS), st.data())
def test_one_sentence_of_one_report_is_one_origin(chain, outlet, data):
    """The nested frames of one sentence ("The Times reported that White had warned that …")
    give claims whose chains are prefixes of the innermost one: one origin, the innermost."""
    cut = data.draw(st.lists(st.integers(0, len(chain)), min_size=1, max_size=3, unique=True))
    chains = [chain] + [chain[:k] for k in cut]
    group = only_group([make_article("a" * 16, outlet, chains)])
    assert group.independent_origins == 1


def test_chain_and_its_prefix_in_one_report_are_one_origin():
    """The seed's "General White had cautioned that …, it said": Press TV → New York Times and
    Press TV → New York Times → Robert P. White, from one report, were counted as two."""
    a = make_article("39b10d1029b4a83e", "Press TV",
                     [[("New York Times", "publication", None)],
                      [("New York Times", "publication", None), ("Robert P. White", "official", None)]])
    group = only_group([a])
    assert (group.reports, group.independent_origins, group.origins) == (1, 1, ["Robert P. White"])


def test_the_same_resolved_person_twice_is_one_origin():
    a = make_article("a" * 16, "Outlet One", [[("Jim Bridenstine", "person", 1)]])
    b = make_article("b" * 16, "Outlet Two", [[("Bridenstine", "person", 1)]])
    c = make_article("c" * 16, "Outlet Three", [[("Jim Bridenstine", "person", None)]])
    group = only_group([a, b, c])
    assert group.independent_origins == 1 and group.origins == ["Jim Bridenstine"]


def test_two_people_in_two_reports_are_two_origins():
    a = make_article("a" * 16, "Outlet One", [[("Jim Bridenstine", "person", 1)]])
    b = make_article("b" * 16, "Outlet Two", [[("Robert P. White", "person", 2)]])
    assert only_group([a, b]).independent_origins == 2


def test_a_report_without_outlet_is_named_by_its_site_or_title_never_its_id():
    a = make_article("6113de84e4ff13d2", None, [[]], title="Boeing delays Starliner flight")
    b = make_article("7113de84e4ff13d2", "Reuters", [[("Boeing", "organization", None)]])
    group = only_group([a, b])
    assert group.origins == ["Boeing", "“Boeing delays Starliner flight”"]
    a.url = "https://www.example.com/news/1"
    assert report_name(a) == "example.com"
    a.url, a.title = None, None
    assert report_name(a) == UNNAMED_OUTLET
    c = make_article("8113de84e4ff13d2", None, [[]])
    labels = group_origins(a.claims + c.claims, {a.id: a, c.id: c})
    assert sorted(labels.values()) == [UNNAMED_OUTLET, UNNAMED_OUTLET + " #2"]  # two reports, told apart


def test_a_titled_hop_is_linked_through_the_name_inside_it():
    """A hop spanning "the mayor, Ana Ruiz" is the entity of the "Ana Ruiz" mention inside it."""
    a = make_article("a" * 16, "Outlet One", [[("Ana Ruiz", "official", None)]])
    hop = a.claims[0].chain[-1]
    a.mentions.append(Mention(a.id, hop.start, hop.end, "Ana Ruiz", "PERSON", entity_id="E9"))
    hop.start -= len("the mayor, ")  # the description reaches back over the title
    b = make_article("b" * 16, "Outlet Two", [[("Mayor Ruiz", "official", 9)]])
    assert only_group([a, b]).independent_origins == 1
