"""Page furniture that survives cleaning but is no statement of the article: related-link list
items and calls to subscribe ("Sign up for the free daily newsletter", "Moneycontrol Pro offers
you all the information you need ..."). Such sentences never become claims.

Rules over the parse and the sentence's own line and paragraph, cheap enough for every sentence:

* a related-link item is a line opened by a list marker ("- ", "• ") that reads as a headline:
  it ends without sentence punctuation and is short (bullet points of the article itself end in
  full stops and stay claims);
* a call to action is an imperative addressed to the reader ("Sign up ...", "Click here ...",
  "Subscribe ..."): the paragraph that holds one is the promotion's, all of it;
* a sentence speaking to "you" about a newsletter, an inbox or a subscription is furniture on
  its own (only that sentence: an article about a subscription service says "your $10 fee").
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
    calling = {para_of[i] for i, sent in enumerate(sents) if is_call_to_action(sent)}
    return {
        i for i, sent in enumerate(sents)
        if para_of[i] in calling or is_related_link(sent, text) or is_offer_to_reader(sent)
    }
