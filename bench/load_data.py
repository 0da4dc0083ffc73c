"""Realistic data for bench/load.py, written straight to PostgreSQL in bulk.

Run inside the app (``create_app`` on the bench database, after ``flask db upgrade``
and ``flask seed``): the consultations, surveys and their questions through the
models, then the responses, answers and published free text with set-based SQL
(``generate_series``), so 100,000 responses take seconds, not an hour.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from community.consultations.models import Consultation
from community.extensions import db
from community.models_base import utcnow
from community.surveys.models import Question, Section, Survey

CHOICES = ["Yes", "No", "Not sure"]
#: The answering survey: three sections, eleven questions (as in the issue).
FLOW = [
    (
        "About the area",
        [
            {"kind": "single_choice", "text": "Do you feel safe?", "options": {"choices": CHOICES}},
            {"kind": "likert", "text": "Streets are well lit"},
            {"kind": "scale", "text": "How safe, from 0 to 10?"},
            {"kind": "number", "text": "How many times did you report a crime?"},
        ],
    ),
    (
        "Getting about",
        [
            {
                "kind": "multiple_choice",
                "text": "How do you travel?",
                "options": {"choices": CHOICES},
            },
            {"kind": "dropdown", "text": "How often at night?", "options": {"choices": CHOICES}},
            {"kind": "likert", "text": "Buses feel safe"},
            {"kind": "short_text", "text": "One word for your area"},
        ],
    ),
    (
        "Your ideas",
        [
            {"kind": "long_text", "text": "What would help?"},
            {"kind": "likert", "text": "Neighbours help"},
            {
                "kind": "single_choice",
                "text": "Would you join a patrol?",
                "options": {"choices": CHOICES},
            },
        ],
    ),
]


def consultation(slug: str, *, open_: bool) -> Consultation:
    now = utcnow()
    opens, closes = (
        (now - timedelta(days=1), now + timedelta(days=30))
        if open_
        else (now - timedelta(days=60), now - timedelta(days=1))
    )
    made = Consultation(
        slug=slug,
        title=f"Bench {slug}",
        summary="A consultation for the load benchmark.",
        body_html='<p class="govuk-body">About this.</p>',
        opens_at=opens,
        closes_at=closes,
        published_at=now - timedelta(days=60),
        allow_anonymous=True,
        results_public=True,
        documents=[],
    )
    db.session.add(made)
    return made


def survey(of: Consultation, title: str) -> Survey:
    made = Survey(consultation=of, title=title, about_you=[])
    for s_pos, (section_title, questions) in enumerate(FLOW, start=1):
        section = Section(position=s_pos, title=section_title)
        made.sections.append(section)
        for q_pos, spec in enumerate(questions, start=1):
            section.questions.append(
                Question(
                    position=q_pos,
                    options=spec.get("options", {}),
                    **{k: v for k, v in spec.items() if k != "options"},
                )
            )
    db.session.add(made)
    db.session.flush()
    return made


#: SQL for one question's answer value from the series number n (JSON text).
VALUES = {
    "single_choice": "json_build_object('choice', (ARRAY['Yes','No','Not sure'])[1 + n % 3])",
    "dropdown": "json_build_object('choice', (ARRAY['Yes','No','Not sure'])[1 + n % 3])",
    "multiple_choice": "json_build_object('choices', json_build_array('Yes', 'No'))",
    "likert": "to_json(1 + n % 5)",
    "scale": "to_json(n % 11)",
    "number": "to_json(n % 40)",
    "short_text": "to_json((ARRAY['quiet','busy','fine'])[1 + n % 3])",
    "long_text": "to_json('More lighting by the station, please, answer ' || n)",
}


def responses(of: Survey, count: int) -> None:
    """``count`` submitted responses answering every question; every 10th long answer is
    published as a contribution (the rest wait for moderation)."""
    db.session.execute(
        text(
            "INSERT INTO survey_responses (survey_id, reference, status, channel, hear_back,"
            " submitted_at, created_at, updated_at)"
            " SELECT :sid, 'B' || :sid || '-' || n, 'submitted', 'online', false,"
            " now() - (n || ' seconds')::interval, now(), now()"
            " FROM generate_series(1, :count) AS n"
        ),
        {"sid": of.id, "count": count},
    )
    for question in of.questions:
        db.session.execute(
            text(
                "INSERT INTO survey_answers (response_id, question_id, value)"  # noqa: S608 (our own SQL)
                f" SELECT r.id, :qid, ({VALUES[question.kind]})::json"
                " FROM (SELECT id, row_number() OVER (ORDER BY id) AS n"
                "       FROM survey_responses WHERE survey_id = :sid) AS r"
            ),
            {"qid": question.id, "sid": of.id},
        )
        if question.kind == "long_text":
            db.session.execute(
                text(
                    "WITH filed AS ("
                    " INSERT INTO contributions (kind, consultation_id, body, status,"
                    "  by_youth, anonymous, published_at, hold_reasons, created_at, updated_at)"
                    " SELECT 'survey_answer', :cid, a.value #>> '{}',"
                    "  CASE WHEN a.id % 10 = 0 THEN 'published' ELSE 'pending' END,"
                    "  false, true, now(), '[]'::json, now(), now()"
                    " FROM survey_answers a WHERE a.question_id = :qid ORDER BY a.id"
                    " RETURNING id, body)"
                    " UPDATE survey_answers a SET contribution_id = filed.id FROM filed"
                    " WHERE a.question_id = :qid AND a.value #>> '{}' = filed.body"
                ),
                {"qid": question.id, "cid": of.consultation_id},
            )
    of.locked_at = utcnow()


def build(sizes: tuple[int, ...]) -> dict:
    """The answering survey (open, anonymous answers allowed) and one closed survey with
    published results per size; returns their ids."""
    flow = survey(consultation("bench-open", open_=True), "Answer me")
    flow.locked_at = utcnow()
    ids = {"flow": flow.id, "flow_sections": [s.id for s in flow.sections], "results": {}}
    ids["flow_questions"] = [[(q.id, q.kind) for q in s.questions] for s in flow.sections]
    for size in sizes:
        closed = survey(consultation(f"bench-closed-{size}", open_=False), f"Results {size}")
        responses(closed, size)
        ids["results"][size] = closed.id
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return ids
