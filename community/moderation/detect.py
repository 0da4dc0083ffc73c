"""Automatic holds: personal data and abusive words in what people write.

Pure functions over text, so they can be tested on a corpus of examples. Each
finding names its kind and where it is, so a moderator can see why something was
held and publish it with just those parts removed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Letters and combining marks of any script: Tamil vowel signs and Arabic harakat are
#: marks, not letters, but are part of a word (and of an internationalised address).
_WORD = r"\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u0b80-\u0bff"
#: Boundaries that only look at Latin letters and digits: Korean particles and Arabic
#: words are often written straight after a number or a postcode ("010-1234-5678로").
_NOT_AFTER_ASCII = r"(?<![0-9A-Za-z])"
_NOT_BEFORE_ASCII = r"(?![0-9A-Za-z])"

#: Any address, in any script: 민지@예시.한국, jo@example.com, user@مثال.مصر.
#: A Latin top-level domain ends at the first non-Latin letter ("jo@example.com으로").
EMAIL = re.compile(
    rf"[{_WORD}.%+-]+@(?:[{_WORD}-]+\.)+(?:[A-Za-z]{{2,}}{_NOT_BEFORE_ASCII}|[{_WORD}]{{2,}})"
)

_SEP = r"[\s().-]{0,2}"
#: UK numbers: +44 or 0, then 9-10 more digits, allowing spaces, dots, dashes and
#: brackets between groups (07700 900123, +44 (0)20 7946 0958, 020-7946-0958); the
#: same shape covers Korean (010-1234-5678), Egyptian and Saudi numbers. Then any
#: international number (+82 10 1234 5678, +48 600 123 456, +91 98765 43210), Polish
#: mobiles (600 123 456) and Indian mobiles (98765 43210). Digits of any script are
#: read as ASCII first (see ``fold``).
PHONE = re.compile(
    rf"(?<![0-9A-Za-z+])(?:"
    rf"(?:\+44\s?(?:\(0\)\s?)?|\(?0)(?:\d{_SEP}){{8,10}}\d"
    rf"|\+\s?\d{{1,3}}{_SEP}(?:\d{_SEP}){{6,12}}\d"
    rf"|[4-8]\d{{2}}[ -]?\d{{3}}[ -]?\d{{3}}(?!\s?(?:zł|PLN|złotych|%))"
    rf"|[6-9]\d{{4}}[ -]?\d{{5}}"
    rf")(?!\d)",
    re.ASCII,
)

#: Full UK postcodes (outward and inward code), e.g. KT1 1EU, SW1A 1AA, kt11eu.
POSTCODE = re.compile(
    rf"{_NOT_AFTER_ASCII}(?:[A-Z]{{1,2}}\d[A-Z\d]?|GIR)\s*\d[A-Z]{{2}}{_NOT_BEFORE_ASCII}",
    re.IGNORECASE,
)

#: Full-width forms (＠, ０-９, ＋) as Korean and other East Asian keyboards type them.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def fold(text: str) -> str:
    """The text with full-width forms and digits of every script (Arabic-Indic ٠١٢,
    Persian ۰۱۲, Tamil ௧௨, Devanagari …) as ASCII, one character for one, so positions
    found in the folded text are positions in the original."""
    if text.isascii():
        return text
    text = text.translate(_FULL_WIDTH)
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(0))), text)


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


#: Scripts whose words take particles and suffixes written onto them (Korean, Tamil,
#: Arabic), where an abuse word is matched inside a longer word.
_AGGLUTINATIVE = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f\u0b80-\u0bff\u0600-\u06ff]")


def abuse_pattern(word: str) -> re.Pattern | None:
    """How one entry of the abuse list is matched.

    English and Polish: whole words ("Scunthorpe" is not held for a word inside it); a
    trailing ``*`` takes any ending, for inflected forms ("kurw*"). Korean, Tamil and
    Arabic: anywhere, since particles and clitics are written onto the word."""
    word = word.strip()
    stem = word.endswith("*")
    word = word.rstrip("*").strip()
    if not word:
        return None
    if word.endswith("\u0bcd"):
        # Tamil: a final consonant's pulli (்) gives way to the vowel sign of an ending
        # (சனியன் → சனியனே), so the stem is matched without it.
        word = word[:-1]
    body = re.escape(word)
    if _AGGLUTINATIVE.search(word):
        return re.compile(body, re.IGNORECASE)
    tail = rf"[{_WORD}]*" if stem else rf"(?![{_WORD}])"
    return re.compile(rf"(?<![{_WORD}]){body}{tail}", re.IGNORECASE)


def _abuse_matches(text: str, words: list[str]) -> list[Finding]:
    findings = []
    for word in words:
        pattern = abuse_pattern(word)
        if pattern is not None:
            findings.extend(_matches("abuse", pattern, text))
    return findings


def find(text: str, abuse_words: list[str] | tuple[str, ...] = ()) -> list[Finding]:
    """Everything in ``text`` that should hold it for review, in order of position."""
    original = text or ""
    text = fold(original)
    findings = (
        _matches("email", EMAIL, text)
        + _matches("phone", PHONE, text)
        + _matches("postcode", POSTCODE, text)
        + _address_matches(text)
        + _abuse_matches(text, list(abuse_words))
    )
    # Report the writer's own characters (٠٧٧٠٠ …), not the folded ones.
    findings = [Finding(f.kind, f.start, f.end, original[f.start : f.end]) for f in findings]
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
