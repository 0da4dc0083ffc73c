"""Kingston on a map: the tile layout, the pages that draw it, and boundary uploads."""

from __future__ import annotations

import io
import json
import re

import pytest
from sqlalchemy import select

from community.audit.models import AuditEvent
from community.extensions import db
from community.framework.models import Term, Vocabulary
from community.wards import tiles
from community.wards.geojson import MAX_BYTES, BoundaryError, parse, project
from community.wards.models import WardBoundaries
from tests.support.factories import make_consultation

WARD_CODES = set(tiles.LAYOUT)


def test_nineteen_equal_tiles_north_to_south_without_overlap():
    assert len(tiles.LAYOUT) == 19
    assert len(set(tiles.LAYOUT.values())) == 19
    row = {code: r for code, (_, r) in tiles.LAYOUT.items()}
    assert row["tudor"] == 0 and row["kingston-gate"] == 0
    assert row["chessington-south-and-malden-rushett"] == max(row.values())
    assert row["canbury-gardens"] < row["kingston-town"] < row["tolworth"]
    assert row["hook-and-chessington-north"] > row["surbiton-hill"]
    col = {code: c for code, (c, _) in tiles.LAYOUT.items()}
    # The Thames is the western edge; New Malden and Motspur Park lie east.
    assert (
        col["kingston-town"] < col["new-malden-village"] < col["motspur-park-and-old-malden-east"]
    )
    assert all(max(len(line) for line in tiles.LABELS[c]) <= 14 for c in WARD_CODES)


def _wards(app) -> dict[str, str]:
    with app.app_context():
        stmt = select(Term.code, Term.name).join(Vocabulary).where(Vocabulary.code == "area")
        return {c: n for c, n in db.session.execute(stmt) if c in WARD_CODES}


def geojson(names: dict[str, str], *, bng: bool = False, drop: str = "", extra: list | None = None):
    """Each ward a small square (lon/lat around Kingston, or BNG metres) where its tile is."""
    features = []
    for code, name in names.items():
        if code == drop:
            continue
        col, row = tiles.LAYOUT[code]
        if bng:
            x0, y0, step = 517000 + col * 1500, 170000 - row * 1500, 1400
        else:
            x0, y0, step = -0.33 + col * 0.02, 51.43 - row * 0.013, 0.018
        ring = [[x0, y0], [x0 + step, y0], [x0 + step, y0 - step * 0.7], [x0, y0 - step * 0.7]]
        ring.append(ring[0])
        geometry = (
            {"type": "MultiPolygon", "coordinates": [[ring]]}
            if code == "tudor"
            else {"type": "Polygon", "coordinates": [ring]}
        )
        features.append(
            {
                "type": "Feature",
                "properties": {"WD24CD": "E05000000", "WD24NM": name},
                "geometry": geometry,
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features + (extra or [])}).encode()


@pytest.mark.usefixtures("framework")
def test_projects_lon_lat_and_british_national_grid(app):
    names = _wards(app)
    for bng in (False, True):
        projected = project(parse(geojson(names, bng=bng), names))
        assert set(projected.paths) == WARD_CODES
        tudor, rushett = (
            projected.paths["tudor"],
            projected.paths["chessington-south-and-malden-rushett"],
        )
        assert tudor["label"][1] < rushett["label"][1]  # north is up
        assert all(
            p["d"].startswith("M") and p["d"].endswith("Z") for p in projected.paths.values()
        )
        assert projected.width == 440 and 0 < projected.height < 1000


@pytest.mark.usefixtures("framework")
@pytest.mark.parametrize(
    "case, message",
    [
        ("not json", "must be GeoJSON"),
        ("feature", "FeatureCollection"),
        ("missing", "These wards are missing: Tolworth."),
        ("unknown", "is not one of the wards"),
        ("point", "must be a Polygon or MultiPolygon"),
        ("duplicate", "appears more than once"),
        ("big", "smaller than"),
    ],
)
def test_bad_files_are_refused_with_a_reason(app, case, message):
    names = _wards(app)
    point = {
        "type": "Feature",
        "properties": {"WD24NM": "Tolworth"},
        "geometry": {"type": "Point", "coordinates": [0, 51]},
    }
    raw = {
        "not json": b"{nope",
        "feature": json.dumps({"type": "Feature"}).encode(),
        "missing": geojson(names, drop="tolworth"),
        "unknown": geojson(
            names, extra=[{"type": "Feature", "properties": {"name": "Atlantis"}, "geometry": None}]
        ),
        "point": geojson(names, drop="tolworth", extra=[point]),
        "duplicate": geojson(
            names, extra=[json.loads(geojson({"tolworth": "Tolworth"}))["features"][0]]
        ),
        "big": b" " * (MAX_BYTES + 1),
    }[case]
    with pytest.raises(BoundaryError) as error:
        parse(raw, names)
    assert any(message in m for m in error.value.messages)


@pytest.mark.usefixtures("framework")
def test_officer_uploads_boundaries_audited_and_pages_draw_them(app, role_client):
    names = _wards(app)
    officer = role_client("officer")
    page = officer.get("/manage/ward-map/")
    assert page.status_code == 200 and page.get_data(as_text=True).count("<rect") >= 19
    bad = officer.post(
        "/manage/ward-map/",
        data={
            "boundaries": (io.BytesIO(geojson(names, drop="tolworth")), "wards.geojson"),
            "attribution": "x",
        },
        content_type="multipart/form-data",
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "govuk-error-summary" in html and "Tolworth" in html
    good = officer.post(
        "/manage/ward-map/",
        data={
            "boundaries": (io.BytesIO(geojson(names)), "wards.geojson"),
            "attribution": "Source: ONS, OGL v3.0",
        },
        content_type="multipart/form-data",
    )
    assert good.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(WardBoundaries.filename)) == "wards.geojson"
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "ward_boundaries.uploaded")
        )
        assert event is not None and event.details["wards"] == 19
        make_consultation(terms=[db.session.scalar(select(Term).where(Term.code == "tolworth"))])
    listing = role_client("visitor").get("/consultations/").get_data(as_text=True)
    drawn = re.findall(r'<path d="M[^"]*" fill="url\(#follow-wards-band-\d\)"', listing)
    assert len(drawn) == 19 and "Source: ONS, OGL v3.0" in listing
    assert 'href="/consultations/?ward=tolworth#follow"' in listing
    removed = officer.post("/manage/ward-map/remove", data={})
    assert removed.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(WardBoundaries.id)) is None
    listing = role_client("visitor").get("/consultations/").get_data(as_text=True)
    assert not re.findall(r'<path d="M[^"]*" fill="url', listing)
    assert (
        len(re.findall(r'<rect x="[^"]*" y="[^"]*" width="104" height="104" fill="url', listing))
        == 19
    )


@pytest.mark.usefixtures("framework")
def test_consensus_page_maps_agreement_by_ward(client):
    html = client.get("/consensus/").get_data(as_text=True)
    assert 'id="agreement-wards-caption"' in html and "No figure to show" in html


@pytest.mark.usefixtures("framework")
def test_a_map_is_drawn_once_per_content_and_language(app, client, monkeypatch):
    """The follow map on the consultations list is drawn once, not per visit (issue
    15); a new consultation about a ward, a renamed ward or another language draws it
    again, so the map never shows a stale figure or name."""
    import flask

    from community.insights.cache import figures as figure_cache

    drawn = []
    real = flask.get_template_attribute

    def counting(template, attribute):
        macro = real(template, attribute)
        if template != "wards/_map.html":
            return macro
        return lambda m: drawn.append(m.id) or macro(m)

    monkeypatch.setattr("community.wards.drawing.get_template_attribute", counting)
    figure_cache.clear()  # an earlier test may have drawn this very map
    first = client.get("/consultations/").get_data(as_text=True)
    second = client.get("/consultations/").get_data(as_text=True)
    figure = re.compile(r'<figure class="cv-ward-map".*?</table>', re.S)
    assert drawn == ["follow-wards"] and figure.search(first)[0] == figure.search(second)[0]
    assert "Tolworth: 1 consultation" not in first

    with app.app_context():
        tolworth = db.session.scalar(select(Term).where(Term.code == "tolworth"))
        make_consultation(terms=[tolworth])
    counted = client.get("/consultations/").get_data(as_text=True)
    assert "Tolworth: 1 consultation" in counted and len(drawn) == 2

    with app.app_context():
        db.session.scalar(select(Term).where(Term.code == "tolworth")).name = "Tolworth Ward"
        db.session.commit()
    renamed = client.get("/consultations/").get_data(as_text=True)
    assert "Tolworth Ward: 1 consultation" in renamed and len(drawn) == 3

    polish = client.get("/consultations/", headers={"Accept-Language": "pl"})
    assert "Tolworth Ward: 1 konsultacja" in polish.get_data(as_text=True) and len(drawn) == 4
    client.get("/consultations/")
    assert len(drawn) == 4
