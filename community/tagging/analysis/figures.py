"""The analysis of a consultation: each theme and framework term, by ward and by age band.

Counts are contributions, not tags. A framework term's count includes the
contributions coded to a theme mapped onto it ("including mapped themes"), so an
officer's own codebook adds up into the partnership's framework. Three queries
load everything (contributions in scope, their tags, the pinned quotes); the
rest is counting in Python, so the page costs the same whatever its size.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from ...contributions.models import Contribution, ContributionStatus
from ...extensions import db
from ...surveys import about_you
from ..codebook import THEMES, Code, Codebook
from ..models import CONFIRMED_SOURCES, Tag, code_key
from ..queries import UNKNOWN, Filters, scope

#: How many pinned quotes are shown for each code.
QUOTES_PER_CODE = 3


@dataclass
class Quote:
    contribution_id: int
    body: str
    status: ContributionStatus


@dataclass
class Row:
    code: Code
    #: Contributions coded to it (for a term: also through mapped themes).
    total: int
    #: Contributions coded to it directly.
    direct: int
    by_ward: Counter
    by_age: Counter
    youth: int
    adults: int
    quotes: list[Quote] = field(default_factory=list)
    #: For a term: themes mapped onto it; for a theme: the terms it is mapped to.
    links: list[Code] = field(default_factory=list)

    @property
    def via_themes(self) -> bool:
        return self.code.group != THEMES and self.total != self.direct


@dataclass
class Section:
    code: str
    name: str
    rows: list[Row]


@dataclass
class Analysis:
    contributions: int
    #: Contributions in scope an officer has coded (as on the progress page).
    analysed: int
    sections: list[Section]
    wards: list[tuple[str, str]]
    ages: list[tuple[str, str]]


def ward_labels(codebook: Codebook) -> dict[str, str]:
    # The framework's own "prefer not to say" area is never an answer: about-you
    # answers use PREFER_NOT (as about_you.choices does), so it is listed once.
    labels = {
        c.code: c.name
        for c in codebook.by_key.values()
        if c.group == "area" and c.code != "prefer-not-to-say"
    }
    labels[about_you.PREFER_NOT] = _("Prefer not to say")
    labels[UNKNOWN] = _("Not known")
    return labels


def age_labels() -> dict[str, str]:
    labels = {code: str(text) for code, text in about_you.choices(about_you.QUESTIONS["age_band"])}
    labels[UNKNOWN] = _("Not known")
    return labels


def build(
    consultation_id: int,
    codebook: Codebook,
    statuses: tuple[ContributionStatus, ...],
    filters: Filters,
    group: str = "",
) -> Analysis:
    """Counts for every code with contributions (every active theme, even at zero)."""
    people = {
        row.id: (row.by_youth, row[3] or UNKNOWN, row[4] or UNKNOWN)
        for row in scope(consultation_id, statuses, Filters(**filters.as_args(key="")), None)
    }
    coded: dict[str, set[int]] = defaultdict(set)
    analysed: set[int] = set()
    for cid, term_id, theme_id, source in db.session.execute(
        select(Tag.contribution_id, Tag.term_id, Tag.theme_id, Tag.source)
        .join(Contribution, Contribution.id == Tag.contribution_id)
        .where(Contribution.consultation_id == consultation_id, Contribution.status.in_(statuses))
    ):
        if cid in people:
            coded[code_key(term_id, theme_id)].add(cid)
            if source in CONFIRMED_SOURCES:
                analysed.add(cid)
    quotes = _quotes(consultation_id, statuses, set(people))
    mapped = codebook.mapped_terms()
    theme_terms = {
        t.key: [codebook.by_key[code_key(term.id, None)] for term in t.terms]
        for t in codebook.themes
    }
    sections = []
    for g in codebook.groups:
        if group and g.code != group:
            continue
        rows = []
        # Retired codes still count where contributions were coded to them.
        retired = [
            c
            for c in codebook.by_key.values()
            if c.group == g.code and not c.active and c.key in coded
        ]
        for code in [*g.codes, *retired]:
            direct = coded.get(code.key, set())
            combined = set(direct)
            for theme_key in mapped.get(code.key, ()):
                combined |= coded.get(theme_key, set())
            if not combined and g.code != THEMES:
                continue
            row = _row(code, combined, len(direct), people)
            row.quotes = quotes.get(code.key, [])[:QUOTES_PER_CODE]
            row.links = (
                theme_terms.get(code.key, [])
                if g.code == THEMES
                else [codebook.by_key[k] for k in sorted(mapped.get(code.key, ()))]
            )
            rows.append(row)
        if rows:
            sections.append(Section(g.code, g.name, rows))
    return Analysis(
        contributions=len(people),
        analysed=len(analysed),
        sections=sections,
        wards=_columns(ward_labels(codebook), Counter(p[1] for p in people.values())),
        ages=_columns(age_labels(), Counter(p[2] for p in people.values())),
    )


def _row(code: Code, ids: set[int], direct: int, people: dict) -> Row:
    by_ward, by_age = Counter(), Counter()
    youth = 0
    for cid in ids:
        is_youth, ward, age = people[cid]
        by_ward[ward] += 1
        by_age[age] += 1
        youth += bool(is_youth)
    return Row(code, len(ids), direct, by_ward, by_age, youth, len(ids) - youth)


def _columns(labels: dict[str, str], present: Counter) -> list[tuple[str, str]]:
    """The breakdown's columns that have contributions, in the labels' order, "not known" last."""
    ordered = [(code, label) for code, label in labels.items() if present.get(code)]
    ordered += [(code, code) for code in present if code not in labels]
    return sorted(ordered, key=lambda c: c[0] == UNKNOWN)


def _quotes(consultation_id: int, statuses, in_scope: set[int]) -> dict[str, list[Quote]]:
    """Pinned contributions by code, oldest first (one query)."""
    found: dict[str, list[Quote]] = defaultdict(list)
    for term_id, theme_id, cid, body, status in db.session.execute(
        select(Tag.term_id, Tag.theme_id, Contribution.id, Contribution.body, Contribution.status)
        .join(Contribution, Contribution.id == Tag.contribution_id)
        .where(
            Tag.pinned.is_(True),
            Contribution.consultation_id == consultation_id,
            Contribution.status.in_(statuses),
        )
        .order_by(Contribution.created_at, Contribution.id)
    ):
        if cid in in_scope:
            found[code_key(term_id, theme_id)].append(Quote(cid, body, status))
    return found
