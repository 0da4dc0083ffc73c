"""What residents tripped over: following a ward, dates in mail, the take-part list,
plurals in flash messages, and rich text that kept a script's words or linked "Pol.is"."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from community.consultations import service
from community.consultations.models import Follow
from community.extensions import db
from community.framework.models import Term
from community.models_base import utcnow
from community.sanitise import rich_text
from tests.support.factories import make_consultation
from tests.support.mail import outbox


def test_a_resident_follows_a_ward_without_filtering_first(app, framework, role_client, users):
    client = role_client("resident")
    page = client.get("/consultations/").get_data(as_text=True)
    assert "Follow this ward" in page
    # The list offers wards only: not "Outside the borough" or "Prefer not to say".
    follow_form = page[page.index("follow-ward") :]
    assert "Norbiton" in follow_form
    assert "Prefer not to say" not in follow_form and "Outside the borough" not in follow_form
    done = client.post("/consultations/follow-term/ward", data={"ward": "norbiton"})
    assert done.status_code == 302
    with app.app_context():
        follow = db.session.scalar(select(Follow).where(Follow.user_id == users["resident"].id))
        assert follow is not None and follow.term.code == "norbiton"
    refused = client.post("/consultations/follow-term/ward", data={"ward": "prefer-not-to-say"})
    assert refused.status_code == 302
    with app.app_context():
        assert len(db.session.scalars(select(Follow)).all()) == 1


def test_the_opening_mail_gives_the_last_day_the_page_gives(app, framework, users):
    with app.app_context():
        today = utcnow().astimezone(service.local_zone()).date()
        last_day = today + timedelta(days=12)
        consultation = make_consultation(phase="open", opening_notified_at=None)
        consultation.closes_at = service.end_of(last_day)
        db.session.commit()
        service.follow(users["resident"], consultation=consultation)
        db.session.commit()
        assert service.notify_openings() == 1
        mail = outbox(template="consultation_opened")[0]
        written = f"{last_day.day} {last_day.strftime('%B')}"
        after = last_day + timedelta(days=1)
        assert written in mail.text_body and written in mail.html_body
        assert f"{after.day} {after.strftime('%B')} {after.year}" not in mail.text_body
        slug = consultation.slug
    page = app.test_client().get(f"/consultations/{slug}").get_data(as_text=True)
    assert written in page


def test_ways_to_take_part_appear_only_when_there_are_none(app, role_client):
    from community.conversations.models import Conversation

    with app.app_context():
        bare = make_consultation(phase="open")
        talking = make_consultation(phase="open")
        db.session.add(Conversation(consultation_id=talking.id, question="What should change?"))
        db.session.commit()
        slugs = bare.slug, talking.slug
    client = role_client("resident")
    assert "Ways to take part will appear here" in client.get(
        f"/consultations/{slugs[0]}"
    ).get_data(as_text=True)
    page = client.get(f"/consultations/{slugs[1]}").get_data(as_text=True)
    assert "What should change?" in page
    assert "Ways to take part will appear here" not in page


def test_wards_that_are_not_places_are_never_a_consultations_wards(app, framework, role_client):
    with app.app_context():
        terms = list(
            db.session.scalars(
                select(Term).where(Term.code.in_(["norbiton", "prefer-not-to-say", "outside"]))
            )
        )
        consultation = make_consultation(phase="open", terms=terms)
        slug, cid = consultation.slug, consultation.id
    page = role_client("visitor").get(f"/consultations/{slug}").get_data(as_text=True)
    assert "Norbiton" in page and "Prefer not to say" not in page
    form = role_client("officer").get(f"/manage/consultations/{cid}/edit").get_data(as_text=True)
    wards = form[form.index("Wards it concerns") :]
    assert "Norbiton" in wards
    assert "Prefer not to say" not in wards and "Outside the borough" not in wards


def test_a_script_goes_with_its_tag_and_only_web_addresses_become_links():
    cleaned = rich_text(
        "<p>Before<script>alert(2)</script> after</p><style>p{}</style>"
        "<p>We used Pol.is and e.g. notes, see https://pol.is/ or www.example.org</p>"
        "<SCRIPT type='x'>var a = 1;</SCRIPT><script>unclosed"
    )
    assert "alert" not in cleaned and "var a" not in cleaned and "unclosed" not in cleaned
    assert "p{}" not in cleaned
    assert "Before after" in cleaned
    assert 'href="http://Pol.is"' not in cleaned and "Pol.is and" in cleaned
    assert 'href="https://pol.is/"' in cleaned and 'href="http://www.example.org"' in cleaned


def test_one_person_is_told_in_the_singular(app, framework, role_client, users):
    from community.ideas.models import IdeaBoard
    from community.ideas.service import post_idea

    with app.app_context():
        board = IdeaBoard(title="Ideas for the riverside")
        db.session.add(board)
        db.session.flush()
        idea = post_idea(
            board, users["resident"], title="Lights by the river", description="More lights."
        )
        idea.status = "published"
        db.session.commit()
        path = f"/ideas/{board.id}/{idea.id}/respond"
    told = role_client("officer").post(
        path,
        data={"status": "accepted", "explanation": "We will add lights."},
        follow_redirects=True,
    )
    page = told.get_data(as_text=True)
    assert "1 person will be told by email" in page
    assert "1 people" not in page


def test_the_rejection_mail_keeps_the_reason_and_the_note_apart(app, framework, users):
    from community.moderation.models import RejectionTemplate
    from community.moderation.service import reject, seed_templates
    from tests.support.factories import make_contribution

    with app.app_context():
        seed_templates()
        template = db.session.scalar(
            select(RejectionTemplate).where(RejectionTemplate.message.like("%someone else.%"))
        )
        contribution = make_contribution(make_consultation(), author=users["resident"])
        reject(contribution, users["moderator"], template, "Duplicate of your other answer")
        db.session.commit()
        mail = outbox(template="contribution_rejected")[0]
        assert "someone else.Duplicate" not in mail.text_body
        assert "someone else.\nDuplicate of your other answer" in mail.text_body
