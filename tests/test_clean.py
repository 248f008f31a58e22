"""Cleaning: normalisation map, boilerplate and captions, titles, outlets, dates, recurring lines."""
from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.clean import LineStats, clean_document, content_hash, normalise, outlet_key
from sitrep.clean.boilerplate import is_breadcrumb, is_caption, is_url, is_widget
from sitrep.clean.lines import classify_lines, split_lines
from sitrep.clean.outlet import prettify_domain, self_reference
from sitrep.clean.published import explicit_dates, infer_from_text
from sitrep.model import Article, OffsetMap, RawDocument
from sitrep.outlets import OutletRegistry


@pytest.fixture(scope="module")
def registry() -> OutletRegistry:
    return OutletRegistry.load()


def _base(ch: str) -> str:
    n, _ = normalise(ch)
    return unicodedata.normalize("NFD", n)[:1] if n else ""


def assert_offsets_invariant(article: Article) -> None:
    """Every body character points at the original character it came from."""
    text, original = article.text, article.original
    for i, ch in enumerate(text):
        if ch == "\n":  # paragraph separators are inserted, not copied
            continue
        o = article.offsets.to_original(i)
        assert 0 <= o < len(original), (i, o)
        assert _base(original[o]) == unicodedata.normalize("NFD", ch)[:1], (i, ch, original[o])


def raw_txt(text: str, path: str = "/data/site/doc.txt", **kw) -> RawDocument:
    return RawDocument(source_path=path, record_key="", text=text, format="txt", **kw)


# --------------------------------------------------------------------------------------------
# normalise
# --------------------------------------------------------------------------------------------


def test_normalise_composes_and_maps_back():
    original = "Caf" + "e\u0301" + "\u00a0x\u200by\r\nz\ufeff\x07!"
    text, m = normalise(original)
    assert text == "Café x" + "y\nz!"
    assert len(text) < len(original)
    assert original[m.to_original(text.index("é"))] == "e"
    assert original[m.to_original(text.index("x"))] == "x"
    assert original[m.to_original(text.index("y"))] == "y"
    assert original[m.to_original(text.index("z"))] == "z"
    assert original[m.to_original(text.index("!"))] == "!"
    assert original[m.to_original(text.index("\n"))] == "\r"


@given(st.text(alphabet=st.sampled_from(list("ab \n\r\t\u00a0\u2009\u200b\ufeff\u0301\u0308e\x01é")), max_size=40))
def test_normalise_map_is_exact(s):
    text, m = normalise(s)
    assert unicodedata.is_normalized("NFC", text) or "\u0301" in s or "\u0308" in s
    for i, ch in enumerate(text):
        o = m.to_original(i)
        assert 0 <= o < len(s)
        assert _base(s[o]) == unicodedata.normalize("NFD", ch)[:1]


@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(1, 6)), min_size=1, max_size=6),
    st.text(alphabet=st.sampled_from(list("ab\u00a0\u200b\r\ne\u0301")), min_size=30, max_size=60),
)
def test_compose_of_normalisation_map_equals_mapping_twice(cuts, s):
    """The run-intersecting ``OffsetMap.compose`` gives, for every copied character, what
    mapping it through both maps one character at a time gives."""
    _, inner = normalise(s)
    outer = OffsetMap()
    d = o = 0
    for gap, n in cuts:  # runs of the intermediate string copied with gaps, as paragraphs are
        o += gap
        outer.add(d, o, n)
        d, o = d + n + 2, o + n
    composed = outer.compose(inner)
    for rd, _, rn in outer.runs:
        for i in range(rd, rd + rn):
            assert composed.to_original(i) == inner.to_original(outer.to_original(i))


def _nfc_per_sequence(flat: str) -> tuple[str, list[int]]:
    """Pass 2 the obvious way, a Python step per character: NFC per combining sequence, each
    output character's source offset. The windowed pass must give exactly this."""
    out: list[str] = []
    targets: list[int] = []
    j = 0
    while j < len(flat):
        k = j + 1
        while k < len(flat) and unicodedata.combining(flat[k]):
            k += 1
        seq, comp = flat[j:k], unicodedata.normalize("NFC", flat[j:k])
        if comp == seq:
            targets += range(j, k)
        else:
            used: set[int] = set()
            targets.append(j)
            for c in comp[1:]:
                t = next((t for t in range(j + 1, k) if t not in used and flat[t] == c), j)
                used.add(t)
                targets.append(t)
        out.append(comp)
        j = k
    return "".join(out), targets


_NFC_PIECES = ["a", "e", " ", "\n", "\u0301", "\u0308", "\u0323", "\u05b4", "\u093c", "\u0958", "\u0344",
               "\u1100", "\u1161", "\u11a8", "\u0b47", "\u0b3e", "\ufb1d", "\u2adc", "\U0001d160", "\u0627", "\u00e9"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_NFC_PIECES), max_size=80), st.sampled_from([1, 2, 5, 256]))
def test_windowed_nfc_matches_per_sequence_nfc(pieces, window):
    """Pass 2 skips windows that are NFC already; whatever the window size, text and map must
    be those of composing every sequence on its own."""
    import importlib

    norm_mod = importlib.import_module("sitrep.clean.normalise")
    flat = "".join(pieces)
    saved = norm_mod._WINDOW
    norm_mod._WINDOW = window
    try:
        text, outer = norm_mod._compose_nfc(flat)
    finally:
        norm_mod._WINDOW = saved
    want, targets = _nfc_per_sequence(flat)
    assert text == want
    assert [outer.to_original(i) for i in range(len(text))] == targets


def test_outlet_key_takes_the_normalised_text_it_is_given():
    raw = RawDocument("/c/site/a.txt", "", "Rockets hit the base.\n\u00a9 2020 Levant Wire. All rights reserved.", "txt")
    assert outlet_key(raw, normalise(raw.text)[0]) == outlet_key(raw)


_PIECES = [
    "Home > World", "Share this article", "(Photo by AFP)", "www.example.com", "\u00a0", "\u200b",
    "e\u0301", "\r\n", "\n\n", "Officials said the road was closed on Monday.", "©", "By Jo Doe",
    "March 29, 2020", "Title line", "Press TV", "x", " ", "\t", "\ufeff", ":", "-",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25))
def test_clean_document_never_breaks(pieces):
    original = "".join(pieces)
    a = clean_document(raw_txt(original))
    assert_offsets_invariant(a)
    for r in a.removed:
        assert 0 <= r.start <= r.end <= len(original) and original[r.start : r.end] == r.text


# --------------------------------------------------------------------------------------------
# line predicates (generic, not the seeds' strings)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line", ["Home > World > Middle East", "World » Asia", "Politics | Europe", "News  /  Syria", "Home • Sport"]
)
def test_breadcrumbs(line):
    assert is_breadcrumb(line)


@pytest.mark.parametrize(
    "line",
    ["He said the and/or clause was void.", "Iraq/Syria border", "The 29/03 talks failed", "A long sentence. Then more."],
)
def test_not_breadcrumbs(line):
    assert not is_breadcrumb(line)


@pytest.mark.parametrize(
    "line",
    [
        "Follow us on Telegram",
        "Share this article",
        "Subscribe to our daily briefing",
        "Click here to read the full report",
        "Read more: Iraq tensions rise",
        "Related articles",
        "Advertisement",
        "© 2021 Gulf Daily Mail. All rights reserved.",
        "Comments are powered by Disqus",
        "Facebook Twitter WhatsApp Email",
        "Tags: Iraq, Syria",
    ],
)
def test_widgets(line):
    assert is_widget(line)


@pytest.mark.parametrize(
    "line",
    [
        "Shares of the company fell 5 percent on Monday after the report.",
        "Officials said they would follow the situation closely.",
        "The ministry said it had read the report and rejected it.",
    ],
)
def test_body_lines_are_not_widgets(line):
    assert not is_widget(line) and not is_caption(line) and not is_breadcrumb(line)


def test_datelines():
    from sitrep.clean.boilerplate import is_dateline

    assert is_dateline("Updated: Monday, 30 March 2020 10:42 GMT")
    assert is_dateline("2020-03-29")
    assert is_dateline("Mar 29, 2020 | 5:40 PM")
    assert not is_dateline("Troops moved on March 29, 2020.")
    assert not is_dateline("Breaking news")
    assert not is_dateline("4:14 p.m.")  # a live-blog entry head, part of the story
    assert is_dateline("Published: Tuesday, 12/15/2015 - Updated: 2 weeks ago")
    assert is_dateline("story updated at 4:04pm on August 10, 2013")


def test_place_datelines():
    from sitrep.clean.boilerplate import is_place_dateline

    assert is_place_dateline("MADISON, Wis. -")
    assert is_place_dateline("BAGHDAD —")
    assert is_place_dateline("Erbil, Kurdistan Region (Rudaw) –")
    assert not is_place_dateline("Related Stories:")
    assert not is_place_dateline("Follow WIS:")
    assert not is_place_dateline("Iraq - Syria")


def test_place_dateline_is_body_not_title(registry):
    a = clean_document(raw_txt("MADISON, Wis. -\n\nA man was shot on Monday night, police said.\n"), registry=registry)
    assert a.title is None
    assert a.text.startswith("MADISON, Wis. -")


def test_stamped_date():
    from sitrep.clean.published import stamped_date

    text = "Man shot downtown\nPosted: Monday, April 15, 2013\nPolice said a man was shot on March 2, 2013."
    r = infer_from_text(text)
    assert (r.start, r.end, r.precision, r.inferred) == (date(2013, 4, 15), date(2013, 4, 15), "day", True)
    assert stamped_date("Published: 8/19/2013 - Updated: 12 hours ago")[0] == date(2013, 8, 19)
    assert stamped_date("He posted: nothing new") is None


def test_urls_and_captions():
    assert is_url("www.example-news.com")
    assert is_url("https://example.org/a/b?c=1")
    assert not is_url("The site example.com said so.")
    assert is_caption("Smoke rises over the city on Monday. (Photo: Ahmed Saad)")
    assert is_caption("Photo: Reuters")
    assert is_caption("File photo shows Iraqi troops near Mosul")
    assert is_caption("Protesters gather in Tahrir Square. Getty Images")
    assert is_caption("Troops patrol the border. (AFP photo)")
    assert not is_caption("BAGHDAD (Reuters) - Iraqi forces said on Monday they had retaken the town.")
    assert is_caption("A fighter walks past a destroyed tank in Raqqa. (AFP)")
    assert not is_caption("The ministry said three soldiers were wounded in the blast. (AFP)")


# --------------------------------------------------------------------------------------------
# seeds
# --------------------------------------------------------------------------------------------


@pytest.fixture
def seed_articles(seeds_dir, registry):
    out = {}
    for p in sorted(seeds_dir.glob("*.txt")):
        raw = RawDocument(source_path=str(p), record_key="", text=p.read_text(encoding="utf-8"), format="txt")
        out[p.name] = clean_document(raw, registry=registry)
    assert out, f"no seed reports in {seeds_dir}"
    return out


def test_seeds_outlet_title_date(seed_articles, seeds_expected):
    for name, exp in seeds_expected["articles"].items():
        a = seed_articles[name]
        assert a.outlet == exp["outlet"], name
        assert a.outlet_basis == "self_reference"
        assert a.title == exp["title"], name
        assert a.title not in a.text
        if exp["published"] is None:
            assert a.published is None
        else:
            assert a.published is not None and a.published.inferred
            assert [a.published.start.isoformat(), a.published.end.isoformat()] == exp["published"]
            assert a.published.basis


def test_seeds_boilerplate_and_captions(seed_articles, seeds_expected):
    for name, exp in seeds_expected["articles"].items():
        a = seed_articles[name]
        removed = {r.text for r in a.removed}
        for line in exp["boilerplate_lines"]:
            assert line in removed, (name, line)
            assert normalise(line)[0] not in a.text
        for r in a.removed:
            assert a.original[r.start : r.end] == r.text
        for line in exp.get("caption_lines", []):
            assert line in [c.text for c in a.captions]
            assert line not in a.text
        for c in a.captions:
            assert a.original[c.start : c.end] == c.text


def test_seeds_body_kept_and_offsets(seed_articles):
    for a in seed_articles.values():
        assert_offsets_invariant(a)
        assert a.id == a.content_hash[:16] == content_hash(a.text)[:16]
        assert a.text.count("\n\n") >= 6  # paragraphs kept
    pt = seed_articles["presstv-ain-al-asad.txt"]
    assert pt.text.startswith("Iraqi security sources say new US troops")
    assert pt.text.endswith("in the Arab country.")
    nf = seed_articles["newsfront-patriot-iraq.txt"]
    assert "As News Front previously reported" in nf.text  # a self-reference is body, not junk
    assert nf.text.endswith("did not stop.")


# --------------------------------------------------------------------------------------------
# generalisation: another outlet's furniture, written here
# --------------------------------------------------------------------------------------------

GULF_PAGE = """Home › Region › Iraq

Published: Friday, 3 December 2021 09:15 GMT

Militia drone strikes fuel depot near Erbil airport

By Staff Writer

Erbil, Dec 3 (Gulf Daily Mail) – A drone packed with explosives struck a fuel depot near Erbil \
international airport late on Tuesday, Kurdish security officials said.

No casualties were reported, the officials said, adding that firefighters had contained the blaze \
within two hours.

Smoke rises from the depot on Tuesday night. (Photo: Gulf Daily Mail / Karim Aziz)

A group calling itself Ashab al-Kahf claimed the attack on Telegram, according to local media.

Follow us on Twitter and Instagram
Download the Gulf Daily Mail app
gulfdailymail.example
© 2021 Gulf Daily Mail. All rights reserved.
"""


def test_synthetic_outlet_page(registry):
    a = clean_document(raw_txt(GULF_PAGE), registry=registry)
    assert a.title == "Militia drone strikes fuel depot near Erbil airport"
    assert a.outlet == "Gulf Daily Mail" and a.outlet_basis == "self_reference"
    assert [c.text for c in a.captions] == ["Smoke rises from the depot on Tuesday night. (Photo: Gulf Daily Mail / Karim Aziz)"]
    reasons = {r.text: r.reason for r in a.removed}
    assert reasons["Home › Region › Iraq"] == "breadcrumb"
    assert reasons["gulfdailymail.example"] == "url"
    assert "Follow us on Twitter and Instagram" in reasons
    assert "Download the Gulf Daily Mail app" in reasons
    assert "© 2021 Gulf Daily Mail. All rights reserved." in reasons
    assert reasons["By Staff Writer"] == "byline"
    assert reasons["Published: Friday, 3 December 2021 09:15 GMT"] == "dateline"
    assert a.text.startswith("Erbil, Dec 3 (Gulf Daily Mail) – A drone")
    assert a.text.endswith("according to local media.")
    assert "Follow us" not in a.text and "©" not in a.text
    # the removed "Published:" stamp still dates the report, to the day
    assert (a.published.start, a.published.end) == (date(2021, 12, 3), date(2021, 12, 3))
    assert a.published.inferred and "stamp" in a.published.basis
    b = clean_document(raw_txt(GULF_PAGE.replace("Published:", "Seen")), registry=registry)
    # without the stamp: latest full date, and "on Tuesday" bounds it to a week
    assert (b.published.start, b.published.end) == (date(2021, 12, 3), date(2021, 12, 11))
    assert_offsets_invariant(a)


def test_metadata_wins(registry):
    raw = raw_txt(
        "Militia drone strikes fuel depot\n\nA drone struck a depot on Tuesday, officials said.\n",
        url="https://www.rudaw.net/english/middleeast/iraq/031220211",
        title="Militia drone strikes fuel depot",
        published="2021-12-03T18:20:00+03:00",
    )
    a = clean_document(raw, registry=registry)
    assert a.outlet == "Rudaw" and a.outlet_basis == "domain"
    assert a.title == "Militia drone strikes fuel depot"
    assert a.text == "A drone struck a depot on Tuesday, officials said."
    assert a.published.start == a.published.end == date(2021, 12, 3)
    assert not a.published.inferred and a.published.basis == "metadata"
    raw.outlet = "the new york times"
    a = clean_document(raw, registry=registry)
    assert a.outlet == "The New York Times" and a.outlet_basis == "metadata"
    raw.outlet, raw.site_name = None, "Some Local Site"
    assert clean_document(raw, registry=registry).outlet_basis == "site_name"


def test_unknown_domain_is_prettified():
    assert prettify_domain("https://www.gulf-times.com/story/1") == "Gulf Times"
    assert prettify_domain("bbc.co.uk") == "BBC"


def test_self_reference_prefers_publisher_signals(registry):
    text = (
        "The New York Times said the Pentagon had a plan. Reuters reported earlier that talks stalled.\n"
        "As Baghdad Today previously reported, the base was hit twice.\n"
    )
    g = self_reference(text, registry)
    assert g.name == "Baghdad Today"
    assert self_reference("The New York Times said on Friday that troops moved.", registry) is None
    g = self_reference("Body text.\n\nwww.rudaw.net\n", registry)
    assert g.name == "Rudaw"
    g = self_reference("Body text.\n\nCopyright Levant Wire 2019\n", registry)
    assert g.name == "Levant Wire"
    # a dated copyright footer beats a bare photo credit
    g = self_reference("Smoke rises. © Reuters\n\nBody.\n\n© 2019 Levant Wire. All rights reserved.", registry)
    assert g.name == "Levant Wire"


# --------------------------------------------------------------------------------------------
# publication dates
# --------------------------------------------------------------------------------------------


def test_explicit_date_forms():
    text = "On 2020-03-01 and 29 March 2020, then March 2, 2020 and 03.04.2019, scheduled for May 5, 2021."
    got = [d for d, _, _ in explicit_dates(text)]
    assert got == [date(2020, 3, 1), date(2020, 3, 29), date(2020, 3, 2), date(2019, 4, 3)]


def test_inferred_range_width():
    near = infer_from_text("The strike on 12 January 2020 was condemned on Monday.")
    assert (near.start, near.end, near.inferred) == (date(2020, 1, 12), date(2020, 1, 20), True)
    far = infer_from_text("The strike on 12 January 2020 was condemned.")
    assert far.end == date(2021, 1, 11) and far.precision == "year"
    assert infer_from_text("The strike at the beginning of the year was condemned.") is None


def test_html_date_used_when_no_metadata(registry):
    a = clean_document(raw_txt("Body line one is here, said officials.", html_date="2020-05-01"), registry=registry)
    assert a.published.start == date(2020, 5, 1) and a.published.basis == "html_date"


# --------------------------------------------------------------------------------------------
# recurring lines
# --------------------------------------------------------------------------------------------


PLACES = ["Rabia", "Sinjar", "Qaim", "Zakho", "Tal Afar"]
ACTORS = ["customs officers", "a tribal council", "the border guards", "local traders", "a police colonel"]


def _doc(i: int) -> str:
    place, actor = PLACES[i], ACTORS[i]
    return (
        f"Crossing at {place} reopens after talks\n\n"
        f"Trucks queued at the {place} crossing as {actor} described the reopening to reporters.\n\n"
        f"According to {actor}, the queue at {place} stretched for several kilometres overnight.\n\n"
        "Independent voices from the Levant since 1998, trusted by readers everywhere.\n\n"
        f"Talks over {place} will resume next month, {actor} added in a statement.\n"
    )


def test_recurring_line_learnt_across_documents(registry):
    stats = LineStats()
    docs = [raw_txt(_doc(i), path=f"/corpus/levant/{i}.txt") for i in range(5)]
    promo = "Independent voices from the Levant since 1998, trusted by readers everywhere."
    before = clean_document(docs[0], stats=stats, registry=registry)
    assert promo in before.text  # no pattern knows this line
    for d in docs:
        stats.observe(outlet_key(d), d.text)
    assert stats.is_recurring(outlet_key(docs[0]), promo)
    assert not stats.is_recurring(outlet_key(docs[0]), "The talks will resume next month.")
    after = clean_document(docs[0], stats=stats, registry=registry)
    assert promo not in after.text
    assert any(r.reason == "recurring" and r.text == promo for r in after.removed)
    assert "Trucks queued at the Rabia crossing" in after.text
    # persisted and restored
    again = LineStats.from_json(stats.to_json())
    assert again.is_recurring(outlet_key(docs[0]), promo)
    # a report counted twice does not count twice
    stats2 = LineStats()
    for _ in range(4):
        stats2.observe("k", _doc(1))
    assert stats2.doc_count("k") == 1


def test_recurring_counts_stay_bounded_and_follow_a_redesign():
    stats = LineStats(window=5)
    for i in range(10):
        stats.observe("k", f"Old footer line\nUnique paragraph number {'x' * (i + 1)} here.")
    assert stats.doc_count("k") == 5  # halved once 2 * window documents were seen
    assert stats.is_recurring("k", "Old footer line")
    assert all(v >= 1 for v in stats.lines["k"].values())
    for i in range(12):
        stats.observe("k", f"New footer line\nAnother paragraph {'y' * (i + 1)} here.")
    assert stats.is_recurring("k", "New footer line")
    assert not stats.is_recurring("k", "Old footer line")


def test_recurring_never_empties_a_report(registry):
    stats = LineStats()
    body = "Officials said the border crossing was closed on Monday for security reasons.\n"
    for i in range(3):
        stats.observe("outlet:x", body + f"Extra line {i} with a sentence about something else.\n")
    a = clean_document(raw_txt(body, outlet="X"), stats=stats)
    assert "border crossing was closed" in a.text


def test_outlet_key_order():
    assert outlet_key(raw_txt("x", outlet="Press TV", url="https://presstv.ir/a")) == "outlet:presstv"
    assert outlet_key(raw_txt("x", url="https://www.presstv.ir/a")) == "domain:presstv.ir"
    assert outlet_key(raw_txt("x", site_name="Rudaw")) == "outlet:rudaw"
    assert outlet_key(raw_txt("x", path="/corpus/levant/1.txt")) == "folder:levant"
    assert outlet_key(raw_txt(GULF_PAGE, path="/corpus/mixed/1.txt")) == "outlet:gulfdailymail"


def test_trailing_list_is_not_a_footer():
    dates = "\n".join(f"June {d} -- Arena {d}, Springfield" for d in range(1, 12))
    text = "Band announces tour\n\nThe band will play eleven shows this summer, its label said.\n\n" + dates
    lines = classify_lines(split_lines(text))
    assert sum(1 for x in lines if x.kind == "body") == 12
    numbered = "Top picks\n\nHere is the list we compiled for readers this week.\n\n1) First item\n2) Second item"
    assert [x.kind for x in classify_lines(split_lines(numbered))][-2:] == ["body", "body"]


def test_table_rows_are_not_breadcrumbs():
    assert not is_breadcrumb("| HD | THE HOME DEPOT INC. | 225.86 | -12.99 |")


def test_classify_title_only_when_body_follows():
    lines = classify_lines(split_lines("Just a short line"))
    assert [x.kind for x in lines] == ["body"]
