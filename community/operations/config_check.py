"""Production settings checked at start-up: one message listing every problem.

A production process (``COMMUNITY_ENV=production``) with a missing or unsafe setting
stops before serving anything, rather than running half-configured (a secret
generated per machine, mail that cannot go, a database file on one server).
`flask check-config` prints the same list without stopping anything.
"""

from __future__ import annotations

import sys

LOCAL_HOSTS = ("127.0.0.1", "localhost", "0.0.0.0")  # noqa: S104  (hosts we refuse, not bind)
DEFAULT_SENDER = "no-reply@community-voice.example"


class ConfigurationError(SystemExit):
    """Stops the process with the message (no traceback: the message is the help)."""


def problems(config) -> list[str]:
    """Each problem with the production settings, and how to fix it (empty: all good)."""
    if config.get("COMMUNITY_ENV") != "production":
        return []
    found = []
    if not config.get("SECRET_KEY_FROM_ENV") or len(config.get("SECRET_KEY") or "") < 32:
        found.append(
            "SECRET_KEY is not set (or shorter than 32 characters). Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'` and give the "
            "same value to every web and worker process."
        )
    public_url = config.get("PUBLIC_URL_FROM_ENV") and config.get("PUBLIC_URL") or ""
    if not public_url or any(host in public_url for host in LOCAL_HOSTS):
        found.append(
            "PUBLIC_URL is not set: set it to the address people use, e.g. "
            "https://voice.example.org (links in mail sent by the worker are built from it)."
        )
    elif not public_url.startswith("https://"):
        found.append("PUBLIC_URL must start with https:// in production.")
    if not config.get("SERVER_NAME"):
        found.append(
            "SERVER_NAME is not set: set it to the public host name, e.g. voice.example.org."
        )
    if config.get("MAIL_BACKEND") == "sendgrid":
        if not config.get("SENDGRID_API_KEY"):
            found.append("SENDGRID_API_KEY is not set: mail cannot be sent through SendGrid.")
        if not config.get("MAIL_FROM") or config.get("MAIL_FROM") == DEFAULT_SENDER:
            found.append("MAIL_FROM is not set: use a sender address verified in SendGrid.")
    if str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite"):
        found.append(
            "DATABASE_URL is not set (or is SQLite): production needs PostgreSQL, e.g. "
            "postgresql://user:password@host:5432/community."
        )
    if not config.get("SESSION_COOKIE_SECURE"):
        found.append(
            "SESSION_COOKIE_SECURE is false: set it to true and serve the site over HTTPS."
        )
    if config.get("PREFERRED_URL_SCHEME") != "https":
        found.append("PREFERRED_URL_SCHEME must be https in production (links in mail).")
    if config.get("PAGE_CACHE") == "memory":
        found.append(
            "PAGE_CACHE=memory keeps pages per process: another worker's changes would not "
            "reach them. Set REDIS_URL (pages then use Redis) or PAGE_CACHE=off."
        )
    return found


def report(found: list[str]) -> str:
    lines = [f"Community Voice cannot start in production: {len(found)} setting(s) to fix."]
    lines += [f"  - {problem}" for problem in found]
    lines.append("See the README's Configuration and Deploying sections.")
    return "\n".join(lines)


def enforce(app) -> None:
    """Stop a production process whose settings are unsafe (not `flask check-config`)."""
    if app.config.get("TESTING") or "check-config" in sys.argv[1:]:
        return
    found = problems(app.config)
    if found:
        raise ConfigurationError(report(found))
