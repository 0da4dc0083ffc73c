"""The partner API: what each kind of caller may read, tokens, ETags, pagination,
the call log and rate limits."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.api.models import ApiCall, ApiToken
from community.extensions import db
from community.models_base import utcnow
from tests.api.conftest import bearer, expire
from tests.conftest import count_queries

OPEN_DATA_PATHS = [
    "/api/v1/",
    "/api/v1/openapi.json",
    "/api/v1/consultations",
    "/api/v1/consultations/{public}",
    "/api/v1/consultations/{public}/questions",
    "/api/v1/consultations/{public}/results",
    "/api/v1/consultations/{public}/consensus",
    "/api/v1/framework",
    "/api/v1/findings",
    "/api/v1/actions",
]
ANALYSIS_PATHS = [
    "/api/v1/consultations/{shared}/results",
    "/api/v1/consultations/{shared}/consensus",
    "/api/v1/consultations/{shared}/tags",
    "/api/v1/partner-figures",
]


@pytest.mark.parametrize("path", OPEN_DATA_PATHS)
def test_open_data_needs_no_token(client, api_data, path):
    response = client.get(path.format(**api_data))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert "Set-Cookie" not in response.headers
    for secret in (api_data["open_data"], api_data["analysis"]):
        assert client.get(path.format(**api_data), headers=bearer(secret)).status_code == 200


@pytest.mark.parametrize("path", ANALYSIS_PATHS)
def test_analysis_needs_a_token_with_the_scope(client, api_data, path):
    url = path.format(**api_data)
    without = client.get(url)
    assert without.status_code == 401
    assert without.headers["WWW-Authenticate"].startswith("Bearer")
    assert without.get_json()["error"]["status"] == 401
    assert client.get(url, headers=bearer(api_data["open_data"])).status_code == 403
    assert client.get(url, headers=bearer(api_data["analysis"])).status_code == 200


def test_analysis_covers_only_consultations_shared_with_the_organisation(client, api_data):
    for what in ("results", "consensus", "tags"):
        url = f"/api/v1/consultations/{api_data['shared']}/{what}"
        refused = client.get(url, headers=bearer(api_data["council"]))
        assert refused.status_code == 403
        assert refused.get_json()["error"]["code"] == "not_shared"
        unshared = f"/api/v1/consultations/{api_data['unshared']}/{what}"
        assert client.get(unshared, headers=bearer(api_data["analysis"])).status_code == 403
    listing = client.get("/api/v1/consultations", headers=bearer(api_data["analysis"])).get_json()
    shared = {c["slug"]: c["shared_with_you"] for c in listing["data"]}
    assert shared == {
        api_data["public"]: False,
        api_data["shared"]: True,
        api_data["unshared"]: False,
    }


def test_results_shared_before_they_are_public_are_still_suppressed(client, api_data):
    url = f"/api/v1/consultations/{api_data['shared']}/results"
    data = client.get(url, headers=bearer(api_data["analysis"])).get_json()
    travel = data["surveys"][0]["questions"][1]
    assert [o["count"] for o in travel["options"]] == [12, None, None]


def test_unknown_expired_and_revoked_tokens_are_refused(app, client, api_data):
    from community.api import tokens

    assert client.get("/api/v1/", headers=bearer("cv_not-a-token")).status_code == 401
    assert client.get("/api/v1/", headers={"Authorization": "Basic abc"}).status_code == 401
    with app.app_context():
        expire(api_data["analysis_id"])
    assert client.get("/api/v1/", headers=bearer(api_data["analysis"])).status_code == 401
    with app.app_context():
        token = db.session.get(ApiToken, api_data["analysis_id"])
        token.expires_at = token.created_at.replace(year=token.created_at.year + 1)
        db.session.commit()
        assert client.get("/api/v1/", headers=bearer(api_data["analysis"])).status_code == 200
        tokens.revoke(db.session.get(ApiToken, api_data["analysis_id"]), None)
        db.session.commit()
    assert client.get("/api/v1/", headers=bearer(api_data["analysis"])).status_code == 401


def test_only_the_hash_of_a_token_is_stored(app, api_data):
    with app.app_context():
        stored = db.session.scalars(select(ApiToken)).all()
        secrets = {api_data[k] for k in ("analysis", "open_data", "council")}
        for token in stored:
            assert token.token_hash not in secrets and len(token.token_hash) == 64
            assert not any(s == token.prefix for s in secrets)


def test_etags_give_304_when_nothing_changed(client, api_data):
    url = f"/api/v1/consultations/{api_data['public']}/results"
    first = client.get(url)
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert "Authorization" in first.headers["Vary"]


def test_pagination_links_and_limits(app, client, api_data):
    from tests.opendata.conftest import make_open_data_consultation

    with app.app_context():
        for _ in range(3):
            make_open_data_consultation()
    page = client.get("/api/v1/consultations?per_page=2&page=2").get_json()
    assert page["meta"] == {"page": 2, "per_page": 2, "total": 6, "pages": 3}
    assert page["links"]["prev"].endswith("page=1&per_page=2")
    assert page["links"]["next"].endswith("page=3&per_page=2")
    assert len(page["data"]) == 2
    last = client.get(page["links"]["last"]).get_json()
    assert last["links"]["next"] is None and len(last["data"]) == 2
    for bad in ("page=0", "per_page=101", "per_page=0", "page=x", "page=-1", "per_page=1.5"):
        response = client.get(f"/api/v1/consultations?{bad}")
        assert response.status_code == 400, bad
        assert response.get_json()["error"]["code"] == "bad_request"


def test_drafts_and_unknown_consultations_are_not_found(app, client, api_data):
    from tests.support.factories import make_consultation

    with app.app_context():
        draft = make_consultation(phase="draft").slug
    for slug in (draft, "no-such-consultation"):
        for tail in ("", "/questions", "/results", "/consensus"):
            response = client.get(f"/api/v1/consultations/{slug}{tail}")
            assert response.status_code == 404
            assert response.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/no-such-thing").get_json()["error"]["status"] == 404
    refused = client.post("/api/v1/consultations")
    assert refused.status_code == 405 and "GET" in refused.headers["Allow"]


def test_every_call_is_logged_without_personal_data(app, client, api_data):
    client.get("/api/v1/framework", headers=bearer(api_data["analysis"]))
    client.get("/api/v1/partner-figures", headers=bearer(api_data["open_data"]))
    client.get(
        f"/api/v1/consultations/{api_data['public']}", environ_base={"REMOTE_ADDR": "1.2.3.4"}
    )
    client.get("/api/v1/nowhere")
    with app.app_context():
        calls = db.session.scalars(select(ApiCall).order_by(ApiCall.id)).all()
        assert [(c.method, c.endpoint, c.status) for c in calls] == [
            ("GET", "/api/v1/framework", 200),
            ("GET", "/api/v1/partner-figures", 403),
            ("GET", "/api/v1/consultations/<slug>", 200),
            ("GET", "(no route)", 404),
        ]
        assert calls[0].token_id == api_data["analysis_id"]
        assert calls[2].token_id is None
        columns = {c.name for c in ApiCall.__table__.columns}
        assert columns == {
            "id",
            "token_id",
            "method",
            "endpoint",
            "status",
            "called_at",
            "duration_ms",
        }
        token = db.session.get(ApiToken, api_data["analysis_id"])
        assert token.last_used_at is not None


def test_rate_limits_per_token_and_per_address(make_app, api_data):
    app = make_app(API_RATE_LIMIT="3 per minute", API_ANONYMOUS_RATE_LIMIT="2 per minute")
    client = app.test_client()
    for _ in range(2):
        assert client.get("/api/v1/framework").status_code == 200
    limited = client.get("/api/v1/framework")
    assert limited.status_code == 429
    assert limited.mimetype == "application/json"
    assert limited.get_json()["error"]["status"] == 429
    assert "Retry-After" in limited.headers
    # A token has its own allowance, not the address's, and each token its own.
    for _ in range(3):
        assert (
            client.get("/api/v1/framework", headers=bearer(api_data["analysis"])).status_code == 200
        )
    assert client.get("/api/v1/framework", headers=bearer(api_data["analysis"])).status_code == 429
    assert client.get("/api/v1/framework", headers=bearer(api_data["council"])).status_code == 200


def test_findings_and_the_actions_responding_to_them(client, api_data):
    findings = client.get("/api/v1/findings").get_json()
    (finding,) = findings["data"]  # the unpublished one is left out
    assert finding["statement"] == "People feel unsafe on the high street after dark."
    assert finding["consultation"] == api_data["public"]
    assert finding["response"]["kind"] == "new_action"
    action = finding["response"]["action"]
    assert action["title"] == "Brighter lighting on the high street"
    assert action["lead_organisation"] == "council" and action["progress"] == 40
    assert "A. Officer" not in str(findings)
    only = client.get(f"/api/v1/findings?consultation={api_data['shared']}").get_json()
    assert only["data"] == []
    actions = client.get("/api/v1/actions").get_json()
    assert [a["reference"] for a in actions["data"]] == ["1.1"]
    results = client.get(f"/api/v1/consultations/{api_data['public']}/results").get_json()
    assert [f["id"] for f in results["findings"]] == [finding["id"]]
    data = client.get(f"/consultations/{api_data['public']}/open-data.json").get_json()
    assert data["findings"][0]["response"]["action"]["reference"] == "1.1"
    csv = client.get(f"/consultations/{api_data['public']}/open-data.csv").get_data(as_text=True)
    assert "Brighter lighting on the high street" in csv


def test_tag_counts_of_a_shared_consultation_withhold_small_ones(client, api_data):
    url = f"/api/v1/consultations/{api_data['shared']}/tags"
    tags = client.get(url, headers=bearer(api_data["analysis"])).get_json()
    assert tags["framework"] == [
        {
            "vocabulary": "issue",
            "code": "anti-social-behaviour",
            "name": tags["framework"][0]["name"],
            "count": 7,
        }
    ]
    assert tags["themes"][0]["code"] == "lighting" and tags["themes"][0]["count"] is None


def test_unknown_query_parameters_are_refused(client, api_data):
    response = client.get("/api/v1/consultations?pge=2")
    assert response.status_code == 400
    assert "pge" in response.get_json()["error"]["message"]


def test_nul_characters_match_nothing_rather_than_raise(client, api_data):
    # Found by the fuzzing on PostgreSQL, which refuses NUL in text.
    for url in (
        "/api/v1/findings?consultation=a%00b",
        "/api/v1/consultations/a%00b",
        "/api/v1/partner-figures?issue=%00",
    ):
        response = client.get(url, headers=bearer(api_data["analysis"]))
        # The request guard refuses them before any view runs (an explained 400).
        assert response.status_code in (200, 400, 404), url
        assert response.get_json().get("data", []) == [], url
    assert client.get("/consultations/a%00b/open-data.json").status_code in (400, 404)


def test_a_surveys_results_are_read_once_and_again_only_when_a_response_arrives(
    app, client, api_data
):
    """The results answer is kept under the responses' fingerprint (as the results
    page is): a repeat reads no answers; a new response is counted at once."""
    from community.surveys.models import Response, ResponseStatus

    url = f"/api/v1/consultations/{api_data['public']}/results"
    headers = bearer(api_data["open_data"])
    first = client.get(url, headers=headers).get_json()
    with count_queries(app) as statements:
        again = client.get(url, headers=headers).get_json()
    assert again == first
    assert not [s for s in statements if "survey_answers" in s], statements
    with app.app_context():
        response = db.session.scalars(
            select(Response).where(Response.status == ResponseStatus.SUBMITTED)
        ).first()
        survey_id = response.survey_id
        db.session.add(
            Response(survey_id=survey_id, status=ResponseStatus.SUBMITTED, submitted_at=utcnow())
        )
        db.session.commit()
    later = client.get(url, headers=headers).get_json()
    before = next(s for s in first["surveys"] if s["id"] == survey_id)["responses"]
    after = next(s for s in later["surveys"] if s["id"] == survey_id)["responses"]
    assert isinstance(before, int) and after == before + 1  # counted at once


def test_the_consultation_list_reads_terms_in_one_query_however_many(app, client, api_data):
    """Each listed consultation carries its terms; they are read for the page at once,
    not one query per consultation (terms load only where asked for: issue 15)."""
    from tests.support.factories import make_consultations_about

    headers = bearer(api_data["analysis"])
    with count_queries(app) as few:
        first = client.get("/api/v1/consultations", headers=headers).get_json()
    with app.app_context():
        make_consultations_about("road-safety", 8)
    with count_queries(app) as many:
        listing = client.get("/api/v1/consultations", headers=headers).get_json()
    assert len(listing["data"]) == len(first["data"]) + 8
    assert all(
        c["terms"] == [{"vocabulary": "issue", "code": "road-safety", "name": "Road safety"}]
        for c in listing["data"][:8]
    ), listing["data"][:8]
    assert len(many) == len(few), many
