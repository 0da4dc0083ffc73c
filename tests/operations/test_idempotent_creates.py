"""Double submissions create one thing: the same form posted twice at once and twice
in a row (a double tap, a retry, a reload) gives one row and one mail."""

from __future__ import annotations

import re
import threading

from sqlalchemy import func, select

from community.api.models import ApiToken
from community.extensions import db
from community.notifications.models import OutboxMessage
from community.surveys.models import Response, ResponseStatus, SurveyText
from tests.conftest import sign_in_client
from tests.operations.test_outage import form_token
from tests.support.factories import make_survey


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _answered_survey(app, client) -> int:
    with app.app_context():
        survey = make_survey(
            sections=[("Only", [{"kind": "long_text", "text": "Why?", "required": True}])]
        )
        survey_id, section_id, question_id = (
            survey.id,
            survey.sections[0].id,
            survey.questions[0].id,
        )
    client.post(f"/surveys/{survey_id}/begin")
    client.post(f"/surveys/{survey_id}/sections/{section_id}", data={f"q{question_id}": "Lights"})
    return survey_id


def _assert_one_submission(app):
    with app.app_context():
        assert count(Response) == 1
        assert db.session.scalar(select(Response.status)) == ResponseStatus.SUBMITTED
        assert count(SurveyText) == 1
        assert count(OutboxMessage, OutboxMessage.template == "survey_receipt") == 1


def test_a_survey_sent_twice_in_a_row_is_saved_and_mailed_once(app, users):
    client = sign_in_client(app, users["resident"])
    survey_id = _answered_survey(app, client)
    token = form_token(client.get(f"/surveys/{survey_id}/check"))
    first = client.post(f"/surveys/{survey_id}/submit", data={"form_token": token})
    second = client.post(f"/surveys/{survey_id}/submit", data={"form_token": token})
    assert first.status_code == 302
    assert second.status_code == 303
    assert second.location == first.location
    _assert_one_submission(app)


def test_a_survey_sent_twice_at_once_is_saved_and_mailed_once(app, users):
    clients = [sign_in_client(app, users["resident"]) for _ in range(2)]
    survey_id = _answered_survey(app, clients[0])
    token = form_token(clients[0].get(f"/surveys/{survey_id}/check"))
    barrier = threading.Barrier(2)
    codes = []

    def send(client):
        barrier.wait()
        codes.append(client.post(f"/surveys/{survey_id}/submit", data={"form_token": token}))

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in codes) in ([302, 303], [302, 302]), codes
    _assert_one_submission(app)


def test_reloading_the_token_issued_page_issues_no_second_token(app, users):
    admin = sign_in_client(app, users["admin"])
    token = form_token(admin.get("/admin/api-tokens/new"))
    data = {
        "name": "Police analysts",
        "organisation": "police",
        "scope": "analysis",
        "expires_on": ["31", "12", "2099"],
        "form_token": token,
    }
    issued = admin.post("/admin/api-tokens/new", data=data)
    assert issued.status_code == 200, issued.get_data(as_text=True)[:3000]
    secret = re.search(r"cv_[A-Za-z0-9_-]{20,}", issued.get_data(as_text=True)).group(0)
    reload = admin.post("/admin/api-tokens/new", data=data)
    with app.app_context():
        assert count(ApiToken) == 1
        token_id = db.session.scalar(select(ApiToken.id))
    assert reload.status_code == 303
    assert reload.location.endswith(f"/admin/api-tokens/{token_id}")
    assert secret not in admin.get(reload.location).get_data(as_text=True)  # shown once only


def test_a_copy_refused_as_a_duplicate_of_its_own_twin_goes_where_the_twin_went(
    app, users, framework, monkeypatch
):
    """Two at once, the second reading the first's row before writing its own: the service
    says "already exists" (here, the term's code). That is the double tap, not a mistake."""
    from sqlalchemy import insert

    from community.framework import service
    from community.operations.models import UsedFormToken

    officer = sign_in_client(app, users["officer"])
    token = form_token(officer.get("/admin/framework/issue/new"))

    def twin_saved_first(*args, **kwargs):
        with db.engine.begin() as twin:  # the twin's own connection and commit
            twin.execute(
                insert(UsedFormToken).values(
                    token=token, endpoint="framework_admin.new_term", result_url="/admin/framework/"
                )
            )
        raise service.FrameworkError("There is already a term with the code graffiti")

    monkeypatch.setattr(service, "add_term", twin_saved_first)
    answer = officer.post(
        "/admin/framework/issue/new",
        data={"name": "Graffiti", "code": "graffiti", "form_token": token},
    )
    assert answer.status_code == 303, answer.get_data(as_text=True)[:2000]
    assert answer.location.endswith("/admin/framework/")
    assert "It was saved once" in officer.get(answer.location).get_data(as_text=True)
