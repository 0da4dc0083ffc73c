"""Open data: each closed consultation with public results, as JSON and a tidy CSV,
under the licence in the settings, with small numbers suppressed."""

from __future__ import annotations

import csv
import io

import pytest

from community.extensions import db
from community.opendata.suppression import table_lines
from tests.conftest import count_queries
from tests.opendata.conftest import make_open_data_consultation


def _json(client, slug):
    response = client.get(f"/consultations/{slug}/open-data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response


def test_the_dataset_carries_the_licence_and_attribution(client, open_consultation):
    response = _json(client, open_consultation["slug"])
    data = response.get_json()
    assert data["licence"] == {
        "name": "Open Government Licence v3.0",
        "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    }
    assert "Safer Kingston Partnership" in data["attribution"]
    assert data["publisher"] == "Safer Kingston Partnership"
    assert 'rel="license"' in response.headers["Link"]
    assert data["suppression"]["threshold"] == 5
    assert data["consultation"]["slug"] == open_consultation["slug"]


def test_the_licence_comes_from_the_settings(make_app, open_consultation):
    app = make_app(
        OPEN_DATA_LICENCE_NAME="CC BY 4.0",
        OPEN_DATA_LICENCE_URL="https://creativecommons.org/licenses/by/4.0/",
        OPEN_DATA_ATTRIBUTION="Source: a partnership",
    )
    data = _json(app.test_client(), open_consultation["slug"]).get_json()
    assert data["licence"]["name"] == "CC BY 4.0"
    assert data["attribution"] == "Source: a partnership"


def test_question_counts_are_suppressed_as_on_the_public_results_page(client, open_consultation):
    data = _json(client, open_consultation["slug"]).get_json()
    (survey,) = data["surveys"]
    assert survey["responses"] == 21
    likert, travel = survey["questions"]
    # 12 walk, 3 cycle (small), 6 bus: the 6 goes too, or 21 - 12 - 6 gives the 3 away.
    assert [o["count"] for o in travel["options"]] == [12, None, None]
    assert travel["answered"] == 21
    # 12 strongly agree, 2 agree, 1 neutral (both small), 0 disagree, 6 strongly disagree.
    assert [o["count"] for o in likert["options"]] == [12, None, None, 0, 6]


def test_no_published_sum_gives_a_suppressed_count_away(client, open_consultation):
    data = _json(client, open_consultation["slug"]).get_json()
    (item,) = data["survey_consensus"]
    keys = ["agree", "neutral", "disagree"]
    table = [[g[k] for k in keys] + [g["people"]] for g in item["groups"]]
    table.append([item[k] for k in keys] + [item["people"]])
    # Tudor (3 people) is too small to show: it is in "other", with 5 who gave no ward.
    assert [g["name"] for g in item["groups"]][-1].startswith("Other")
    # In every row and column with a published total, never exactly one figure is missing.
    for row in table:
        assert sum(v is None for v in row) != 1, table
    for column in zip(*table, strict=True):
        assert sum(v is None for v in column) != 1, table
    assert item["people"] == 21
    _n, lines = table_lines(3, 3)
    assert len(lines) == 8


def test_conversation_votes_are_suppressed_and_held_statements_left_out(client, open_consultation):
    data = _json(client, open_consultation["slug"]).get_json()
    (conversation,) = data["conversations"]
    assert conversation["attribution"] == "Pol.is data, CC BY 4.0"
    texts = [s["text"] for s in conversation["statements"]]
    assert "Name and shame them" not in texts
    big, small = conversation["statements"]
    assert (big["votes"], big["agree"], big["disagree"], big["pass"]) == (40, 30, None, None)
    assert big["agree_share"] is None  # with counts hidden, a share would give them away
    assert small["votes"] is None and small["group_consensus"] is None


def test_the_csv_is_tidy_and_safe_in_a_spreadsheet(client, open_consultation):
    response = client.get(f"/consultations/{open_consultation['slug']}/open-data.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == [
        "section",
        "source_id",
        "source",
        "item",
        "group",
        "measure",
        "value",
        "suppressed",
    ]
    cycle = next(r for r in rows if r[4] == "Cycle")
    assert cycle[6:] == ["", "yes"]
    walk = next(r for r in rows if r[4] == "Walk")
    assert walk[6:] == ["12", ""]
    # A statement written like a formula is neutralised.
    assert any(r[3].startswith("'=HYPERLINK") for r in rows)
    assert not any(cell.startswith("=") for r in rows for cell in r)


@pytest.mark.parametrize(
    "phase, public",
    [("open", True), ("scheduled", True), ("draft", True), ("closed", False)],
)
def test_only_closed_consultations_with_public_results_have_open_data(
    app, role_client, framework, phase, public
):
    with app.app_context():
        consultation = make_open_data_consultation(phase=phase, results_public=public)
        slug = consultation.slug
    for role in ("visitor", "officer"):
        client = role_client(role)
        assert client.get(f"/consultations/{slug}/open-data.json").status_code == 404
        assert client.get(f"/consultations/{slug}/open-data.csv").status_code == 404
    assert client.get("/consultations/no-such-thing/open-data.json").status_code == 404


def test_an_outcome_published_consultation_has_open_data(app, client, framework):
    with app.app_context():
        slug = make_open_data_consultation(phase="outcome").slug
    assert client.get(f"/consultations/{slug}/open-data.json").status_code == 200


def test_a_youth_consultation_uses_the_threshold_of_ten(app, client, framework):
    from community.consultations.models import Audience

    with app.app_context():
        slug = make_open_data_consultation(audience=Audience.YOUTH).slug
    data = _json(client, slug).get_json()
    assert data["suppression"]["threshold"] == 10
    travel = data["surveys"][0]["questions"][1]
    # 12 walk is publishable, 3 cycle and 6 bus are not.
    assert [o["count"] for o in travel["options"]] == [12, None, None]


def test_the_index_lists_datasets_with_the_licence_in_constant_queries(app, client, framework):
    with app.app_context():
        slugs = [make_open_data_consultation().slug for _ in range(2)]
        hidden = make_open_data_consultation(phase="open").slug
        db.session.remove()
    with count_queries(app) as few:
        page = client.get("/open-data")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for slug in slugs:
        assert f"/consultations/{slug}/open-data.csv" in html
        assert f"/consultations/{slug}/open-data.json" in html
    assert hidden not in html
    assert "Open Government Licence v3.0" in html
    with app.app_context():
        for _ in range(3):
            make_open_data_consultation()
        db.session.remove()
    with count_queries(app) as more:
        assert client.get("/open-data").status_code == 200
    assert len(more) == len(few)


def test_every_page_links_to_open_data(client):
    assert 'href="/open-data"' in client.get("/").get_data(as_text=True)
