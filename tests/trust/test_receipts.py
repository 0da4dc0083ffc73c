"""Survey receipts: first submission only, a few a day per address, anonymous ones forgotten."""

from __future__ import annotations

from community.extensions import db
from community.notifications.service import deliver_due
from tests.support.factories import make_consultation, make_survey
from tests.support.mail import outbox

ADDRESS = "stranger@example.org"


def _anonymous_survey(app) -> tuple[int, int, str]:
    with app.app_context():
        survey = make_survey(
            make_consultation(allow_anonymous=True),
            [("Part", [{"kind": "short_text", "text": "Anything else?"}])],
        )
        section = survey.sections[0]
        return survey.id, section.id, section.questions[0].field_name


def _answer_and_submit(app, survey_id, section_id, field, times=1):
    client = app.test_client()
    client.post(f"/surveys/{survey_id}/begin")
    client.post(f"/surveys/{survey_id}/sections/{section_id}", data={field: "Buy cheap pills"})
    for _ in range(times):
        client.post(f"/surveys/{survey_id}/submit", data={"receipt_email": ADDRESS})


def test_a_receipt_only_for_the_first_submission(app):
    survey_id, section_id, field = _anonymous_survey(app)
    _answer_and_submit(app, survey_id, section_id, field, times=3)
    with app.app_context():
        assert len(outbox(template="survey_receipt")) == 1


def test_at_most_n_receipts_a_day_to_one_address(app):
    app.config["SURVEY_RECEIPTS_PER_ADDRESS_PER_DAY"] = 2
    try:
        survey_id, section_id, field = _anonymous_survey(app)
        for _ in range(4):
            _answer_and_submit(app, survey_id, section_id, field)
        with app.app_context():
            assert len(outbox(template="survey_receipt")) == 2
    finally:
        app.config["SURVEY_RECEIPTS_PER_ADDRESS_PER_DAY"] = 3


def test_an_anonymous_receipt_address_is_blanked_once_sent(app):
    survey_id, section_id, field = _anonymous_survey(app)
    _answer_and_submit(app, survey_id, section_id, field)
    with app.app_context():
        assert deliver_due().sent == 1
        db.session.expire_all()
        (receipt,) = outbox(template="survey_receipt")
        assert receipt.to_address == "" and receipt.text_body == ""
        assert receipt.sent_at is not None
