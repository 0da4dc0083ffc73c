"""Demo: the plan, and one published outcome (we asked, you said, we did)."""

from __future__ import annotations

from collections.abc import Iterator

from flask import current_app
from sqlalchemy import select

from .accounts.models import Role, User
from .consultations.models import Consultation
from .extensions import db
from .plan import service
from .plan.models import EvidenceKind, Finding, PlanAction, ResponseKind
from .surveys.models import Question, Section, Survey

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


def load_demo_plan() -> Iterator[str]:
    if service.seed_plan(current_app.config["PLAN_FILE"]):
        yield "Plan: Safer Kingston Partnership Plan 2024-2029 loaded"
    youth = db.session.scalar(
        select(Consultation).where(Consultation.slug == "youth-voice-knife-crime")
    )
    if youth is None or youth.outcome_published_at or service.findings_for(youth.id):
        return
    officer = db.session.scalar(select(User).where(User.role == Role.OFFICER).limit(1))
    questions = {
        q.text: q
        for q in db.session.scalars(
            select(Question).join(Section).join(Survey).where(Survey.consultation_id == youth.id)
        )
    }
    for statement, item, kind, action_title, explanation in FINDINGS:
        finding = service.create_finding(youth, statement, youth.terms, officer)
        service.add_evidence(finding, EvidenceKind.QUESTION, questions[item].id, officer)
        action = (
            db.session.scalar(select(PlanAction).where(PlanAction.title == action_title))
            if action_title
            else None
        )
        service.set_response(finding, kind, explanation, officer, action=action)
    db.session.flush()
    service.publish_outcome(youth, officer)
    published = db.session.scalar(select(Finding.id).where(Finding.consultation_id == youth.id))
    yield f"Demo outcome: Youth voice: knife crime ({len(FINDINGS)} findings, first #{published})"
