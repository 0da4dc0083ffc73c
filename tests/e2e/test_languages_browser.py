"""Kingston's languages in a real browser: the switcher without JavaScript, Arabic
pages mirrored right to left, Korean and Arabic pages (with a form error) passing axe,
and Korean and Tamil text drawn with real glyphs, not empty boxes."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.env import require
from tests.support.factories import make_consultation, make_survey

pytestmark = pytest.mark.e2e

PUBLIC = [
    "/",
    "/consultations/",
    "/{slug}",
    "/ideas/",
    "/outcomes/",
    "/plan/",
    "/framework/",
    "/privacy",
    "/accessibility",
    "/cookies",
    "/register",
    "/open-data",
    "/no-such-page",
]
OWN_NAME = {"ar": "العربية", "ko": "한국어"}


def _choose(page, lang: str) -> None:
    """Use the switcher as a person would: by the language's own name."""
    page.get_by_role("link", name=OWN_NAME[lang]).click()
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page, f"{page.url} after choosing {lang}")


@pytest.mark.parametrize("lang", ["ar", "ko"])
def test_main_public_pages_and_a_form_error_pass_axe_in_arabic_and_korean(live_app, page, lang):
    with live_app.app_context():
        consultation = make_consultation(title="Safer streets", commit=False)
        make_survey(consultation, [("Your views", [{"kind": "text", "text": "Why?"}])])
        slug = f"consultations/{consultation.slug}"
    page.goto("/")
    assert_accessible(page, "home in English")
    _choose(page, lang)
    direction = "rtl" if lang == "ar" else "ltr"
    for path in PUBLIC:
        page.goto(path.format(slug=slug))
        expect(page.locator("html")).to_have_attribute("dir", direction)
        assert_accessible(page, f"{path} in {lang}")
    # A form error: the error summary, in the page's language and direction.
    page.goto("/sign-in")
    assert_accessible(page, "sign-in")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("load")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert summary.evaluate("el => getComputedStyle(el).direction") == direction
    assert_accessible(page, f"sign-in error in {lang}")


def test_arabic_pages_mirror_the_layout(live_app, page):
    page.goto("/consultations/")
    assert_accessible(page)
    _choose(page, "ar")
    # Navigation runs right to left: the first item is the rightmost.
    items = page.locator(".govuk-service-navigation__item")
    first, second = items.nth(0).bounding_box(), items.nth(1).bounding_box()
    assert first["x"] > second["x"]
    # Text starts at the right edge of the page's column.
    heading = page.get_by_role("heading", level=1)
    column = page.locator("main").bounding_box()
    box = heading.bounding_box()
    assert column["x"] + column["width"] - (box["x"] + box["width"]) < 40
    page.goto("/sign-in")
    assert_accessible(page, "sign-in")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("load")
    assert_accessible(page, "sign-in error in Arabic")
    link = page.locator(".govuk-error-summary__list a").first
    summary = page.locator(".govuk-error-summary").bounding_box()
    link_box = link.bounding_box()
    # The first error link hangs from the summary's right side, not its left.
    assert (summary["x"] + summary["width"]) - (link_box["x"] + link_box["width"]) < 60
    assert link_box["x"] - summary["x"] > 60


def test_the_switcher_works_without_javascript(live_app, no_js_page):
    no_js_page.goto(f"{live_app.url}/consultations/")
    no_js_page.get_by_role("link", name="Polski").click()
    no_js_page.wait_for_load_state("load")
    expect(no_js_page.locator("html")).to_have_attribute("lang", "pl")
    assert no_js_page.url.endswith("/consultations/")


def _glyphs_differ(page, text: str, lang: str) -> bool:
    """Draw ``text`` and the same characters reversed: empty boxes ("tofu") look alike
    whatever the characters, real glyphs do not."""
    page.evaluate(
        """([text, lang]) => {
            for (const [id, value] of [['a', text], ['b', [...text].reverse().join('')]]) {
                const el = document.createElement('span');
                el.id = 'glyphs-' + id; el.lang = lang; el.textContent = value;
                el.className = 'govuk-heading-xl';
                document.querySelector('main').prepend(el);
            }
        }""",
        [text, lang],
    )
    first = page.locator("#glyphs-a").screenshot()
    second = page.locator("#glyphs-b").screenshot()
    return first != second


@pytest.mark.parametrize(
    ("lang", "text"), [("ko", "안녕하세요 강남"), ("ta", "வணக்கம் தமிழ்"), ("ar", "مرحبا بكم")]
)
def test_korean_tamil_and_arabic_are_drawn_with_real_glyphs(live_app, page, lang, text):
    page.goto("/")
    assert_accessible(page)
    assert _glyphs_differ(page, text, lang), f"{lang} text is drawn as empty boxes"


@pytest.mark.parametrize(("lang", "sample"), [("ko", "한국어"), ("ta", "தமிழ்"), ("ar", "عربي")])
def test_a_system_font_has_the_glyphs(lang, sample):
    """fontconfig knows a font for the language that covers every character."""
    require(shutil.which("fc-list") is not None, "fontconfig (fc-list)")
    charset = " ".join(f"{ord(c):x}" for c in sample)
    found = subprocess.run(
        ["fc-list", f":lang={lang}:charset={charset}", "family"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    require(bool(found) or lang == "ar", f"a {lang} font (install fonts-nanum / fonts-taml)")
    assert found, f"no font covers {sample!r} for {lang}"
