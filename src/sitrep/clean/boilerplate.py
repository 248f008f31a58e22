"""What boilerplate looks like, one line at a time.

Pages carry the same kinds of non-article lines whatever the outlet: navigation breadcrumbs,
share/follow/subscribe widgets, comment-system credits, copyright notices, bare links, photo
credits. Each predicate here recognises one kind from the line's shape and a short list of
phrases, never from any one outlet's wording, so the rules carry over to unseen sites; what a
pattern cannot know (a site's own recurring footer) is left to ``recurring.LineStats``.
"""
from __future__ import annotations

import re

_WORD = re.compile(r"\w+(?:['’.-]\w+)*")

SENTENCE_END = re.compile(r"""[.!?…]["'”’»)\]]*\s*$""")

# Breadcrumb separators. "/" only counts with spaces around it, so "and/or" and 29/03 do not.
_CRUMB_SEP = re.compile(r"\s+/\s+|\s*(?:>|»|›|\||•|·|::)\s*")

_WIDGET = re.compile(
    r"""^(?:
        (?:comments?\s+(?:are\s+)?powered\s+by\b.*)
      | (?:(?:please\s+)?share\s*(?:this|the|on|via|:|$).*)
      | (?:follow\s+(?:us|me)\b.*)
      | (?:(?:click|tap)\s+here\b.*)
      | (?:(?:read|see|view|show)\s+(?:more|also|full|all|comments?)\b.*)
      | (?:more\s+(?:from|on|stories|news|articles)\b.*)
      | (?:related(?:\s+(?:articles?|stories|news|posts?|content|coverage|topics?))?\s*:?\s*$)
      | (?:recommended(?:\s+for\s+you)?\s*:?\s*$)
      | (?:(?:advertisement|advertising|sponsored(?:\s+content)?|ad)\s*:?\s*$)
      | (?:(?:subscribe|sign\s+up|register|log\s*in|sign\s+in)\b.*)
      | (?:(?:leave|post|add|write)\s+a\s+comment\b.*)
      | (?:(?:download|get)\s+(?:the|our)\s+(?:\w+\s+)?app\b.*)
      | (?:(?:tags?|topics?|keywords?|filed\s+under)\s*:.*)
      | (?:print|email|e-mail|tweet|whatsapp|telegram|pin\s+it|top|back\s+to\s+top|loading\.*|text\s+size)
      | (?:already\s+a\s+(?:subscriber|member)\b.*)
      | (?:(?:please\s+)?enable\s+javascript\b.*)
      | (?:your\s+(?:browser|notification|subscription|comment)\b.*)
    )$""",
    re.I | re.X,
)
_WIDGET_ANYWHERE = re.compile(
    r"all\s+rights\s+reserved|©|\(c\)\s*\d{4}|^copyright\b|comments\s+powered\s+by"
    r"|cookies?\s+(?:policy|settings)|privacy\s+policy|terms\s+(?:of\s+(?:use|service)|and\s+conditions)"
    r"|we\s+use\s+cookies",
    re.I,
)
_SOCIAL = {
    "facebook", "twitter", "x", "whatsapp", "telegram", "linkedin", "reddit", "email", "e-mail",
    "print", "vk", "vkontakte", "instagram", "youtube", "pinterest", "tumblr", "messenger", "share",
    "copy", "link", "tweet", "mail", "rss", "viber", "ok", "flipboard", "tiktok",
}

_URL_LINE = re.compile(
    r"""^(?:(?:https?://|www\d?\.)\S+|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,12}(?:/\S*)?)
        (?:\s+(?:(?:https?://|www\d?\.)\S+|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,12}(?:/\S*)?))*$""",
    re.I | re.X,
)

_CAPTION = re.compile(
    r"""\(\s*(?:photo|image|picture|pic|file\s+photo|credit|illustration)s?\b[^()]*\)
      | ^\s*(?:file\s+)?(?:photo|image|picture|credit|caption|illustration)s?\s*(?:by\b|:)
      | ^\s*file\s+(?:photo|picture|image)\b | \(\s*file\s*\)
      | \bgetty\s+images\b
      | \bphoto(?:graph)?\s+(?:by|courtesy|credit)\b
      | \((?:AFP|Reuters|AP|EPA|Anadolu|Xinhua|SANA|IRNA|Tasnim|Fars|Sputnik)\s+photo\)
    """,
    re.I | re.X,
)
# A bare agency credit closing a line ("… on Monday. (AFP)", "… / Reuters") ends captions, but
# also wire paragraphs reprinted with their credit: only short lines reporting no speech count.
_AGENCY_CREDIT = re.compile(
    r"(?:\((?:AFP|Reuters|AP|EPA|Anadolu|Xinhua|SANA|IRNA|Tasnim|Fars|Sputnik)(?:\s*/\s*[^()]+)?\)"
    r"|/\s*(?:AFP|Reuters|AP|EPA)\s*\)?)\s*\.?\s*$"
)
_SPEECH = re.compile(r"(?i)\b(?:said|says|told|according|reported|stated|announced|added)\b")

_FOOTER_TALK = re.compile(
    r"\b(?:alternate|alternative|mirror)\s+(?:web\s*)?(?:addresses|address|domains?|sites?|links?|urls?)\b"
    r"|\bapp\s*store\b|\bgoogle\s+play\b|\bour\s+(?:web\s*site|site|app|channel|newsletter|podcast)\b"
    r"|\b(?:web\s*site|site)\s+can\s+(?:also\s+)?be\s+(?:accessed|reached|visited|found)\b"
    r"|\bcontact\s+us\b|\babout\s+us\b",
    re.I,
)


def words(line: str) -> list[str]:
    return _WORD.findall(line)


def ends_sentence(line: str) -> bool:
    return bool(SENTENCE_END.search(line))


def is_breadcrumb(line: str) -> bool:
    """Short segments joined by navigation separators: "News / Iraq", "Home > World"."""
    text = line.strip()
    if ends_sentence(text) or len(words(text)) > 14 or len(text) > 120:
        return False
    if text.startswith("|") and text.endswith("|"):  # a table row, not navigation
        return False
    parts = [p.strip() for p in _CRUMB_SEP.split(line)]
    if len(parts) < 2 or any(not p for p in parts[1:-1]):
        return False
    parts = [p for p in parts if p]
    return len(parts) >= 2 and all(1 <= len(words(p)) <= 4 and len(p) <= 40 for p in parts)


def is_widget(line: str) -> bool:
    """Share/follow/subscribe/comment/advert/copyright furniture of a page."""
    w = words(line)
    if len(w) <= 15 and _WIDGET.match(line.strip()):
        return True
    if len(w) <= 25 and _WIDGET_ANYWHERE.search(line):
        return True
    toks = [t.casefold() for t in re.split(r"[\s|/•·,]+", line) if t]
    return bool(toks) and len(toks) <= 10 and all(t.strip(":") in _SOCIAL for t in toks)


_BYLINE = re.compile(
    r"^(?:(?:written\s+|reported\s+|reporting\s+)?by)\s+[\w .,'’&-]+$"
    r"|^(?:staff|special)\s+(?:writer|reporter|correspondent)s?$",
    re.I,
)


def is_byline(line: str) -> bool:
    """An author line: "By Jane Doe", "By Staff Writer", "Reporting by X and Y"."""
    text = line.strip()
    return len(words(text)) <= 10 and not text.endswith(".") and bool(_BYLINE.match(text))


_DATE_WORDS = re.compile(
    r"(?i)\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:s(?:day)?)?"
    r"|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|am|pm|a\.m|p\.m"
    r"|gmt|utc|[a-z]st|[a-z]dt|updated?|published|posted|created|last|modified|edited|on|at"
    r"|date|time|ago|seconds?|minutes?|hours?|days?|weeks?|months?|years?|story|article)\b"
)


def is_dateline(line: str) -> bool:
    """A line that is only a date/time stamp ("Updated: Monday, 30 March 2020 10:42 GMT")."""
    text = line.strip()
    if len(words(text)) > 12 or not re.search(r"\d", text):
        return False
    # A date, not only a clock time: live blogs head their entries with "4:14 p.m.".
    if not re.search(r"\b(?:19|20)\d\d\b|(?i:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)", text):
        return False
    rest = _DATE_WORDS.sub(" ", re.sub(r"[\d\W_]+", " ", text))
    return rest.strip() == ""


# A dateline standing on its own line: "MADISON, Wis. -", "BAGHDAD —", "Erbil, Iraq (Rudaw) –".
_PLACE_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?)?"
    r"|[A-Z][A-Za-z.'’ -]{1,40},\s*[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?)"
    r"(?:\s*\([^()]{1,40}\))?\s*[-—–]+$"
)


def is_place_dateline(line: str) -> bool:
    """A place dateline on a line of its own: part of the story (it says where), never a title,
    never furniture even though it recurs."""
    return bool(_PLACE_DATELINE.match(line.strip()))


def is_url(line: str) -> bool:
    """A line that is only links or domains ("www.example.com", "https://…")."""
    return bool(_URL_LINE.match(line.strip()))


def is_caption(line: str) -> bool:
    """A photo caption or credit: "(Photo by AFP)", "Photo: …", "File photo", "Getty Images"."""
    n = len(words(line))
    if n <= 80 and _CAPTION.search(line):
        return True
    return n <= 35 and bool(_AGENCY_CREDIT.search(line)) and not _SPEECH.search(line)


_LIST_ITEM = re.compile(r"^(?:\d{1,3}[.)]|[-–*•▪►]|\(?[a-z]\))\s+\S")


def is_list_item(line: str) -> bool:
    """An enumerated or bulleted item ("3) …", "- …", "• …"): content, not furniture."""
    return bool(_LIST_ITEM.match(line.strip()))


def talks_about_site(line: str, outlet_names: tuple[str, ...] = ()) -> bool:
    """Footer talk: the outlet naming itself, its website, mirrors, apps or contact pages."""
    if len(words(line)) > 25:
        return False
    if _FOOTER_TALK.search(line):
        return True
    folded = line.casefold()
    return any(n and n.casefold() in folded for n in outlet_names)
