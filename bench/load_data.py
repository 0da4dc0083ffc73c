"""Realistic data for bench/load.py, written straight to PostgreSQL in bulk.

Run inside the app (``create_app`` on the bench database, after ``flask db upgrade``
and ``flask seed``): the consultations, surveys and their questions through the
models, then the responses, answers and published free text with set-based SQL
(``generate_series``), so 100,000 responses take seconds, not an hour. Also the
signed-in residents the load generator uses (one argon2 hash shared by every row),
a standing idea board of 1,000 published ideas with supports, and a conversation of
1,000 participants x 100 statements (60 % of the votes cast, planted opinion groups)
whose results are recomputed once by the app's own service.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from community.accounts import passwords
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


#: The password of every bench resident (bench-0@example.org ... bench-N@example.org).
PASSWORD = "bench password 15"  # noqa: S105 (a throwaway account on a throwaway database)


def residents(count: int) -> list[str]:
    """``count`` verified resident accounts sharing one argon2 hash (hashing per row
    would take a second each); returns their email addresses."""
    db.session.execute(
        text(
            "INSERT INTO users (email, display_name, password_hash, role, age_band,"
            " email_verified_at, session_token, created_at, updated_at)"
            " SELECT 'bench-' || n || '@example.org', 'Bench resident ' || n, :hash,"
            " 'resident', '25_34', now(), md5('bench-session-' || n || random()), now(), now()"
            " FROM generate_series(0, :count - 1) AS n"
        ),
        {"hash": passwords.hash_password(PASSWORD), "count": count},
    )
    return [f"bench-{n}@example.org" for n in range(count)]


def idea_board(ideas: int, supporters: int) -> int:
    """A standing board (collecting) of ``ideas`` published ideas by the bench residents,
    each supported by about a fifth of them; returns the board's id."""
    board = db.session.execute(
        text(
            "INSERT INTO idea_boards (title, description, phase, created_at, updated_at)"
            " VALUES ('Bench ideas', 'Ideas for the load benchmark.', 'collecting', now(), now())"
            " RETURNING id"
        )
    ).scalar_one()
    db.session.execute(
        text(
            "WITH authors AS (SELECT array_agg(id ORDER BY id) AS ids FROM users"
            "  WHERE email LIKE 'bench-%@example.org'),"
            " filed AS ("
            " INSERT INTO contributions (kind, author_id, body, status, by_youth, anonymous,"
            "  published_at, hold_reasons, created_at, updated_at)"
            " SELECT 'idea', authors.ids[1 + n % array_length(authors.ids, 1)],"
            "  'Idea number ' || n || ': more benches, lighting and trees along the river path.',"
            "  'published', false, false, now() - (n || ' minutes')::interval, '[]'::json,"
            "  now() - (n || ' minutes')::interval, now()"
            " FROM generate_series(1, :ideas) AS n, authors"
            " RETURNING id)"
            " INSERT INTO ideas (id, board_id, title, idea_status, response, support_count)"
            " SELECT id, :board, 'Idea ' || id, 'submitted', '', 0 FROM filed"
        ),
        {"ideas": ideas, "board": board},
    )
    db.session.execute(
        text(
            "INSERT INTO idea_supports (idea_id, user_id, created_at)"
            " SELECT i.id, u.id, now() FROM ideas i"
            " JOIN users u ON u.email LIKE 'bench-%@example.org'"
            " WHERE i.board_id = :board AND random() < 0.2"
        ),
        {"board": board},
    )
    db.session.execute(
        text(
            "UPDATE ideas SET support_count = s.n FROM"
            " (SELECT idea_id, count(*) AS n FROM idea_supports GROUP BY idea_id) AS s"
            " WHERE ideas.id = s.idea_id AND ideas.board_id = :board"
        ),
        {"board": board},
    )
    return board


def conversation(participants: int, statements: int, density: float = 0.6) -> dict:
    """An open conversation with planted opinion groups, its votes loaded with COPY, and
    its results computed once (what the worker's job does)."""
    from community.consensus.synthetic import planted_conversation
    from community.contributions.models import ContributionStatus
    from community.conversations import results
    from community.conversations.models import Conversation, Statement

    talk = Conversation(
        consultation=consultation("bench-talk", open_=True),
        question="What would make the town centre feel safer at night?",
    )
    db.session.add(talk)
    db.session.flush()
    rows = [
        Statement(
            conversation_id=talk.id,
            consultation_id=talk.consultation_id,
            body=f"Statement {j}: more people about after dark would help.",
            status=ContributionStatus.PUBLISHED,
            published_at=utcnow(),
            is_seed=True,
        )
        for j in range(statements)
    ]
    db.session.add_all(rows)
    db.session.flush()
    statement_ids = [s.id for s in rows]
    planted = planted_conversation(
        n_groups=4,
        per_group=participants // 4,
        n_statements=statements,
        missing=(1 - density, 1 - density),
        seed=15,
    )
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor:
        cursor.execute(
            "INSERT INTO conversation_participants (conversation_id, created_at)"
            " SELECT %s, now() FROM generate_series(1, %s) RETURNING id",
            (talk.id, int(planted.labels.shape[0])),
        )
        participant_ids = sorted(r[0] for r in cursor.fetchall())
        with cursor.copy(
            "COPY conversation_votes (participant_id, statement_id, value, created_at,"
            " updated_at) FROM STDIN"
        ) as copy:
            for p, s, v in zip(
                planted.participants.tolist(),
                planted.statements.tolist(),
                planted.votes.tolist(),
                strict=True,
            ):
                copy.write_row(
                    (participant_ids[p], statement_ids[s], v, "2026-11-01", "2026-11-01")
                )
    db.session.flush()
    results.recompute(talk)
    return {
        "conversation": talk.id,
        "statements": statement_ids,
        "votes": int(planted.votes.shape[0]),
        "groups": len((talk.results or {}).get("groups", [])),
    }


def build(sizes: tuple[int, ...], accounts: int = 64) -> dict:
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
    ids["accounts"] = residents(accounts)
    ids["board"] = idea_board(1000, accounts)
    ids["ideas"] = list(
        db.session.scalars(text("SELECT id FROM ideas WHERE board_id = :b"), {"b": ids["board"]})
    )
    ids.update(conversation(1000, 100))
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return ids
