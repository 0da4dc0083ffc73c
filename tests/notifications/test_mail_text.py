"""Every mail's text, rendered with realistic data: no doubled or missing spaces, no
"1 people"-style plurals, and dates written as the pages write them.

Each mail function in ``mails.py`` is called here, and the set of templates rendered must
be every template in ``templates/emails``: a new mail without a case here fails.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from community.consultations.service import end_of, local_zone
from community.extensions import db
from community.models_base import utcnow
from community.notifications import mails
from community.notifications.models import OutboxMessage
from tests.support.factories import make_user

EMAILS = Path(__file__).resolve().parents[2] / "templates" / "emails"
URL = re.compile(r"https?://\S+")
#: A count of one next to a plural noun: what ngettext exists to prevent.
ONE_PLURAL = re.compile(
    r"\b1 (people|persons|days|weeks|months|years|answers|responses|contributions|ideas|"
    r"members|projects|comments|votes|statements|findings|mails|emails)\b"
)


def _text(html: str) -> str:
    """The words of an HTML mail as a reader sees them."""
    body = re.sub(r"<(style|title)[^>]*>.*?</\1>", " ", html, flags=re.S)
    body = re.sub(r"<br\s*/?>|</(p|h\d|dt|dd|li|blockquote)>", "\n", body)
    body = re.sub(r"<[^>]+>", "", body)
    for entity, char in (
        ("&amp;", "&"),
        ("&#39;", "'"),
        ("&quot;", '"'),
        ("&lt;", "<"),
        ("&gt;", ">"),
    ):
        body = body.replace(entity, char)
    return "\n".join(" ".join(line.split()) for line in body.splitlines())


def _problems(text: str) -> list[str]:
    found = []
    words = URL.sub("LINK", text)
    for line in words.splitlines():
        if re.search(r"\S {2,}\S", line):
            found.append(f"doubled space: {line!r}")
        if re.search(r"[a-z][.!?,:;][A-Z]", line):
            found.append(f"missing space: {line!r}")
        if re.search(r"\s[.,:;!?](\s|$)", line):
            found.append(f"space before punctuation: {line!r}")
    found += [f"plural: {m.group(0)!r}" for m in ONE_PLURAL.finditer(words)]
    return found


@pytest.fixture
def realistic(app, framework):
    """A person, a consultation closing at the end of a day, and the things mails name."""
    with app.app_context():
        today = utcnow().astimezone(local_zone()).date()
        person = make_user(display_name="Sam Taylor", email="sam.taylor@example.com")
        consultation = SimpleNamespace(
            title="Feeling safe in Kingston town centre at night",
            slug="safe-at-night",
            closes_at=end_of(today + timedelta(days=12)),
            last_day=end_of(today + timedelta(days=12)) - timedelta(seconds=1),
        )
        yield SimpleNamespace(
            app=app,
            person=person,
            consultation=consultation,
            link="https://voice.example.org/consultations/safe-at-night",
            unsubscribe="https://voice.example.org/consultations/unsubscribe/abc",
            contribution=SimpleNamespace(id=7, body="The lights by the station are out again."),
            idea=SimpleNamespace(
                title="Brighter lights on the riverside path",
                response="New lights are being fitted this winter.",
            ),
            group=SimpleNamespace(name="Cambridge Road Youth Club"),
            project=SimpleNamespace(title="Friday night football"),
            update=SimpleNamespace(note="A mentor will help plan the sessions."),
            response=SimpleNamespace(
                survey=SimpleNamespace(title="Safe at night survey"), reference="K7PX3MQ9"
            ),
            rows=[
                {
                    "question": SimpleNamespace(text="How often are you in town after 6pm?"),
                    "answer": "Most days",
                },
                {"question": SimpleNamespace(text="Anything else?"), "answer": ""},
            ],
            today=today,
        )


def _every_mail(r) -> list[OutboxMessage]:
    p, link = r.person, r.link
    return [
        mails.verify_email(p, link=link),
        mails.already_registered(p, sign_in_url=link, reset_url=link),
        mails.password_reset(p, link=link),
        mails.password_changed(p),
        mails.inactivity_warning(
            p,
            last_active=utcnow() - timedelta(days=1000),
            deadline=utcnow() + timedelta(days=30),
            sign_in=link,
            key="inactive",
        ),
        mails.account_erased(to="old@example.com", key="erased-1", kept=True, via="self"),
        mails.account_erased(to="old2@example.com", key="erased-2", kept=False, via="admin"),
        mails.account_erased(
            to="old3@example.com", key="erased-3", kept=True, via="retention", inactive_years=3
        ),
        mails.account_erased(
            to="old4@example.com", key="erased-4", kept=True, via="retention", inactive_years=1
        ),
        mails.consultation_opened(
            p, consultation=r.consultation, link=link, unsubscribe=r.unsubscribe, key="opened"
        ),
        mails.survey_receipt(
            to=p.email,
            user=p,
            response=r.response,
            rows=r.rows,
            link=link,
            key="receipt",
            first_time=True,
        ),
        mails.contribution_rejected(
            p,
            contribution=r.contribution,
            reason="It included personal information about you or someone else.",
            note="Duplicate of your other answer",
        ),
        mails.contribution_rejected(
            p, contribution=r.contribution, reason="It was not about the question.", note=""
        ),
        mails.safeguarding_alert(p, contribution=r.contribution, link=link, key="safe"),
        mails.idea_status_changed(p, idea=r.idea, link=link, key="idea-1", is_author=True),
        mails.idea_status_changed(p, idea=r.idea, link=link, key="idea-2", is_author=False),
        mails.group_leader_approved(p, group=r.group, link=link, key="approved"),
        mails.group_leader_declined(
            p,
            group=SimpleNamespace(
                name="Tolworth Girls' Group",
                decision_reasons="We could not check the safeguarding training.",
            ),
            key="declined",
        ),
        mails.project_drafted(p, project=r.project, group=r.group, link=link, key="drafted"),
        mails.project_stage_changed(
            p, project=r.project, update=r.update, stage="In co-design", link=link, key="moved"
        ),
        mails.consultation_outcome(
            p,
            consultation=r.consultation,
            link=link,
            unsubscribe=r.unsubscribe,
            key="outcome",
            yours=link + "/mine",
        ),
    ]


def test_every_mail_reads_cleanly(realistic):
    r = realistic
    with r.app.app_context(), r.app.test_request_context():
        messages = _every_mail(r)
        db.session.commit()
        rendered = {m.template for m in messages}
        templates = {f.stem for f in EMAILS.glob("*.txt")} - {"layout"}
        assert rendered == templates, f"mails without a case here: {templates - rendered}"
        problems = {}
        for message in messages:
            for part, text in (("text", message.text_body), ("html", _text(message.html_body))):
                found = _problems(text) + _problems(message.subject)
                if found:
                    problems[f"{message.template} ({part})"] = found
                assert "Sam Taylor" in text or message.template == "account_erased", (
                    message.template
                )
        assert not problems, problems


def test_mail_dates_are_the_dates_the_pages_show(realistic):
    r = realistic
    with r.app.app_context(), r.app.test_request_context():
        write = r.app.jinja_env.filters["date"]
        opened = mails.consultation_opened(
            r.person,
            consultation=r.consultation,
            link=r.link,
            unsubscribe=r.unsubscribe,
            key="opened",
        )
        last_day = write(r.consultation.last_day)
        assert last_day in opened.text_body and last_day in _text(opened.html_body)
        assert write(r.consultation.closes_at) not in opened.text_body  # not the day after
        deadline = utcnow() + timedelta(days=30)
        warning = mails.inactivity_warning(
            r.person,
            last_active=utcnow() - timedelta(days=1000),
            deadline=deadline,
            sign_in=r.link,
            key="inactive",
        )
        assert write(deadline) in warning.text_body
