"""A setting one test changes does not reach the next (tests/support/config.py)."""

from __future__ import annotations

from tests.support.config import kept_config


def test_settings_changed_in_a_block_are_put_back(app):
    before_limit = app.config["RATELIMIT_SURVEY"]
    before_uploads = dict(app.config["UPLOAD_LIMITS"])
    with kept_config(app):
        app.config["RATELIMIT_SURVEY"] = "3 per minute"
        app.config["UPLOAD_LIMITS"]["conversations_admin.import_polis"] = 1
        app.config["A_NEW_SETTING"] = True
    assert app.config["RATELIMIT_SURVEY"] == before_limit
    assert app.config["UPLOAD_LIMITS"] == before_uploads
    assert "A_NEW_SETTING" not in app.config


def test_the_survey_limit_one_test_tightens_is_not_the_next_tests(app):
    """Run in order, a leaked 3-per-minute limit would show here as the session's 1000."""
    assert app.config["RATELIMIT_SURVEY"] == "1000 per minute"
    app.config["RATELIMIT_SURVEY"] = "3 per minute"  # put back by the autouse fixture
