"""Production refuses to start half-configured; `flask check-config` lists the same;
commands refuse with a message, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from community.operations.config_check import problems
from tests.conftest import sign_in_client

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "COMMUNITY_ENV": "production",
    "SECRET_KEY": "x" * 48,
    "PUBLIC_URL": "https://voice.example.org",
    "SERVER_NAME": "voice.example.org",
    "SENDGRID_API_KEY": "SG.key",
    "MAIL_FROM": "voice@example.org",
    "DATABASE_URL": "postgresql://u:p@db.invalid:5432/cv",
}


def run(args: list[str], tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in GOOD and k != "REDIS_URL"}
    return subprocess.run(
        args,
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(ROOT), "FLASK_APP": "wsgi:app", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def flask(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", *args]


def test_production_without_settings_stops_with_one_message_listing_each(tmp_path):
    started = run([sys.executable, "-c", "import wsgi"], tmp_path, COMMUNITY_ENV="production")
    assert started.returncode == 1
    message = started.stderr
    assert "Traceback" not in message
    assert "cannot start in production: 6 setting(s) to fix" in message
    for name in ("SECRET_KEY", "PUBLIC_URL", "SERVER_NAME", "SENDGRID_API_KEY", "MAIL_FROM"):
        assert f"- {name} is not set" in message
    assert "- DATABASE_URL is not set (or is SQLite)" in message

    checked = run(flask("check-config"), tmp_path, COMMUNITY_ENV="production")
    assert checked.returncode == 1
    assert "Traceback" not in checked.stderr
    for line in message.splitlines():
        assert line in checked.stderr


def test_a_complete_production_configuration_passes(tmp_path):
    checked = run(flask("check-config"), tmp_path, **GOOD)
    assert checked.returncode == 0, checked.stderr
    assert "The settings are complete." in checked.stdout


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"PUBLIC_URL": "http://voice.example.org"}, "PUBLIC_URL must start with https://"),
        ({"SESSION_COOKIE_SECURE": False}, "SESSION_COOKIE_SECURE is false"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is not set (or shorter than 32 characters)"),
        ({"MAIL_FROM": "no-reply@community-voice.example"}, "MAIL_FROM is not set"),
        ({"PAGE_CACHE": "memory"}, "PAGE_CACHE=memory keeps pages per process"),
    ],
)
def test_each_unsafe_setting_is_named(change, expected):
    config = {
        "COMMUNITY_ENV": "production",
        "SECRET_KEY": "x" * 48,
        "SECRET_KEY_FROM_ENV": True,
        "PUBLIC_URL": "https://voice.example.org",
        "PUBLIC_URL_FROM_ENV": True,
        "SERVER_NAME": "voice.example.org",
        "MAIL_BACKEND": "sendgrid",
        "SENDGRID_API_KEY": "SG.key",
        "MAIL_FROM": "voice@example.org",
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/cv",
        "SESSION_COOKIE_SECURE": True,
        "PREFERRED_URL_SCHEME": "https",
    }
    assert problems(config) == []
    found = problems({**config, **change})
    assert len(found) == 1 and found[0].startswith(expected), found


def test_flask_demo_in_production_refuses_with_a_message(app):
    runner = app.test_cli_runner()
    app.config["COMMUNITY_ENV"] = "production"
    try:
        result = runner.invoke(args=["demo"])
    finally:
        app.config["COMMUNITY_ENV"] = "development"
    assert result.exit_code == 1
    assert "Demo data is never loaded in production" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_create_admin_applies_the_password_policy(app):
    runner = app.test_cli_runner()
    short = runner.invoke(
        args=["create-admin", "--email", "a@example.org", "--name", "A", "--password", "short"]
    )
    assert short.exit_code == 1
    assert "The password must be 10 to 128 characters long" in short.output
    good = runner.invoke(
        args=[
            "create-admin",
            "--email",
            "a@example.org",
            "--name",
            "A",
            "--password",
            "long enough password",
        ]
    )
    assert good.exit_code == 0, good.output
    again = runner.invoke(
        args=["create-admin", "--email", "a@example.org", "--name", "A", "--password", "x" * 12]
    )
    assert again.exit_code == 1 and "already exists" in again.output


def test_the_expired_form_page_hints_at_secure_cookies_over_plain_http(make_app, users):
    app = make_app(WTF_CSRF_ENABLED=True, SESSION_COOKIE_SECURE=True)
    client = sign_in_client(app, users["resident"])
    page = client.post("/cookies/hide-notice", data={})
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "SESSION_COOKIE_SECURE" in text and "TRUSTED_PROXIES" in text
    over_https = client.post("/cookies/hide-notice", data={}, base_url="https://localhost")
    assert "SESSION_COOKIE_SECURE" not in over_https.get_data(as_text=True)
