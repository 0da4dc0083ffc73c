"""The analysis page and the printable report: counts by ward and age band, quotes, links."""

from __future__ import annotations

import html
import re

import pytest

from community.accounts.models import Role
from community.accounts.permissions import CAPABILITIES
from community.consultations.models import Consultation
from community.contributions.models import Contribution
from community.extensions import db
from community.tagging.themes.service import add_theme, map_terms
from tests.conftest import count_queries
from tests.support.factories import make_consultation, make_contribution
from tests.tagging.conftest import about_you, add_tag, term_id, term_key


def _totals(page: str) -> dict[str, tuple[int, str]]:
    """Each row's total and the link behind it, by code key (the first table of each list)."""
    found = {}
    for key, href, number in re.findall(
        r'data-key="([^"]+)">.*?data-total>(?:<a class="govuk-link" href="([^"]+)">)?(\d+)',
        page.replace("\n", " "),
    ):
        found.setdefault(key, (int(number), html.unescape(href)))
    return found


@pytest.fixture
def analysed(app, setting, survey, users):
    """Street lighting (a theme, mapped onto anti-social behaviour), ASB, knife crime."""
    with app.app_context():
        officer = db.session.merge(users["officer"])
        lighting = add_theme(setting.consultation, "Street lighting", "", officer)
        map_terms(lighting, [term_id("anti-social-behaviour")], officer)
        p0, p1, p2 = setting.published
        db.session.get(Contribution, p0).area_id = term_id("tolworth")
        about_you(p0, survey, age_band="25_34")
        about_you(p1, survey, ward="norbiton", age_band="16_17")
        asb, knife = term_key("anti-social-behaviour"), term_key("serious-violence-and-knife-crime")
        add_tag(p0, lighting.key, officer.id, pinned=True)
        add_tag(p0, asb, officer.id)
        add_tag(p1, lighting.key, officer.id)
        add_tag(p2, knife, officer.id, pinned=True)
        add_tag(setting.pending[0], asb, officer.id, pinned=True)
        db.session.commit()
        return {"lighting": lighting.key, "asb": asb, "knife": knife}


def test_counts_by_code_include_mapped_themes_and_link_to_the_contributions(
    app, role_client, setting, analysed
):
    officer = role_client("officer")
    page = officer.get(f"/tagging/{setting.consultation}/analysis").get_data(as_text=True)
    totals = _totals(page)
    assert totals[analysed["asb"]][0] == 3  # p0 and pending directly, p1 through the theme
    assert totals[analysed["lighting"]][0] == 2
    assert totals[analysed["knife"]][0] == 1
    assert "2 directly" in page and "Mapped to:" in page
    listed = officer.get(totals[analysed["asb"]][1]).get_data(as_text=True)
    assert "3 contributions" in listed
    coded_link = re.search(r'href="([^"]*untagged=no[^"]*)"', page).group(1)
    assert "4 contributions" in officer.get(html.unescape(coded_link)).get_data(as_text=True)
    # By ward (its own area, else "about you") and by age band, each linking on.
    assert ">Tolworth<" in page and ">Norbiton<" in page and ">16 or 17<" in page
    ward_link = re.search(r'href="([^"]*ward=tolworth[^"]*)"', page).group(1)
    assert "3 contributions" not in officer.get(html.unescape(ward_link)).get_data(as_text=True)
    # Pinned quotes, with their moderation state for officers.
    assert "Representative quotes" in page and "Speeding cars on the school road" in page
    assert "Nothing for young people to do" in page and "Waiting for moderation" in page
    # Filters narrow every number.
    narrowed = officer.get(f"/tagging/{setting.consultation}/analysis?ward=tolworth").text
    assert _totals(narrowed)[analysed["asb"]][0] == 1
    young = officer.get(f"/tagging/{setting.consultation}/analysis?youth=yes&group=issue").text
    assert _totals(young) == {analysed["asb"]: (1, _totals(young)[analysed["asb"]][1])}


def test_people_who_analyse_but_do_not_tag_see_published_contributions_only(
    app, role_client, setting, analysed, monkeypatch
):
    monkeypatch.setitem(CAPABILITIES, Role.PARTNER, CAPABILITIES[Role.PARTNER] | {"analyse"})
    partner = role_client("partner")
    page = partner.get(f"/tagging/{setting.consultation}/analysis").get_data(as_text=True)
    assert _totals(page)[analysed["asb"]][0] == 2  # not the pending one
    assert "Nothing for young people to do" not in page
    listed = partner.get(f"/tagging/{setting.consultation}/contributions").get_data(as_text=True)
    assert "3 contributions" in listed and 'name="selected"' not in listed
    assert (
        partner.get(f"/tagging/{setting.consultation}/contributions?status=pending").text.count(
            "Nothing for young"
        )
        == 0
    )
    assert partner.get(f"/tagging/{setting.consultation}/").status_code == 403
    csv = partner.get(f"/tagging/{setting.consultation}/export.csv").get_data(as_text=True)
    assert "Nothing for young people" not in csv and "Speeding cars" in csv


def test_the_printable_report_shows_published_counts_and_quotes(
    app, role_client, setting, analysed
):
    page = role_client("officer").get(f"/tagging/{setting.consultation}/report").text
    assert "Summary of what people said" in page and "data-tagging-print" in page
    assert "In their words: Street lighting" in page
    assert "Nothing for young people to do" not in page  # pending: not in a printable report
    assert "cv-tagging-report__section" in page


def test_the_analysis_page_costs_the_same_whatever_the_number_of_contributions(
    app, role_client, setting, analysed, users
):
    officer = role_client("officer")
    url = f"/tagging/{setting.consultation}/analysis"
    officer.get(url)
    with count_queries(app) as few:
        assert officer.get(url).status_code == 200
    with app.app_context():
        consultation = db.session.get(Consultation, setting.consultation)
        keys = [term_key(c) for c in ("PH1", "C2", "P3", "road-safety", "tudor", "alexandra")]
        keys.append(analysed["lighting"])
        for n in range(60):
            item = make_contribution(
                consultation, status="published", area_id=term_id("tudor"), commit=False
            )
            db.session.flush()
            for key in keys[: n % 7 + 1]:
                add_tag(item.id, key, users["officer"].id, pinned=n % 5 == 0)
        db.session.commit()
    with count_queries(app) as many:
        assert officer.get(url).status_code == 200
    print(f"\nanalysis page: {len(few)} queries, then {len(many)} with 60 more contributions")
    assert len(many) == len(few)


def test_the_ward_filter_lists_prefer_not_to_say_once(ctx, framework):
    """The framework's "prefer not to say" area and about-you's answer were both listed."""
    from community.tagging import codebook as codebooks
    from community.tagging.analysis.figures import ward_labels

    consultation = make_consultation()
    labels = list(ward_labels(codebooks.load(consultation.id)).values())
    assert labels.count("Prefer not to say") == 1
