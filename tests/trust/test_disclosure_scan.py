"""The one disclosure rule, checked from the outside: plant small groups in every kind
of evidence, then read every public page, export, API answer and mail as a visitor, a
resident and a partner, and fail on any figure from which a small count comes back.

Planted (``community.disclosure``: 1-4 is small, 1-9 for under-18s):

- a survey option chosen by 3 of 28 (and one chosen by nobody), a ward (Tudor) and an
  age band (65 to 74) of 3, 7 people aged 16 or 17 (under 10: under-18s), a likert
  question where 5 of 6 agree (1 does not);
- a consultation for young people where 7 of 20 chose an option, 7 are 13 to 15 and 7
  live in one ward;
- a conversation statement with 3 agree, 9 disagree, 1 pass, and an opinion group
  whose 3 votes on it all agree;
- partner figures of 3 (a ward) beside 20, and 7 under-18s;
- an idea with 2 supports, not scanned as a group. Decided: an idea's support count is
  public by design and not a disclosure. Supporting is a public act on a public idea
  (like signing a petition), says nothing about a protected characteristic, and no
  supporter is named.

For each response, every figure in a "record" (a table row, list item, paragraph, SVG
text; a JSON object; a CSV or XLSX row) that names a planted group is read: the small
count itself, a percentage or share that gives back the count or its complement (total
less count) from the total, and a row where the only hidden cell is the small one (the
total less the shown cells) all fail.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from community.extensions import db
from community.models_base import utcnow
from tests.conftest import sign_in_client
from tests.support.factories import make_consultation, make_survey
from tests.test_access_matrix import MATRIX

#: Each reads in its own language: English, Korean (counts run into words: "3명"), Arabic.
ROLES = ("visitor", "resident", "partner")


@dataclass(frozen=True)
class Group:
    """A planted group: how records name it, its true count and the total shown beside it."""

    labels: tuple[str, ...]
    count: int
    total: int
    limit: int = 5

    def named_in(self, record: str) -> bool:
        low = record.lower()
        return any(label.lower() in low for label in self.labels)


@dataclass(frozen=True)
class Row:
    """A planted breakdown: its cells' labels and true counts (one small)."""

    cells: tuple[tuple[str, int], ...]
    limit: int = 5


# --- the scanner ---------------------------------------------------------------------

RECORD_TAGS = {"tr", "li", "p", "text", "title", "desc", "dd", "caption", "figcaption"}


class _Records(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, list[str]]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in RECORD_TAGS:
            self.open.append((tag, []))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                self.found.append(" ".join("".join(self.open[i][1]).split()))
                del self.open[i:]
                break

    def handle_data(self, data):
        for _tag, parts in self.open:
            parts.append(data)


def _json_records(value, context: str = "") -> list[str]:
    """Each object as one record: its scalar members, with the names of its parents."""
    found = []
    if isinstance(value, dict):
        scalars = [f"{k}={v!r}" for k, v in value.items() if not isinstance(v, dict | list)]
        label = " ".join(str(v) for v in value.values() if isinstance(v, str))
        found.append(" ; ".join([context, *scalars]))
        for k, v in value.items():
            if isinstance(v, dict | list):
                found += _json_records(v, f"{context} {label} {k}".strip())
    elif isinstance(value, list):
        for item in value:
            found += _json_records(item, context)
    return found


def records(body: bytes, content_type: str) -> list[str]:
    """The records of a response (see the module's docstring)."""
    if body[:2] == b"PK" and "zip" in content_type:
        archive = zipfile.ZipFile(io.BytesIO(body))
        return [r for n in archive.namelist() for r in records(archive.read(n), n)]
    if body[:2] == b"PK":
        found = []
        for sheet in load_workbook(io.BytesIO(body), read_only=True).worksheets:
            rows = [
                ["" if c is None else str(c) for c in row]
                for row in sheet.iter_rows(values_only=True)
            ]
            head = [h.lower().replace(" ", "_") for h in rows[0]] if rows else []
            found += [
                " ; ".join(f"{k}={v}" for k, v in zip(head, row, strict=False)) for row in rows[1:]
            ]
        return found
    if "json" in content_type:
        return _json_records(json.loads(body))
    if "csv" in content_type:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        head = rows[0] if rows else []
        return [" ; ".join(f"{k}={v}" for k, v in zip(head, row, strict=False)) for row in rows[1:]]
    parser = _Records()
    parser.feed(body.decode("utf-8", "replace"))
    return parser.found


#: A number (a count may run straight into a word, as in Korean "3명"), and a % after it.
NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?!\.?\d)(\s*(?:%|per cent))?")


def _figures(record: str, group: Group):
    text = record
    for label in group.labels:
        text = re.sub(re.escape(label), " ", text, flags=re.IGNORECASE)
    text = re.sub(r"\d{4}-\d\d-\d\d[T\d:.+Z]*", " ", text)  # timestamps
    text = re.sub(r"\b(?:id|\w+_id|finding|question|number|position|statement)=\d+", " ", text)
    for match in NUMBER.finditer(text):
        yield float(match.group(1)), bool(match.group(2))


def _small(n: float, limit: int) -> bool:
    return 0 < n < limit


def leaks(found: list[str], group: Group) -> list[str]:
    """What in these records gives a planted small count back."""
    out = []
    c, t, limit = group.count, group.total, group.limit
    for record in found:
        if not group.named_in(record):
            continue
        for value, percent in _figures(record, group):
            if percent or (0 < value < 1 and value != int(value)):
                share = value / 100 if percent else value
                # The share of the group, or of everyone else: either gives c back.
                for k in (c, t - c):
                    if _small(c, limit) and t and abs(share - k / t) < (0.006 if percent else 1e-3):
                        out.append(f"{share:.0%} of {t} gives {c} back: {record[:200]}")
            elif value == c and _small(c, limit):
                out.append(f"count {c} shown: {record[:200]}")
    return out


def row_leaks(found: list[str], row: Row) -> list[str]:
    """A row whose only hidden non-zero cell is small: the total less the rest gives it."""
    hidden = []
    for label, count in row.cells:
        group = Group((label,), count, 0, row.limit)
        named = [r for r in found if group.named_in(r)]
        if not named or count == 0:
            continue
        shown = any(
            value == count for r in named for value, percent in _figures(r, group) if not percent
        )
        if not shown:
            hidden.append((label, count))
    if len(hidden) == 1 and _small(hidden[0][1], row.limit):
        return [f"only {hidden[0][0]} hidden: the total less the others gives {hidden[0][1]}"]
    return []


# --- the scanner catches a leak ------------------------------------------------------

QUAGGA = Group(("Quagga lane",), 3, 28)


def test_the_scanner_fails_on_an_unsuppressed_page():
    page = (
        b"<table><tr><td>Zebra crossing</td><td>12</td></tr>"
        b"<tr><td>Quagga lane</td><td>3 (11%)</td></tr></table>"
    )
    assert leaks(records(page, "text/html"), QUAGGA)
    shares = b'{"options": [{"label": "Quagga lane", "count": null, "share": 0.1071}]}'
    assert leaks(records(shares, "application/json"), QUAGGA)
    complement = b"<ul><li>Streets feel safe: 6 answered, 83% agreed</li></ul>"
    assert leaks(records(complement, "text/html"), Group(("Streets feel safe",), 1, 6))
    row = Row((("Zebra crossing", 12), ("Quagga lane", 3), ("Tapir road", 6)))
    only_one = (
        b"<table><tr><td>Zebra crossing</td><td>12</td></tr><tr><td>Quagga lane</td>"
        b"<td>fewer than 5</td></tr><tr><td>Tapir road</td><td>6</td></tr></table>"
    )
    assert row_leaks(records(only_one, "text/html"), row)


def test_the_scanner_passes_a_suppressed_page():
    page = (
        b"<table><tr><td>Zebra crossing</td><td>12</td></tr><tr><td>Quagga lane</td>"
        b"<td>fewer than 5</td></tr><tr><td>Tapir road</td><td>not shown</td></tr></table>"
    )
    found = records(page, "text/html")
    assert not leaks(found, QUAGGA)
    row = Row((("Zebra crossing", 12), ("Quagga lane", 3), ("Tapir road", 6)))
    assert not row_leaks(found, row)


# --- the planted data ----------------------------------------------------------------

ROUTE = ("Zebra crossing", "Quagga lane", "Okapi path", "Tapir road")
HANGOUT = ("Skatepark", "Library")

GROUPS = [
    QUAGGA,
    Group(("Tudor",), 3, 28),
    Group(("65 to 74", "65_74"), 3, 28),
    Group(("16 or 17", "16_17"), 7, 28, 10),  # under-18s among adults
    Group(("Streets feel safe",), 1, 6),
    Group(("Skatepark",), 7, 20, 10),
    Group(("13 to 15", "13_15"), 7, 20, 10),
    Group(("Berrylands",), 7, 20, 10),  # a ward of a consultation for young people
    Group(("Young people want somewhere safe to meet",), 7, 20, 10),  # a youth finding
    Group(("More patrols at night",), 3, 13),
    Group(("More patrols at night",), 3, 3),  # opinion group 1: all 3 of its votes agree
    Group(("Quagga incidents",), 3, 23),
    Group(("Youth cautions",), 7, 7, 10),
]
ROWS = [
    Row(tuple(zip(ROUTE, (19, 3, 0, 6), strict=True))),
    Row((("Skatepark", 7), ("Library", 13)), 10),
]


def _respond(survey, n, answers: dict, about: dict):
    from community.surveys.models import AboutYouAnswer, Answer, Response, ResponseStatus

    questions = {q.text: q for q in survey.questions}
    for _ in range(n):
        response = Response(
            survey_id=survey.id, status=ResponseStatus.SUBMITTED, submitted_at=utcnow()
        )
        db.session.add(response)
        for text, value in answers.items():
            response.answers.append(Answer(question_id=questions[text].id, value=value))
        db.session.flush()
        for key, value in about.items():
            db.session.add(AboutYouAnswer(response_id=response.id, key=key, value=value))


def _plant(app, users) -> dict:
    from sqlalchemy import select

    from community.accounts.models import Organisation
    from community.api import tokens
    from community.api.models import TokenScope
    from community.consultations.models import Audience
    from community.contributions.models import ContributionStatus
    from community.conversations.models import Conversation, Statement
    from community.framework.models import Term
    from community.ideas.models import Idea, IdeaBoard, Support
    from community.partners.models import ConsultationShare, PartnerFigure, SharingAgreement
    from community.plan import outcomes
    from community.plan import service as plan_service
    from community.plan.models import (
        EvidenceKind,
        Finding,
        FindingEvidence,
        FindingResponse,
        PlanAction,
        ResponseKind,
    )

    consultation = make_consultation(phase="outcome", title="Getting about safely")
    survey = make_survey(
        consultation,
        [
            (
                "Page",
                [
                    {
                        "kind": "single_choice",
                        "text": "Which way do you come?",
                        "options": {"choices": list(ROUTE)},
                    },
                    {"kind": "likert", "text": "Streets feel safe"},
                ],
            )
        ],
        about_you=["ward", "age_band"],
    )
    way, safe = "Which way do you come?", "Streets feel safe"
    _respond(
        survey, 5, {way: {"choice": ROUTE[0]}, safe: 5}, {"ward": "norbiton", "age_band": "25_34"}
    )
    _respond(survey, 7, {way: {"choice": ROUTE[0]}}, {"ward": "norbiton", "age_band": "25_34"})
    _respond(survey, 7, {way: {"choice": ROUTE[0]}}, {"ward": "norbiton", "age_band": "16_17"})
    _respond(survey, 3, {way: {"choice": ROUTE[1]}}, {"ward": "tudor", "age_band": "65_74"})
    _respond(
        survey, 1, {way: {"choice": ROUTE[3]}, safe: 1}, {"ward": "tolworth", "age_band": "25_34"}
    )
    _respond(survey, 5, {way: {"choice": ROUTE[3]}}, {"ward": "tolworth", "age_band": "25_34"})

    youth = make_consultation(
        phase="outcome", title="Where young people go", audience=Audience.YOUTH
    )
    hangout = make_survey(
        youth,
        [
            (
                "Page",
                [
                    {
                        "kind": "single_choice",
                        "text": "Where do you go?",
                        "options": {"choices": list(HANGOUT)},
                    }
                ],
            )
        ],
        about_you=["age_band", "ward"],
    )
    _respond(
        hangout,
        7,
        {"Where do you go?": {"choice": "Skatepark"}},
        {"age_band": "13_15", "ward": "berrylands"},
    )
    _respond(
        hangout,
        13,
        {"Where do you go?": {"choice": "Library"}},
        {"age_band": "16_17", "ward": "canbury-gardens"},
    )

    conversation = Conversation(
        consultation_id=consultation.id, question="What would make the walk home safer?"
    )
    db.session.add(conversation)
    db.session.flush()
    statements = [
        Statement(
            conversation_id=conversation.id,
            consultation_id=consultation.id,
            body=body,
            status=ContributionStatus.PUBLISHED,
            published_at=utcnow(),
        )
        for body in ("More patrols at night", "Brighter lamps everywhere")
    ]
    db.session.add_all(statements)
    db.session.flush()
    patrols, lamps = (str(s.id) for s in statements)
    conversation.results = {
        "participants": 40,
        "votes": 53,
        "k": 2,
        "groups": {"0": 20, "1": 20},
        "membership": {},
        "map": {},
        "statements": {
            patrols: {
                "agree": 3, "disagree": 9, "pass": 1, "votes": 13,
                "agree_share": 3 / 13, "agree_low": 0.08, "agree_high": 0.5,
                "consensus_agree": 0.2,
                "groups": {"0": {"agree": 3, "disagree": 0, "pass": 0},
                           "1": {"agree": 0, "disagree": 9, "pass": 1}},
            },
            lamps: {
                "agree": 30, "disagree": 8, "pass": 2, "votes": 40,
                "agree_share": 0.75, "agree_low": 0.6, "agree_high": 0.86,
                "consensus_agree": 0.55,
                "groups": {"0": {"agree": 15, "disagree": 4, "pass": 1},
                           "1": {"agree": 15, "disagree": 4, "pass": 1}},
            },
        },
        "representative": {"0": [{"statement": int(patrols), "side": "agree", "share": 1.0}]},
        "majority": [
            {"statement": int(lamps), "side": "agree", "share": 0.75, "p": 0.9, "test": 3.0}
        ],
    }  # fmt: skip
    conversation.results_computed_at = utcnow()
    conversation.stale = False

    board = IdeaBoard(consultation_id=consultation.id, title="Ideas for the walk home")
    db.session.add(board)
    db.session.flush()
    idea = Idea(
        board_id=board.id,
        author_id=users["resident"].id,
        title="A walking bus",
        body="Walk together",
        status=ContributionStatus.PUBLISHED,
    )
    db.session.add(idea)
    db.session.flush()
    db.session.add_all(
        [Support(idea_id=idea.id, user_id=users[r].id) for r in ("resident", "partner")]
    )

    issue = db.session.scalar(select(Term).where(Term.code == "road-safety"))
    tudor = db.session.scalar(select(Term).where(Term.code == "tudor"))
    norbiton = db.session.scalar(select(Term).where(Term.code == "norbiton"))
    agreement = SharingAgreement(
        organisation=Organisation.POLICE, name="ISA", signed_on=date(2025, 4, 1)
    )
    db.session.add(agreement)
    db.session.flush()
    for ward, measure, value, young in (
        (tudor, "Quagga incidents", 3, False),
        (norbiton, "Quagga incidents", 20, False),
        (None, "Youth cautions", 7, True),
    ):
        db.session.add(
            PartnerFigure(
                agreement_id=agreement.id,
                issue_id=issue.id,
                ward_id=ward.id if ward else None,
                measure=measure,
                # Months 11 and 12: no date on the page reads as a planted count.
                period_start=date(2025, 11, 1),
                period_end=date(2025, 12, 31),
                value=value,
                counts_youth=young,
            )
        )
    for shared in (consultation, youth):
        for organisation in Organisation:
            db.session.add(ConsultationShare(consultation_id=shared.id, organisation=organisation))
    db.session.flush()

    question = survey.sections[0].questions[1]
    finding = Finding(
        consultation_id=consultation.id,
        statement="People feel safe on the streets",
        published_at=consultation.outcome_published_at,
        figures={"contributions": 0, "answered": 6, "evidence": 1},
    )
    finding.evidence = [
        FindingEvidence(
            kind=EvidenceKind.QUESTION,
            question_id=question.id,
            frozen={"answered": 6, "agree_share": 5 / 6},
        ),
        FindingEvidence(
            kind=EvidenceKind.TERM,
            term_id=issue.id,
            frozen={"contributions": 0, "of": 3, "share": 0.0, "ids": []},
        ),
    ]
    young = Finding(
        consultation_id=youth.id,
        statement="Young people want somewhere safe to meet",
        published_at=youth.outcome_published_at,
        figures={"contributions": 0, "answered": 7, "evidence": 0},
    )
    db.session.add_all([finding, young])
    plan_service.seed_plan(app.config["PLAN_FILE"])
    action = db.session.scalar(select(PlanAction).order_by(PlanAction.id))
    db.session.flush()
    for answered in (finding, young):
        db.session.add(
            FindingResponse(
                finding_id=answered.id,
                kind=ResponseKind.EXISTING_ACTION,
                action_id=action.id,
                explanation="Taken into the plan",
            )
        )
    db.session.commit()
    outcomes.queue_outcome_mails(consultation, {users["resident"].id: "https://example.com/stop"})
    db.session.commit()
    api_token, secret = tokens.issue(
        name="Partner dashboard",
        scope=TokenScope.ANALYSIS,
        organisation=Organisation.POLICE,
        expires_on=date(2099, 1, 1),
        user=None,
    )
    db.session.commit()
    return {
        "consultation": consultation.id,
        "consultation_slug": consultation.slug,
        "closed_slug": consultation.slug,
        "outcome_slug": consultation.slug,
        "youth_slug": youth.slug,
        "published_evidence": finding.evidence[0].id,
        "action": action.id,
        "survey": survey.id,
        "youth_survey": hangout.id,
        "survey_question": survey.sections[0].questions[0].id,
        "conversation": conversation.id,
        "board": board.id,
        "idea": idea.id,
        "issue": issue.id,
        "term": issue.id,
        "secret": secret,
    }


#: GET routes that change state or only send elsewhere: not read. Choosing a language
#: is read once per language below instead, so the walk does not depend on its order.
SKIP = {"static", "accounts.sign_out", "main.choose_language"}
#: Routes that show planted figures: each must be read.
MUST_READ = {
    "plan.action",
    "plan.outcome",
    "plan.evidence",
    "survey_results.show",
    "conversations.results",
    "opendata.dataset_json",
    "opendata.dataset_csv",
    "api.results",
    "api.consensus",
    "api.partner_figures",
    "partnership.matrix",
}


def _urls(app, ids) -> dict[str, tuple[str, set[str]]]:
    from flask import url_for

    urls = {}
    with app.test_request_context():
        for name, route in MATRIX.items():
            if route.method != "GET" or name in SKIP:
                continue
            try:
                args = route.args(ids)
            except KeyError:
                continue
            urls[name] = (url_for(name, **args), set(route.allowed) | {"visitor"})
        # The youth consultation's pages, too.
        for name, args in (
            ("plan.outcome", {"slug": ids["youth_slug"]}),
            ("survey_results.show", {"survey_id": ids["youth_survey"]}),
            ("opendata.dataset_json", {"slug": ids["youth_slug"]}),
            ("opendata.dataset_csv", {"slug": ids["youth_slug"]}),
            ("api.results", {"slug": ids["youth_slug"]}),
            ("survey_results.export_csv", {"survey_id": ids["youth_survey"]}),
        ):
            urls[f"{name} (youth)"] = (url_for(name, **args), {"visitor"})
    return urls


def _translated(app, groups: list[Group]) -> list[Group]:
    """The groups with their labels in every language of the site (pages follow the reader's)."""
    from flask_babel import force_locale
    from flask_babel import gettext as translate

    out = []
    with app.test_request_context():
        for group in groups:
            labels = set(group.labels)
            for language in app.config["LANGUAGES"]:
                with force_locale(language):
                    labels |= {translate(label) for label in group.labels}
            out.append(Group(tuple(sorted(labels)), group.count, group.total, group.limit))
    return out


@pytest.mark.slow  # every GET route for three roles, exports and API answers (6-12 s)
def test_no_public_figure_gives_a_small_count_away(app, framework, users):
    from community.notifications.models import OutboxMessage

    groups = _translated(app, GROUPS)

    with app.app_context():
        ids = _plant(app, users)
        mails = [(m.text_body, m.html_body) for m in db.session.query(OutboxMessage).all()]
    urls = _urls(app, ids)
    read: dict[str, list[str]] = {}
    failures: list[str] = []
    seen: set[Group] = set()
    for role, language in zip(ROLES, ("en", "ko", "ar"), strict=True):
        client = app.test_client() if role == "visitor" else sign_in_client(app, users[role])
        client.get(f"/language/{language}")
        for name, (url, _allowed) in urls.items():
            response = client.get(url)
            if response.status_code != 200:
                continue
            found = records(response.data, response.content_type or "")
            read.setdefault(name.split(" ")[0], []).append(role)
            seen.update(g for g in groups if any(g.named_in(r) for r in found))
            for group in groups:
                failures += [f"{role} {url}: {x}" for x in leaks(found, group)]
            for row in ROWS:
                failures += [f"{role} {url}: {x}" for x in row_leaks(found, row)]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {ids['secret']}"}
    for name, (url, _allowed) in urls.items():
        if not name.startswith("api."):
            continue
        response = client.get(url, headers=headers)
        if response.status_code == 200:
            read.setdefault(name.split(" ")[0], []).append("token")
            found = records(response.data, response.content_type or "")
            for group in groups:
                failures += [f"token {url}: {x}" for x in leaks(found, group)]
    for text, html in mails:
        found = records(html.encode(), "text/html") + text.splitlines()
        for group in groups:
            failures += [f"mail: {x}" for x in leaks(found, group)]
    assert mails, "the outcome mail was not queued"
    unread = MUST_READ - read.keys()
    assert not unread, f"pages with planted figures were not read: {sorted(unread)}"
    # The scanner is not blind: every planted group is named somewhere it looked.
    assert seen == set(groups), f"never found: {set(groups) - seen}"
    assert not failures, "\n".join(sorted(set(failures)))
