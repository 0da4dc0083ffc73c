"""Demo: the plan, and one published outcome (we asked, you said, we did)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ..accounts.models import Role, User
from ..consultations.models import Consultation
from ..extensions import db
from ..models_base import utcnow
from ..plan import findings, outcomes, service
from ..plan.models import ActionStatus, EvidenceKind, Finding, PlanAction, ResponseKind
from ..surveys.models import Question, Section, Survey

FINDINGS = [
    (
        "Young people told us there are not enough things to do in their area, "
        "and that this is one reason some carry knives.",
        "There are enough things for young people to do in my area",
        ResponseKind.EXISTING_ACTION,
        "Counter-narrative projects led by young people",
        "Youth groups can now propose projects through this site; the first are in co-design.",
    ),
    (
        "Many young people said they carry knives because they are scared.",
        "Young people carry knives because they are scared",
        ResponseKind.NOT_TAKEN_FORWARD,
        None,
        "A knife amnesty was suggested; the partnership will not run one this year because "
        "the last one reached few young people. Detached youth work answers the fear instead.",
    ),
]


#: Consultation themes for the youth survey's written answers: code → (name, words
#: that place an answer in it, framework terms it maps to).
THEMES = {
    "activities": (
        "Things to do",
        ("youth clubs", "sport", "music"),
        (
            "issue:serious-violence-and-knife-crime",
            "issue:youth-safety-and-exploitation",
            "principle:PH1",
            "five_c:C4",
            "prevention:P1",
        ),
    ),
    "role-models": (
        "Role models and trusted adults",
        ("mentors", "police who get to know"),
        ("issue:youth-safety-and-exploitation", "principle:PH3", "five_c:C4", "prevention:P2"),
    ),
    "places": (
        "Safer places",
        ("lighting",),
        ("issue:serious-violence-and-knife-crime", "principle:PH2", "prevention:P1"),
    ),
}


def _tag_youth_answers(consultation, officer) -> dict:
    """The demo officer's codebook: three themes mapped to the framework, answers tagged."""
    from ..contributions.models import Contribution, ContributionStatus
    from ..framework.models import Term, Vocabulary
    from ..tagging.models import Tag, Theme

    terms = {
        f"{vocabulary}:{term.code}": term
        for vocabulary, term in db.session.execute(
            select(Vocabulary.code, Term).join(Term.vocabulary)
        )
    }
    themes = {}
    for position, (code, (name, _words, term_codes)) in enumerate(THEMES.items()):
        theme = Theme(consultation_id=consultation.id, code=code, name=name, position=position)
        theme.terms = [terms[c] for c in term_codes if c in terms]
        db.session.add(theme)
        themes[code] = theme
    db.session.flush()
    answers = db.session.scalars(
        select(Contribution).where(
            Contribution.consultation_id == consultation.id,
            Contribution.status == ContributionStatus.PUBLISHED,
        )
    )
    for answer in answers:
        text = answer.body.lower()
        for code, (_name, words, _terms) in THEMES.items():
            if any(word in text for word in words):
                db.session.add(
                    Tag(contribution_id=answer.id, theme_id=themes[code].id, coder_id=officer.id)
                )
    db.session.flush()
    return themes


#: The demo plan's actions, in the plan's order: one at every status, and one overdue.
STATUSES = [
    (ActionStatus.IN_PROGRESS, 60, -30),  # due a month ago and not done: overdue
    (ActionStatus.IN_PROGRESS, 40, 200),
    (ActionStatus.DONE, 100, -60),
    (ActionStatus.PLANNED, 0, 300),
    (ActionStatus.PAUSED, 25, 150),
    (ActionStatus.DROPPED, 10, 90),
]


def _action_statuses() -> None:
    """Statuses, progress and due dates that show every state an action can be in."""
    today = utcnow().date()
    actions = db.session.scalars(select(PlanAction).order_by(PlanAction.id)).all()
    for action, (status, progress, due_in) in zip(actions, STATUSES, strict=False):
        action.status, action.progress = status, progress
        action.due_on = today + timedelta(days=due_in)


def load_demo_plan() -> Iterator[str]:
    if service.seed_plan(current_app.config["PLAN_FILE"]):
        _action_statuses()
        yield "Plan: Safer Kingston Partnership Plan 2024-2029 loaded"
    youth = db.session.scalar(
        select(Consultation).where(Consultation.slug == "youth-voice-knife-crime")
    )
    if youth is None or youth.outcome_published_at or findings.findings_for(youth.id):
        return
    officer = db.session.scalar(select(User).where(User.role == Role.OFFICER).limit(1))
    themes = _tag_youth_answers(youth, officer)
    questions = {
        q.text: q
        for q in db.session.scalars(
            select(Question).join(Section).join(Survey).where(Survey.consultation_id == youth.id)
        )
    }
    for statement, item, kind, action_title, explanation in FINDINGS:
        finding = findings.create_finding(youth, statement, youth.terms, officer)
        findings.add_evidence(finding, EvidenceKind.QUESTION, questions[item].id, officer)
        if kind == ResponseKind.EXISTING_ACTION:
            findings.add_evidence(finding, EvidenceKind.THEME, themes["activities"].id, officer)
        action = (
            db.session.scalar(select(PlanAction).where(PlanAction.title == action_title))
            if action_title
            else None
        )
        findings.set_response(finding, kind, explanation, officer, action=action)
    db.session.flush()
    outcomes.publish_outcome(youth, officer)
    published = db.session.scalar(select(Finding.id).where(Finding.consultation_id == youth.id))
    yield f"Demo outcome: Youth voice: knife crime ({len(FINDINGS)} findings, first #{published})"
