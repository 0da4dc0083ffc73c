"""Automatic holds: personal data and abusive words in what people write.

Pure functions over text, so they can be tested on a corpus of examples. Each
finding names its kind and where it is, so a moderator can see why something was
held and publish it with just those parts removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")

#: UK phone numbers: +44 or 0, then 9-10 more digits, allowing spaces, dots, dashes
#: and brackets between groups (07700 900123, +44 (0)20 7946 0958, 020-7946-0958).
PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)(?:\d[\s().-]{0,2}){8,10}\d(?!\d)")

#: Full UK postcodes (outward and inward code), e.g. KT1 1EU, SW1A 1AA, kt11eu.
POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*\d[A-Z]{2}\b", re.IGNORECASE)

STREET_WORDS = (
    "road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|gardens|gdns|crescent|cres|"
    "grove|place|pl|terrace|court|ct|hill|rise|park|square|sq|walk|mews|parade|row|green"
)
#: A house number followed by a street name: "12 Acacia Avenue", "4a Penrhyn Road".
ADDRESS = re.compile(
    rf"\b\d{{1,4}}[a-z]?,?\s+(?:[A-Z][a-z'’-]+\s+){{1,3}}(?:{STREET_WORDS})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    kind: str  # email | phone | postcode | address | abuse
    start: int
    end: int
    text: str


def _matches(kind: str, pattern: re.Pattern, text: str) -> list[Finding]:
    return [Finding(kind, m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]


def _address_matches(text: str) -> list[Finding]:
    findings = []
    for match in ADDRESS.finditer(text):
        # "the 3 parks" is not an address: the words before the street word must be
        # a proper name (capitalised) in the original text.
        words = match.group(0).split()[1:-1]
        if words and all(w[:1].isupper() for w in words):
            findings.append(Finding("address", match.start(), match.end(), match.group(0)))
    return findings


def _abuse_matches(text: str, words: list[str]) -> list[Finding]:
    findings = []
    for word in words:
        word = word.strip()
        if not word:
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
        findings.extend(_matches("abuse", pattern, text))
    return findings


def find(text: str, abuse_words: list[str] | tuple[str, ...] = ()) -> list[Finding]:
    """Everything in ``text`` that should hold it for review, in order of position."""
    text = text or ""
    findings = (
        _matches("email", EMAIL, text)
        + _matches("phone", PHONE, text)
        + _matches("postcode", POSTCODE, text)
        + _address_matches(text)
        + _abuse_matches(text, list(abuse_words))
    )
    return sorted(findings, key=lambda f: (f.start, -f.end))


def reasons(findings: list[Finding]) -> list[str]:
    """The distinct kinds found, in a stable order."""
    order = ["email", "phone", "postcode", "address", "abuse"]
    kinds = {f.kind for f in findings}
    return [k for k in order if k in kinds]


REDACTED = "[removed]"


def redact(text: str, kinds: tuple[str, ...] = ("email", "phone", "postcode", "address")) -> str:
    """The text with personal data replaced by "[removed]" (abuse is for a moderator to judge)."""
    spans = [f for f in find(text) if f.kind in kinds]
    result, last = [], 0
    for finding in spans:
        if finding.start < last:
            continue
        result.append(text[last : finding.start])
        result.append(REDACTED)
        last = finding.end
    result.append(text[last:])
    return "".join(result)
