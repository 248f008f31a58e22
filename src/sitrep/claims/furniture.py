"""Page furniture that survives cleaning but is no statement of the article: related-link list
items and calls to subscribe ("Sign up for the free daily newsletter", "Moneycontrol Pro offers
you all the information you need ..."). Such sentences never become claims.

Rules over the parse and the sentence's own line and paragraph, cheap enough for every sentence:

* a related-link item is a line opened by a list marker ("- ", "• ") that reads as a headline:
  it ends without sentence punctuation and is short (bullet points of the article itself end in
  full stops and stay claims);
* a call to action is an imperative addressed to the reader ("Sign up ...", "Click here ...",
  "Subscribe ..."): the paragraph that holds one is the promotion's, all of it; so is a
  paragraph opened by "Disclaimer:";
* a sentence speaking to "you" about a newsletter, an inbox or a subscription is furniture on
  its own (only that sentence: an article about a subscription service says "your $10 fee");
* a labelled link ("Related: The 15 Weirdest Galaxies", "READ MORE: ...", "You may also like"),
  and the agency's credit line ("Reporting by ...; Editing by ...");
* a press release's closing "About <company>" section (a short self-description at the end);
* a heading: a line that is one sentence with no closing punctuation, in Title Case or capitals
  ("Stadia's Current Roster Of Games Isn't Very Impressive", "WHAT YOU NEED TO MAKE JAM").
  Section headings say again, shorter, what the paragraphs under them say; related-link
  headlines and shop offers ("4 Month of Amazon Music Unlimited for $0.99") say nothing of the
  article. A sentence running on to the next line is no heading.
"""
from __future__ import annotations

import re

from spacy.tokens import Span

_LIST_MARKER = re.compile(r"^\s*[-–—•·*]\s")
_SENTENCE_END = tuple('.!?"”’\')')
_HEADLINE_WORDS = 25
CALL_VERBS = frozenset("sign click subscribe register tap download follow join share get".split())
_OFFER_WORDS = re.compile(r"\b(?:newsletters?|subscri\w*|inbox|sign(?:ed|ing)? up|free trial|paywall)\b", re.I)
_SECOND_PERSON = frozenset({"you", "your", "yours"})
# "Related: ...", "Related post: ...", "READ MORE: ...", "Also: ...", "New Release: ...": a label of
# one to three words and a colon opening a line that does not end as a sentence.
_LINK_LABEL = re.compile(r"^\s*[\w’' ]{2,25}:\s")
_LINK_LABEL_WORDS = frozenset(
    "related also more read see watch listen recommended trending popular latest new release releases "
    "post posts story stories coverage video videos photos gallery sponsored advertisement deal deals".split()
)
_ALSO_LIKE = re.compile(r"^\s*(?:you (?:may|might|will) also (?:like|enjoy)|recommended for you)\b", re.I)
_CREDIT_LINE = re.compile(r"^\s*\(?\s*(?:additional\s+)?(?:reporting|writing|editing|compiled|produced)\s+by\b", re.I)
# Words a Title Case heading leaves in lower case; the measure of the heading rule is on the
# 100 real pages of eval_claims_real.py (bench/RESULTS.md, round two).
# "Disclaimer: The views ... are their own. Moneycontrol.com advises users to ...": the paragraph
# is the site's, all of it.
_DISCLAIMER = re.compile(r"^\s*disclaimer\b", re.I)
# A press release ends on "About <company>" and a paragraph or two of self-description; a heading
# "About ..." with more than that after it is a section of an article, which stays.
_ABOUT_HEADING = re.compile(r"(?m)^[ \t]*About [^\n.!?:]{2,60}$")
ABOUT_ZONE_CHARS = 1_500
ABOUT_ZONE_PARAGRAPHS = 3
_MINOR_WORDS = frozenset(
    "a an the of in on at to for and or but nor with by from as vs via into onto over after before up "
    "down out off about than that per is are be".split()
)
_HEADING_MIN_WORDS = 3
_HEADING_CAPITALISED = 0.8
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _line_of(sent: Span, text: str) -> str:
    """The line the sentence starts on (spaCy hangs the line break on the sentence before)."""
    start = text.rfind("\n", 0, sent.start_char) + 1
    end = text.find("\n", sent.start_char)
    return text[start : end if end >= 0 else len(text)]


def words_end(sent: Span) -> int:
    """Where the sentence's last word ends (spaCy hangs the line breaks after it on the sentence)."""
    doc = sent.doc
    for i in range(sent.end - 1, sent.start - 1, -1):
        if not doc[i].is_space:
            return doc[i].idx + len(doc[i].text)
    return sent.start_char


def is_related_link(sent: Span, text: str) -> bool:
    """A list item that reads as a linked headline, not a sentence of the article."""
    line = _line_of(sent, text)
    if not _LIST_MARKER.match(line):
        return False
    body = line.strip()
    return not body.endswith(_SENTENCE_END) and len(body.split()) <= _HEADLINE_WORDS


def is_call_to_action(sent: Span) -> bool:
    """An imperative to the reader: "Sign up for ...", "Click here ...", "Get access to ..."."""
    first = next((t for t in sent if not t.is_space and not t.is_punct), None)  # imperatives lead
    if first is None or first.lower_ not in CALL_VERBS or first.dep_ != "ROOT" or first.tag_ != "VB":
        return False
    return not any(c.dep_ in {"nsubj", "nsubjpass", "aux", "expl"} for c in first.children)


def is_offer_to_reader(sent: Span) -> bool:
    """A sentence telling "you" about a newsletter or a subscription ("There was an error
    processing your subscription", "Keep an eye on your inbox")."""
    return bool(_OFFER_WORDS.search(sent.text)) and any(t.lower_ in _SECOND_PERSON for t in sent)


def is_link_label(sent: Span, text: str) -> bool:
    """A labelled link or the agency's credit line: "Related: ...", "SEE MORE: ...", "You may
    also like ...", "(Reporting by ...; Editing by ...)"."""
    line = _line_of(sent, text).strip()
    if _ALSO_LIKE.match(line) or _CREDIT_LINE.match(line):
        return True
    label = _LINK_LABEL.match(line)
    if label is None or line.endswith(_SENTENCE_END):
        return False
    return any(w in _LINK_LABEL_WORDS for w in label.group().lower().rstrip(": ").split())


def is_heading(sent: Span, text: str) -> bool:
    """A line that is one sentence, without closing punctuation, in Title Case or capitals."""
    line = _line_of(sent, text).strip()
    if not line or line.endswith(_SENTENCE_END) or line.endswith((":", "…", ",")):
        return False
    if text.find("\n", sent.start_char) not in (-1, *range(words_end(sent), sent.end_char + 1)):
        return False  # the sentence runs on past its line
    if words_end(sent) - sent.start_char < len(line):
        return False  # the line holds more than this sentence
    words = [w for w in _WORD.findall(line) if w.lower() not in _MINOR_WORDS]
    if len(words) < _HEADING_MIN_WORDS:
        return False
    return sum(w[0].isupper() for w in words) >= _HEADING_CAPITALISED * len(words)


_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "expl", "aux", "auxpass"}


def asks_or_bids(sent: Span) -> bool:
    """A question ("What Does Stadia Offer?") or a command ("If all you need are a few ports, get
    a USB 3.0 dock"): no proposition, so in the writer's own voice no claim. (Spoken by a source,
    the same words are that source's, which is why this is not furniture.)"""
    words = [t for t in sent if not t.is_space]
    if not words:
        return False
    if words[-1].text == "?" or words[-1].is_punct and len(words) > 1 and words[-2].text == "?":
        return True
    root = sent.root
    return root.tag_ in {"VB", "VBP"} and not any(c.dep_ in _SUBJECTS for c in root.children)


def about_zone_start(text: str) -> int | None:
    """Where a press release's closing "About <company>" boilerplate starts, if it has one."""
    for m in _ABOUT_HEADING.finditer(text):
        rest = text[m.end() :].strip()
        paragraphs = [p for p in re.split(r"\n\s*\n", rest) if p.strip()]
        if len(rest) <= ABOUT_ZONE_CHARS and len(paragraphs) <= ABOUT_ZONE_PARAGRAPHS:
            return m.start()
    return None


def furniture_sentences(sents: list[Span], text: str) -> set[int]:
    """Indices of the sentences of ``sents`` (a document's, in order) that are page furniture:
    related-link items, and every sentence of a paragraph that holds a call to action (the
    promotion around it: "Get access to ... Moneycontrol Pro ... Moneycontrol Pro offers you
    all the information you need ...")."""
    paragraph, para_of, prev_end = 0, [], 0
    for sent in sents:
        if "\n" in text[prev_end : sent.start_char]:
            paragraph += 1
        para_of.append(paragraph)
        prev_end = words_end(sent)
    calling = {para_of[i] for i, sent in enumerate(sents) if is_call_to_action(sent) or _DISCLAIMER.match(sent.text)}
    about = about_zone_start(text) if "About " in text else None
    return {
        i for i, sent in enumerate(sents)
        if para_of[i] in calling or about is not None and sent.start_char >= about or is_related_link(sent, text) or is_offer_to_reader(sent)
        or is_link_label(sent, text) or is_heading(sent, text)
    }


def has_prose_body(sents: list[Span], text: str, furniture: set[int]) -> bool:
    """Whether a sentence outside ``furniture`` ends as a sentence does: the article has a body.

    Headings and labelled links are furniture only beside a body they repeat or point away from.
    A text that is nothing but a headline (a wire flash, a coded data set's source headline:
    "Turkish Airstrike Kills 14 Kurdish Militants in Northern Iraq", "The Latest: Baghdad
    bombings kill 14, wound 50", perhaps with a credit line under it) has no body, and its
    headline is the report itself. Skipping it cost 26 of UCDP-GED Iraq's 3,531 headline rows
    their violent event (bench/eval_events.py, bench/RESULTS.md issue 16)."""
    return any(i not in furniture and text[: words_end(s)].endswith(_SENTENCE_END) for i, s in enumerate(sents))
