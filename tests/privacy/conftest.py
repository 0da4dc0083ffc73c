"""A small borough for privacy tests: one person with data of every kind, and others.

The person has a name and an email address found nowhere else, so a scan of the
whole database can say whether anything of theirs is left.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from community.accounts.models import Role
from community.consultations.models import Follow
from community.contributions.models import ContributionStatus
from community.conversations.models import Conversation
from community.extensions import db
from community.groups.models import ProjectMessage
from community.ideas.models import Idea, IdeaBoard, Support
from community.moderation.models import Report, ReportReason
from community.surveys.models import Response, Survey
from tests.conftest import sign_in_client
from tests.groups.factories import add_member, make_group, make_project
from tests.support.factories import make_consultation, make_survey, make_user

PERSON_NAME = "Zephyrine Quockett-Ülfsdóttir <b>'x'</b> 🦔"
PERSON_EMAIL = "zephyrine.quockett@example.org"
#: A part of the name on its own, so a half-removed name is found too.
PERSON_SURNAME = "Quockett"

#: The person's "about you" answers, and another respondent's (all different).
PERSON_ABOUT = {"age_band": "35_44", "ward": "st-marks-and-seething-wells", "ethnicity": "mixed"}
OTHER_ABOUT = {"age_band": "55_64", "ward": "tolworth", "ethnicity": "white"}

SURVEY = [
    (
        "Feeling safe",
        [
            dict(
                kind="single_choice",
                text="Do you feel safe at night?",
                required=True,
                options={"choices": ["Yes", "No"]},
            ),
            dict(kind="long_text", text="What would help?", options={"max_length": 3000}),
        ],
    )
]


@dataclass
class World:
    person: int
    other: int
    consultation: int
    survey: int
    questions: dict[str, int]
    conversation: int
    statements: list[int]
    person_statement: int
    board: int
    other_idea: int
    person_idea: int
    person_comment: int
    group: int
    led_group: int
    project: int
    extra: dict = field(default_factory=dict)


def answer_survey(app, client, survey_id: int, questions: dict, *, choice, text, about, **submit):
    """Answer the survey as a person would, through the pages."""
    client.post(f"/surveys/{survey_id}/begin")
    with app.app_context():
        section_id = db.session.get(Survey, survey_id).sections[0].id
    client.post(
        f"/surveys/{survey_id}/sections/{section_id}",
        data={
            f"q{questions['Do you feel safe at night?']}": choice,
            f"q{questions['What would help?']}": text,
        },
    )
    if about is not None:
        client.post(f"/surveys/{survey_id}/about-you", data=about)
    done = client.post(f"/surveys/{survey_id}/submit", data=submit)
    assert done.status_code == 302, done.get_data(as_text=True)


def build_world(app) -> World:
    """The person, two other people, and something of every kind for each."""
    from community.consultations.service import follow
    from community.conversations.service import add_statement, cast_vote, participant

    with app.test_request_context():
        person = make_user(email=PERSON_EMAIL, display_name=PERSON_NAME)
        other = make_user()
        third = make_user()
        leader = make_user(Role.GROUP_LEADER)
        consultation = make_consultation(allow_anonymous=True)
        survey = make_survey(consultation, SURVEY, about_you=["age_band", "ward", "ethnicity"])
        questions = {q.text: q.id for q in survey.questions}
        conversation = Conversation(consultation_id=consultation.id, question="Safer how?")
        db.session.add(conversation)
        db.session.flush()
        statements = [
            add_statement(conversation, None, text, seed=True).id
            for text in ("More lighting", "More patrols", "Youth clubs")
        ]
        board = IdeaBoard(consultation_id=consultation.id, title="Ideas for safer parks")
        db.session.add(board)
        db.session.flush()
        other_idea = Idea(
            board_id=board.id,
            consultation_id=consultation.id,
            author_id=other.id,
            title="Lights in the park",
            body="Brighter lights along the paths",
            status=ContributionStatus.PUBLISHED,
        )
        person_idea = Idea(
            board_id=board.id,
            consultation_id=consultation.id,
            author_id=person.id,
            title="Benches by the river",
            body=f"I'm {PERSON_SURNAME} from the estate; benches would bring people back",
            status=ContributionStatus.PUBLISHED,
        )
        db.session.add_all([other_idea, person_idea])
        db.session.flush()
        from community.ideas.models import Comment

        comment = Comment(
            idea_id=other_idea.id,
            consultation_id=consultation.id,
            author_id=person.id,
            body="Yes please, and paths cleared of ivy",
            status=ContributionStatus.PUBLISHED,
        )
        db.session.add(comment)
        for supporter in (person, other, third):
            db.session.add(Support(idea_id=other_idea.id, user_id=supporter.id))
        other_idea.support_count = 3
        db.session.flush()
        # Votes: the person, the other and the third person vote on every seed statement.
        for voter, values in ((person, (1, -1, 0)), (other, (1, 1, -1)), (third, (-1, 1, 1))):
            seat = participant(conversation, user=voter)
            db.session.flush()
            for statement_id, value in zip(statements, values, strict=True):
                cast_vote(conversation, seat, statement_id, value)
        person_statement = add_statement(
            conversation, person, "Street pastors on Friday nights help a lot"
        )
        follow(person, consultation=consultation)
        follow(other, consultation=consultation)
        db.session.commit()

        group = make_group(leader)
        add_member(group, person)
        project = make_project(group, person)
        led_group = make_group(person, name="Riverside residents")
        led_group.leader_statement = f"I am {PERSON_NAME}, write to {PERSON_EMAIL}"
        db.session.add(
            ProjectMessage(
                project_id=project.id, author_id=person.id, body="Can we meet on Tuesday?"
            )
        )
        db.session.add(
            Report(
                contribution_id=other_idea.id,
                reporter_id=person.id,
                reason=ReportReason.OFF_TOPIC,
                note=f"Please reply to {PERSON_EMAIL}",
            )
        )
        db.session.commit()
        ids = World(
            person=person.id,
            other=other.id,
            consultation=consultation.id,
            survey=survey.id,
            questions=questions,
            conversation=conversation.id,
            statements=statements,
            person_statement=person_statement.id,
            board=board.id,
            other_idea=other_idea.id,
            person_idea=person_idea.id,
            person_comment=comment.id,
            group=group.id,
            led_group=led_group.id,
            project=project.id,
            extra={"third": third.id, "leader": leader.id},
        )
        person_obj, other_obj, third_obj = person, other, third
    answer_survey(
        app,
        sign_in_client(app, person_obj),
        ids.survey,
        questions,
        choice="No",
        text=f"Better lighting. Signed, {PERSON_SURNAME}",
        about={**PERSON_ABOUT, "special_consent": "y"},
        hear_back="y",
    )
    answer_survey(
        app,
        sign_in_client(app, other_obj),
        ids.survey,
        questions,
        choice="Yes",
        text="More buses at night",
        about={**OTHER_ABOUT, "special_consent": "y"},
        hear_back="y",
    )
    answer_survey(
        app,
        sign_in_client(app, third_obj),
        ids.survey,
        questions,
        choice="No",
        text="",
        about=None,
    )
    with app.app_context():
        assert db.session.scalar(select(Follow).where(Follow.user_id == ids.person))
        assert db.session.scalar(select(Response).where(Response.user_id == ids.person))
    return ids


@pytest.fixture
def world(app, framework) -> World:
    return build_world(app)
