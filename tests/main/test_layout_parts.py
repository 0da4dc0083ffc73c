"""The layout's fixed parts are drawn once and kept (community/layoutparts.py), yet
every page still shows the right navigation, language and sign-out form."""

from __future__ import annotations

import re

import pytest

from tests.conftest import sign_in_client

pytestmark = pytest.mark.usefixtures("without_page_cache")

TOKEN = re.compile(
    r'action="/sign-out"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"'
)


def _parts(app):
    return app.extensions["community_layout_parts"]


def _active(page: str) -> list[str]:
    return re.findall(
        r'govuk-service-navigation__item--active">\s*<a class="govuk-service-navigation__link" '
        r'href="([^"]+)"',
        page,
    )


def test_a_second_page_draws_no_fixed_part_again(app, client):
    client.get("/consultations/")
    drawn = _parts(app).misses
    assert drawn >= 4  # header, navigation, switcher, footer
    page = client.get("/consultations/").get_data(as_text=True)
    assert _parts(app).misses == drawn
    assert "govuk-footer" in page and "cv-header" in page and "cv-language-switcher" in page


def test_the_navigation_follows_the_page_and_the_person(app, client, users):
    assert _active(client.get("/").get_data(as_text=True)) == ["/"]
    assert _active(client.get("/consultations/").get_data(as_text=True)) == ["/consultations/"]
    visitor = client.get("/plan/").get_data(as_text=True)
    assert 'href="/sign-in"' in visitor and "/manage/consultations/" not in visitor
    officer = sign_in_client(app, users["officer"]).get("/plan/").get_data(as_text=True)
    assert "/manage/consultations/" in officer and 'href="/sign-in"' not in officer
    assert _active(officer) == ["/plan/"]


def test_each_person_gets_their_own_sign_out_token(app, users):
    pages = [
        sign_in_client(app, users[role]).get("/plan/").get_data(as_text=True)
        for role in ("resident", "resident", "officer")
    ]
    tokens = [TOKEN.search(page).group(1) for page in pages]
    assert len(set(tokens)) == 3  # the kept navigation, a token of each person's own
    assert "<!--cv:layout-slot-->" not in "".join(pages)


def test_languages_and_addresses_are_kept_apart(app, client):
    english = client.get("/plan/?page=2").get_data(as_text=True)
    assert "next=/plan/?page%3D2" in english or "next=/plan/?page=2" in english
    client.get("/language/ko?next=/plan/")
    korean = client.get("/plan/").get_data(as_text=True)
    assert "한국어" in korean
    # The footer and menu in Korean, not the English kept copy.
    footer = korean[korean.index('<footer class="govuk-footer">') :]
    assert footer != english[english.index('<footer class="govuk-footer">') :]
    assert "next=/plan/?page" not in korean.split("cv-language-switcher", 1)[1].split("</nav>")[0]


def _switcher(page: str) -> str:
    return page.split('class="cv-language-switcher"', 1)[1].split("</nav>", 1)[0]


def test_a_long_address_is_not_carried_by_the_language_switcher(app, client):
    """A page reached with a query string of a few kilobytes (nothing the site links to;
    a hostile or broken link) is shown with a switcher back to the page alone: its
    four links do not each encode the query again, and the switcher kept for it is
    the page's, not one more kept copy per long address."""
    from community.layoutparts import SWITCHER_QUERY_LIMIT

    short = _switcher(client.get("/consultations/?ward=tolworth").text)
    assert short.count("next=/consultations/?ward%3Dtolworth") == 4

    long_queries = [
        # Values the request guard lets through (each under its 1,000 characters).
        "&".join(f"q{i}={letter * 900}" for i in range(4))
        for letter in "ab"
    ]
    # Just over the limit, and one the guard refuses: the 400 page has the switcher too.
    long_queries += [f"q={'c' * (SWITCHER_QUERY_LIMIT - 1)}", f"q={'d' * 5000}"]
    for query, status in zip(long_queries, (200, 200, 200, 400), strict=True):
        page = client.get(f"/consultations/?{query}")
        assert page.status_code == status
        links = re.findall(r'href="([^"]+)"', _switcher(page.text))
        assert len(links) == 4 and all(link.endswith("next=/consultations/") for link in links)
    switchers = {k[3] for k in _parts(app)._entries if k[0] == "switcher"}
    assert {"/consultations/?ward=tolworth", "/consultations/"} <= switchers
    assert not [k for k in switchers if any(query in k for query in long_queries)]


def _menu(page: str) -> list[str]:
    menu = page.split('aria-label="', 1)[1].split("</nav>", 1)[0]
    link = r'class="govuk-service-navigation__link" href="[^"]+"[^>]*>\s*([^<]+?)\s*<'
    return re.findall(link, menu)


def test_the_menu_is_built_in_each_language_and_for_each_role(app, client, users):
    english = _menu(client.get("/plan/").get_data(as_text=True))
    client.get("/language/ko?next=/plan/")
    korean = _menu(client.get("/plan/").get_data(as_text=True))
    assert "Ideas" in english and "Consultations" in english
    assert len(korean) == len(english) and not set(korean) & {"Ideas", "Consultations"}
    resident = _menu(sign_in_client(app, users["resident"]).get("/plan/").get_data(as_text=True))
    admin = _menu(sign_in_client(app, users["admin"]).get("/plan/").get_data(as_text=True))
    assert "Your account" in resident and "People" not in resident and "Sign in" not in resident
    assert {"People", "Audit log", "Mail", "API tokens", "Manage"} <= set(admin)
