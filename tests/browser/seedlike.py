"""A small store shaped like the two seed reports, built by hand for the API, page and browser
tests (own wording, not the seed files): a Press TV style report with a breadcrumb, a caption and
share-bar boilerplate; a News Front style report; and a hostile article whose every field carries
markup. Offsets are real: each clean text is a slice of its original, mapped by an OffsetMap."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from sitrep.model import (
    Article, Caption, Claim, ClaimGroup, Cue, DateRange, Entity, Event, Mention, OffsetMap, Place,
    RemovedSpan, SourceHop, Story, StoryEvent, TimeSpan,
)
from sitrep.store.sqlite import SQLiteRepository

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"

PTV_HEAD = "News   /   Iraq\n\nUS sends more troops to Iraq's Ain al-Asad base: Report\n\n"
PTV_CAPTION = "US soldiers at a base in northern Iraq on March 29, 2020. (Photo by AFP)"
PTV_BODY = (
    "Iraqi security sources say new US troops have arrived at Ain al-Asad in Anbar province.\n\n"
    "Almaalomah news agency cited a security source as saying Sunday that planes carrying American "
    "soldiers had landed at the base.\n\n"
    "Ain al-Asad base was struck by Iranian missiles in January after the killing of Qassem Soleimani."
)
PTV_TAIL = "\n\nSHARE THIS ARTICLE"

NF_BODY = (
    "This was reported by EADaily, citing sources in the Arab Republic.\n\n"
    "Sources say Patriot systems were placed at the Ain al-Assad base. Launchers were also moved to "
    "the Kharir base."
)
NF_TAIL = "\n\ncomments powered by HyperComments"

EVIL_BODY = f"Before {SCRIPT} middle {IMG} after. The officials said nothing happened {SCRIPT}."


def _span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def _article(aid: str, outlet: str, title: str, head: str, body: str, tail: str, caption: str | None,
             published: DateRange | None, url: str | None) -> Article:
    original = head + (caption + "\n\n" if caption else "") + body + tail
    body_start = original.index(body)
    removed = []
    if head:
        first_line = head.split("\n", 1)[0]
        removed.append(RemovedSpan(0, len(first_line), first_line, "breadcrumb"))
        t0 = original.index(title)
        removed.append(RemovedSpan(t0, t0 + len(title), title, "title"))
    captions = []
    if caption:
        c0 = original.index(caption)
        captions.append(Caption(caption, c0, c0 + len(caption)))
        removed.append(RemovedSpan(c0, c0 + len(caption), caption, "caption"))
    if tail.strip():
        t0 = original.rindex(tail.strip())
        removed.append(RemovedSpan(t0, t0 + len(tail.strip()), tail.strip(), "footer"))
    return Article(
        id=aid, source_path=f"fixture/{aid}.txt", text=body, original=original,
        offsets=OffsetMap([(0, body_start, len(body))]), title=title, outlet=outlet, url=url,
        published=published, captions=captions, removed=removed, content_hash=aid,
    )


def build_seedlike_db(path: str | Path) -> SQLiteRepository:
    repo = SQLiteRepository(str(path))
    ptv = _article("ptv", "Press TV", "US sends more troops to Iraq's Ain al-Asad base: Report", PTV_HEAD,
                   PTV_BODY, PTV_TAIL, PTV_CAPTION,
                   DateRange(date(2020, 3, 29), date(2020, 4, 6), inferred=True, precision="week",
                             basis="caption date"), "https://www.presstv.example/Detail/2020/03/29/1")
    nf = _article("nf", "News Front", "Sources: Pentagon readies Patriot batteries in Iraq", "", NF_BODY, NF_TAIL,
                  None, None, None)
    evil_title = f"{SCRIPT} Evil {IMG}"
    evil = _article("evil", f"<b>Bad Outlet</b>{IMG}", evil_title, "", EVIL_BODY, "", None, None,
                    f"javascript:alert(1)//{SCRIPT}")
    evil.captions = [Caption(f"caption {IMG}", 0, 0)]

    # Press TV: mentions, a claim with chain Press TV → Almaalomah → a security source, two events.
    t = PTV_BODY
    asad1 = _span(t, "Ain al-Asad")
    asad2 = _span(t, "Ain al-Asad", 1)
    alma = _span(t, "Almaalomah")
    src = _span(t, "a security source")
    ptv.mentions = [
        Mention("ptv", *asad1, "Ain al-Asad", "FACILITY", "ent-asad"),
        Mention("ptv", *asad2, "Ain al-Asad", "FACILITY", "ent-asad"),
        Mention("ptv", *alma, "Almaalomah", "ORG", "ent-alma"),
    ]
    planes = _span(t, "planes carrying American soldiers had landed at the base")
    ptv.claims = [
        Claim("c-ptv-1", "ptv", t[planes[0]:planes[1]], *planes,
              chain=[SourceHop("Press TV", "outlet"), SourceHop("Almaalomah", "publication", *alma),
                     SourceHop("a security source", "anonymous", *src)],
              cue=Cue("cited", *_span(t, "cited")), origin_named=False),
    ]
    asad_place = Place("Ain al-Asad", 33.79, 42.44, "site", resolved_name="Ain al-Asad Air Base", country="IQ",
                       admin1="Anbar", start=asad1[0], end=asad1[1])
    landed = _span(t, "landed")
    struck = _span(t, "struck")
    ptv.events = [
        Event("e-ptv-deploy", "ptv", "deploy", Cue("landed", *landed), actor="United States",
              place=asad_place, time=TimeSpan(date(2020, 3, 29), date(2020, 3, 29), "day", "Sunday"),
              acled_event_type="Strategic developments", acled_sub_event_type="Other",
              claim_ids=["c-ptv-1"]),
        Event("e-ptv-strike", "ptv", "attack", Cue("struck", *struck), actor="Iran", target="United States",
              equipment="missiles",
              place=Place("Ain al-Asad", 33.79, 42.44, "site", country="IQ", admin1="Anbar", start=asad2[0],
                          end=asad2[1]),
              time=TimeSpan(date(2020, 1, 1), date(2020, 1, 31), "month", "in January"),
              acled_event_type="Explosions/Remote violence", acled_sub_event_type="Shelling/artillery/missile attack"),
    ]

    # News Front: claim with chain News Front → EADaily → sources in the Arab Republic; Harir deployment.
    n = NF_BODY
    eadaily = _span(n, "EADaily")
    arab = _span(n, "sources in the Arab Republic")
    assad = _span(n, "Ain al-Assad")
    kharir = _span(n, "Kharir")
    nf.mentions = [Mention("nf", *assad, "Ain al-Assad", "FACILITY", "ent-asad"),
                   Mention("nf", *kharir, "Kharir", "FACILITY", None)]
    patriot = _span(n, "Patriot systems were placed at the Ain al-Assad base")
    nf.claims = [
        Claim("c-nf-1", "nf", n[patriot[0]:patriot[1]], *patriot,
              chain=[SourceHop("News Front", "outlet"), SourceHop("EADaily", "publication", *eadaily),
                     SourceHop("sources in the Arab Republic", "anonymous", *arab)],
              cue=Cue("citing", *_span(n, "citing")), origin_named=False),
    ]
    nf.events = [
        Event("e-nf-harir", "nf", "deploy", Cue("moved", *_span(n, "moved")), actor="United States",
              equipment="Patriot", place=Place("Kharir", 36.54, 44.35, "site", resolved_name="Harir Air Base",
                                               country="IQ", admin1="Erbil", start=kharir[0], end=kharir[1])),
    ]

    e = EVIL_BODY
    said = _span(e, "The officials said nothing happened")
    evil.claims = [Claim("c-evil", "evil", e[said[0]:said[1]] + SCRIPT, *said,
                         chain=[SourceHop(f"<b>Bad</b>{IMG}", "outlet"), SourceHop(f"officials {SCRIPT}", "official")],
                         origin_named=False)]
    evil.mentions = [Mention("evil", *_span(e, SCRIPT), SCRIPT, "PERSON", "ent-evil")]
    evil.events = [Event("e-evil", "evil", "attack", Cue("happened", *_span(e, "happened")),
                         actor=SCRIPT, place=Place(IMG, 10.0, 10.0, "town"))]

    with repo.transaction():
        for art in (ptv, nf, evil):
            repo.add_article(art)
            repo.save_derived(art)
        repo.save_entities([
            Entity("ent-asad", "Ain al-Asad", "FACILITY", aliases=["Ain al-Asad", "Ain al-Assad"],
                   mentions=[m for m in ptv.mentions + nf.mentions if m.entity_id == "ent-asad"]),
            Entity("ent-alma", "Almaalomah", "ORG", aliases=["Almaalomah"], mentions=[ptv.mentions[2]]),
            Entity("ent-evil", SCRIPT, "PERSON", aliases=[SCRIPT, IMG], mentions=evil.mentions),
        ])
        by_id = {ev.id: ev for ev in ptv.events + nf.events}
        repo.save_story(Story(
            "story-1", "US reinforces Ain al-Asad with troops and Patriot batteries", ["ptv", "nf"],
            start=date(2020, 1, 1), end=date(2020, 4, 6), key_entities=["Ain al-Asad", "United States"],
            outlets=["Press TV", "News Front"],
            events=[
                StoryEvent(by_id["e-ptv-deploy"], ["e-ptv-deploy"], 1, ["Press TV"], 1),
                StoryEvent(by_id["e-ptv-strike"], ["e-ptv-strike"], 1, ["Press TV"], 1),
                StoryEvent(by_id["e-nf-harir"], ["e-nf-harir"], 1, ["News Front"], 1),
            ],
            claims=[
                ClaimGroup("g-planes", ["c-ptv-1"], ptv.claims[0].text, 1, ["Press TV"], 1,
                           ["a security source"], False),
                ClaimGroup("g-patriot", ["c-nf-1"], nf.claims[0].text, 1, ["News Front"], 1,
                           ["sources in the Arab Republic"], False, contradicted_by=["g-planes"]),
            ],
        ))
        repo.save_story(Story("story-evil", f"{SCRIPT} story {IMG}", ["evil"], outlets=[evil.outlet or ""]))
    return repo
