"""Who published a report: from metadata, the page, the URL, or the report's words about itself.

The publishing outlet is the first hop of every sourcing chain, so it must be right even for a
bare text file. The order of trust: what the input's metadata says, the HTML site name, the URL's
domain, and last the report's self-references. Among self-references, only signals a publisher
uses of itself count (copyright lines, "X's website can also be accessed at", its own domain in
the footer, "As X previously reported"); a mention such as "the New York Times said" is a
source, not the publisher, and is never taken.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sitrep.clean import boilerplate as bp
from sitrep.model import RawDocument
from sitrep.outlets import OutletRegistry, normalise_domain

# A capitalised name of up to five tokens ("News Front", "Press TV", "The New York Times").
_NAME = r"(?P<name>[A-Z][\w&.-]*(?:[ \t]+(?:[A-Z][\w&.-]*|\d+)){0,4})"
_YEAR = r"(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?"

# (pattern, weight): higher weight = a signal only the publisher itself would write.
_SELF_PATTERNS: list[tuple[re.Pattern[str], int, str]] = [
    (re.compile(r"(?:©|\([cC]\)|(?i:copyright))\s*(?:©\s*)?" + _YEAR + _NAME), 3, "copyright"),
    (
        re.compile(
            _NAME + r"['’]s?\s+(?:(?i:web\s*site|site|app|channel))\s+can\s+(?:also\s+)?be\s+"
            r"(?:accessed|reached|found|visited|viewed)"
        ),
        3,
        "own website",
    ),
    (
        re.compile(
            r"\b[Aa]s\s+(?:the\s+)?" + _NAME + r"\s+(?:has\s+|had\s+)?(?:previously|earlier|already)"
            r"\s+(?:reported|wrote|noted|informed|told)"
        ),
        2,
        "as previously reported",
    ),
    (
        re.compile(
            _NAME + r"\s+(?:has\s+|had\s+)?(?:(?:previously|earlier)\s+reported|reported\s+earlier)"
        ),
        1,
        "reported earlier",
    ),
]
_TAIL_WORDS = {"all", "rights", "reserved", "is", "was"}
_NOT_NAMES = {"all", "this", "it", "we", "our", "the", "as", "he", "she", "they", "there", "that"}


@dataclass(frozen=True)
class OutletGuess:
    name: str | None
    basis: str | None  # metadata, site_name, domain, self_reference
    evidence: str | None = None  # the text that gave it away


def prettify_domain(domain: str) -> str:
    """A readable name for an unknown domain: "gulf-times.com" → "Gulf Times", "bbc.co.uk" →
    "BBC"."""
    parts = normalise_domain(domain).split(".")
    while len(parts) > 1 and (len(parts[-1]) <= 3 or parts[-1] in {"info", "news", "online"}):
        parts.pop()
        if parts and parts[-1] in {"co", "com", "org", "net", "gov", "ac", "edu"} and len(parts) > 1:
            parts.pop()
            break
    label = parts[-1] if parts else domain
    words = [w for w in re.split(r"[-_]+", label) if w]
    return " ".join(w.upper() if len(w) <= 3 else w.capitalize() for w in words) or domain


def _canonical(name: str, registry: OutletRegistry | None) -> str:
    if registry is not None:
        hit = registry.by_name(name)
        if hit:
            return hit.name
    return name


def self_reference(text: str, registry: OutletRegistry | None = None) -> OutletGuess | None:
    """The outlet the text names as itself, or None. Candidates are scored by how surely only
    the publisher writes them; ties go to registered outlets, then to the later occurrence
    (footers come last)."""
    cands: list[tuple[int, int, int, str, str]] = []  # weight, registered, position, name, ev
    for pat, weight, what in _SELF_PATTERNS:
        for m in pat.finditer(text):
            name = re.split(r"\.\s", m.group("name").strip())[0].rstrip(".")
            name = re.sub(r"[’']s$", "", name)
            toks: list[str] = []
            for t in name.split():
                if toks and t.casefold() in _TAIL_WORDS:
                    break
                toks.append(t)
            while len(toks) > 1 and toks[-1].isdigit():  # "Copyright X 2019"
                toks.pop()
            w = weight
            if what == "copyright" and not (
                re.search(r"\d{4}", m.group(0))
                or re.search(r"(?i)rights\s+reserved", text[m.end() : m.end() + 40])
            ):
                w = 1  # a bare "© Reuters" is as often a photo credit as a copyright line
            if toks and toks[0].casefold() in _NOT_NAMES and len(toks) > 1:
                toks = toks[1:] if toks[0].casefold() == "the" else toks
            if not toks or toks[0].casefold() in _NOT_NAMES:
                continue
            name = " ".join(toks)
            known = registry.by_name(name) if registry is not None else None
            cands.append((w, int(known is not None), m.start(), name, f"{what}: {m.group(0)}"))
    # The outlet's own domain standing alone on a line (a footer address).
    if registry is not None:
        for m in re.finditer(r"[^\n]+", text):
            line = m.group().strip()
            if line and bp.is_url(line) and " " not in line:
                hit = registry.by_domain(line)
                if hit:
                    cands.append((3, 1, m.start(), hit.name, f"own domain: {line}"))
    if not cands:
        return None
    weight, _, _, name, evidence = max(cands)
    return OutletGuess(_canonical(name, registry), "self_reference", evidence)


def detect_outlet(
    raw: RawDocument, text: str, registry: OutletRegistry | None = None
) -> OutletGuess:
    """The publishing outlet of ``raw`` and how it was known. ``text`` is the normalised
    original, removed lines included (footers are where outlets name themselves)."""
    if raw.outlet and raw.outlet.strip():
        return OutletGuess(_canonical(raw.outlet.strip(), registry), "metadata")
    if raw.site_name and raw.site_name.strip():
        return OutletGuess(_canonical(raw.site_name.strip(), registry), "site_name")
    if raw.url:
        host = normalise_domain(raw.url)
        if host:
            hit = registry.by_domain(host) if registry is not None else None
            return OutletGuess(hit.name if hit else prettify_domain(host), "domain", host)
    guess = self_reference(text, registry)
    return guess or OutletGuess(None, None)
