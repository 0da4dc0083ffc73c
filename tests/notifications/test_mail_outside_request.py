"""Mail queued where there is no request (the worker's jobs, `flask demo`) still renders."""

from __future__ import annotations

from sqlalchemy import select

from community.consultations.models import Follow
from community.consultations.service import notify_openings
from community.extensions import db
from community.framework.models import Term
from tests.support.factories import make_consultation, make_user
from tests.support.mail import outbox


def test_a_job_queues_mail_in_an_app_context_alone(app, framework):
    with app.app_context():  # as `flask worker` runs jobs: no request context
        road = db.session.scalar(select(Term).where(Term.code == "road-safety"))
        make_consultation(terms=[road])
        follower = make_user(email="follower@example.com", display_name="Fran Follower")
        db.session.add(Follow(user_id=follower.id, term_id=road.id))
        db.session.commit()
        assert notify_openings() == 1
        [mail] = outbox(to="follower@example.com", template="consultation_opened")
        assert "Hello Fran Follower," in mail.text_body
        db.session.remove()
