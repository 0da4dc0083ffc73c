"""The privacy notice is written from the settings, and linked from every page's footer."""

from __future__ import annotations

import pytest


@pytest.fixture
def settings(app):
    """Change settings for one test, and put them back."""
    saved = dict(app.config)
    yield app.config
    app.config.clear()
    app.config.update(saved)


def test_the_notice_shows_the_safer_kingston_defaults(client):
    page = client.get("/privacy")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Royal Borough of Kingston upon Thames, for the Safer Kingston Partnership" in text
    assert "Guildhall, High Street, Kingston upon Thames, KT1 1EU" in text
    assert 'href="mailto:data.protection@kingston.gov.uk"' in text
    assert "Version 2026-11" in text
    assert 'href="https://ico.org.uk/make-a-complaint/"' in text
    assert "public task (UK GDPR Article 6(1)(e))" in text
    assert "explicit consent (UK GDPR Articles 6(1)(a) and 9(2)(a))" in text
    # Retention periods, from the retention settings.
    assert "1 year after the consultation closes, then deleted" in text
    assert "30 days, then deleted" in text
    assert "3 years after the last sign-in; we email you 30 days before" in text
    assert "90 days after sending, then blanked" in text
    # Rights, with the pages that exercise them.
    for path in ("/account/your-data", "/account/delete", "/account/consents"):
        assert f'href="{path}"' in text


def test_every_setting_changes_the_notice(client, settings):
    settings.update(
        PRIVACY_CONTROLLER_NAME="Example Borough Council",
        PRIVACY_CONTROLLER_ADDRESS="1 High Street, Exampleton",
        PRIVACY_ICO_REGISTRATION="Z1234567",
        PRIVACY_DPO_NAME="Information Governance Team",
        PRIVACY_DPO_EMAIL="dpo@example.gov.uk",
        PRIVACY_LAWFUL_BASIS="public task: <our duty>",
        PRIVACY_SPECIAL_CATEGORY_BASIS="explicit consent, special",
        PRIVACY_ICO_URL="https://ico.example/complain",
        PRIVACY_NOTICE_VERSION="7",
        RETENTION_DEMOGRAPHICS_MONTHS=18,
        RETENTION_UNVERIFIED_DAYS=14,
        RETENTION_INACTIVE_MONTHS=24,
        RETENTION_INACTIVE_WARNING_DAYS=21,
        RETENTION_OUTBOX_DAYS=7,
    )
    text = client.get("/privacy").get_data(as_text=True)
    for expected in (
        "Example Borough Council",
        "1 High Street, Exampleton",
        "Z1234567",
        "Information Governance Team",
        "mailto:dpo@example.gov.uk",
        "public task: &lt;our duty&gt;",
        "explicit consent, special",
        "https://ico.example/complain",
        "Version 7",
        "18 months after the consultation closes",
        "14 days, then deleted",
        "2 years after the last sign-in; we email you 21 days before",
        "7 days after sending",
    ):
        assert expected in text, expected


def test_the_footer_and_registration_link_to_the_notice(client):
    for path in ("/", "/register"):
        assert 'href="/privacy"' in client.get(path).get_data(as_text=True)
