"""Settings from the environment, with safe embedded defaults.

Every setting the app reads is here, so the README's configuration table can be
checked against one file. Nothing outside this module reads ``os.environ``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(__file__).resolve().parent


def instance_dir() -> Path:
    """instance/ in the checkout; installed, ``COMMUNITY_INSTANCE_PATH`` or ./instance."""
    if (ROOT / "templates").is_dir():
        return ROOT / "instance"
    return Path(os.environ.get("COMMUNITY_INSTANCE_PATH") or Path.cwd() / "instance")


def site_dir(name: str) -> Path:
    """``templates``, ``static`` or ``migrations``: in the checkout, else inside the
    installed package (a wheel carries them as ``community/bundled/<name>``; setup.py)."""
    checkout = ROOT / name
    return checkout if checkout.is_dir() else PACKAGE / "bundled" / name


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{instance_path / 'community.sqlite'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def from_environment(instance_path: Path) -> dict:
    """Build the settings mapping from environment variables."""
    redis_url = os.environ.get("REDIS_URL", "")
    production = os.environ.get("COMMUNITY_ENV", "development") == "production"
    return {
        "COMMUNITY_ENV": "production" if production else "development",
        "SECRET_KEY": _secret_key(instance_path),
        #: Production refuses a generated key (operations/config_check.py).
        "SECRET_KEY_FROM_ENV": bool(os.environ.get("SECRET_KEY")),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        #: A pooled connection idle longer than this is checked before use
        #: (operations/connections.py); 0 checks it every time.
        "DATABASE_PING_AFTER_IDLE": float(os.environ.get("DATABASE_PING_AFTER_IDLE") or 1),
        "REDIS_URL": redis_url,
        # The partnership this deployment serves.
        "PARTNERSHIP_NAME": os.environ.get("PARTNERSHIP_NAME", "Safer Kingston Partnership"),
        "SERVICE_NAME": os.environ.get("SERVICE_NAME", "Community Voice"),
        "PARTNERSHIP_AREA": os.environ.get(
            "PARTNERSHIP_AREA", "the Royal Borough of Kingston upon Thames"
        ),
        "PARTNERSHIP_CONTACT_EMAIL": os.environ.get(
            "PARTNERSHIP_CONTACT_EMAIL", "community.safety@kingston.gov.uk"
        ),
        "FRAMEWORK_FILE": os.environ.get(
            "FRAMEWORK_FILE", str(PACKAGE / "framework" / "data" / "safer_kingston.toml")
        ),
        "PLAN_FILE": os.environ.get(
            "PLAN_FILE", str(PACKAGE / "plan" / "data" / "safer_kingston_plan.toml")
        ),
        # Mail: console | file | sendgrid
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "sendgrid" if production else "console"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "no-reply@community-voice.example"),
        "MAIL_FILE_DIR": os.environ.get("MAIL_FILE_DIR", str(instance_path / "mail")),
        "SENDGRID_API_KEY": os.environ.get("SENDGRID_API_KEY", ""),
        "SENDGRID_HOST": os.environ.get("SENDGRID_HOST", "https://api.sendgrid.com"),
        "MAIL_MAX_ATTEMPTS": _int("MAIL_MAX_ATTEMPTS", 6),
        "MAIL_SEND_TIMEOUT_SECONDS": _int("MAIL_SEND_TIMEOUT_SECONDS", 20),
        #: A claim older than this (timed from the claim) belongs to a dead worker.
        "MAIL_CLAIM_LEASE_SECONDS": _int("MAIL_CLAIM_LEASE_SECONDS", 600),
        # Publishing an outcome renders its mails in the request up to this many
        # participants; above it the mail_outcomes job queues them in batches.
        "OUTCOME_MAIL_IN_REQUEST_LIMIT": _int("OUTCOME_MAIL_IN_REQUEST_LIMIT", 2000),
        # Jobs: "inline" runs them in a thread of the web process after the request
        # commits (the embedded default); "worker" leaves them to `flask worker`.
        "JOBS_MODE": os.environ.get("JOBS_MODE", "worker" if production else "inline"),
        "WORKER_POLL_SECONDS": _int("WORKER_POLL_SECONDS", 5),
        # Readiness (/healthz/ready): a worker silent this long, or due mail waiting
        # this long, makes the service "not ready".
        "WORKER_STALE_SECONDS": _int("WORKER_STALE_SECONDS", 120),
        "OUTBOX_MAX_DELAY_SECONDS": _int("OUTBOX_MAX_DELAY_SECONDS", 900),
        # Pages kept for visitors (community/pagecache/): "redis" (the default when
        # REDIS_URL is set: every worker shares the tables' versions), "memory" (one
        # process: the default without Redis outside production) or "off".
        "PAGE_CACHE": os.environ.get("PAGE_CACHE", ""),
        "PAGE_CACHE_SECONDS": _int("PAGE_CACHE_SECONDS", 60),
        "PAGE_CACHE_ENTRIES": _int("PAGE_CACHE_ENTRIES", 128),
        # Rate limits: memory by default, Redis when REDIS_URL is set.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", redis_url or "memory://"),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_SIGN_IN": os.environ.get("RATELIMIT_SIGN_IN", "10 per minute;50 per hour"),
        "RATELIMIT_REGISTER": os.environ.get("RATELIMIT_REGISTER", "5 per minute;20 per hour"),
        "RATELIMIT_RESET": os.environ.get("RATELIMIT_RESET", "5 per minute;20 per hour"),
        "RATELIMIT_SURVEY": os.environ.get("RATELIMIT_SURVEY", "30 per minute;300 per hour"),
        # Per account when signed in, per address otherwise (extensions.per_person_key).
        "RATELIMIT_VOTE": os.environ.get("RATELIMIT_VOTE", "60 per minute;1000 per hour"),
        "RATELIMIT_SUPPORT": os.environ.get("RATELIMIT_SUPPORT", "30 per minute;300 per hour"),
        #: Survey receipts mailed to one address in a day (they carry the sender's text).
        "SURVEY_RECEIPTS_PER_ADDRESS_PER_DAY": int(
            os.environ.get("SURVEY_RECEIPTS_PER_ADDRESS_PER_DAY", "3")
        ),
        # Partner API: per token, and per IP address for calls without a token.
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "120 per minute;5000 per hour"),
        "API_ANONYMOUS_RATE_LIMIT": os.environ.get(
            "API_ANONYMOUS_RATE_LIMIT", "30 per minute;500 per hour"
        ),
        "API_TOKEN_DAYS": _int("API_TOKEN_DAYS", 365),
        # Open data: the licence every dataset is published under.
        "OPEN_DATA_LICENCE_NAME": os.environ.get(
            "OPEN_DATA_LICENCE_NAME", "Open Government Licence v3.0"
        ),
        "OPEN_DATA_LICENCE_URL": os.environ.get(
            "OPEN_DATA_LICENCE_URL",
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        ),
        #: Empty: "Contains public sector information from <partnership> …".
        "OPEN_DATA_ATTRIBUTION": os.environ.get("OPEN_DATA_ATTRIBUTION", ""),
        # Privacy notice (/privacy): who is responsible for people's data, and on what basis.
        # Bump the version when the notice changes: consents record the version agreed to.
        "PRIVACY_NOTICE_VERSION": os.environ.get("PRIVACY_NOTICE_VERSION", "2026-11"),
        "PRIVACY_CONTROLLER_NAME": os.environ.get(
            "PRIVACY_CONTROLLER_NAME",
            "Royal Borough of Kingston upon Thames, for the Safer Kingston Partnership",
        ),
        "PRIVACY_CONTROLLER_ADDRESS": os.environ.get(
            "PRIVACY_CONTROLLER_ADDRESS", "Guildhall, High Street, Kingston upon Thames, KT1 1EU"
        ),
        "PRIVACY_ICO_REGISTRATION": os.environ.get("PRIVACY_ICO_REGISTRATION", ""),
        "PRIVACY_DPO_NAME": os.environ.get("PRIVACY_DPO_NAME", "Data Protection Officer"),
        "PRIVACY_DPO_EMAIL": os.environ.get("PRIVACY_DPO_EMAIL", "data.protection@kingston.gov.uk"),
        "PRIVACY_LAWFUL_BASIS": os.environ.get(
            "PRIVACY_LAWFUL_BASIS",
            "public task (UK GDPR Article 6(1)(e)): the partnership's duty under the Crime "
            "and Disorder Act 1998 to work with the people it serves on its community safety plan",
        ),
        "PRIVACY_SPECIAL_CATEGORY_BASIS": os.environ.get(
            "PRIVACY_SPECIAL_CATEGORY_BASIS",
            "explicit consent (UK GDPR Articles 6(1)(a) and 9(2)(a)), which you can withdraw",
        ),
        "PRIVACY_ICO_URL": os.environ.get(
            "PRIVACY_ICO_URL", "https://ico.org.uk/make-a-complaint/"
        ),
        # Retention (`flask retention`, and the worker's "retention" job once per interval).
        "RETENTION_DEMOGRAPHICS_MONTHS": _int("RETENTION_DEMOGRAPHICS_MONTHS", 12),
        "RETENTION_UNVERIFIED_DAYS": _int("RETENTION_UNVERIFIED_DAYS", 30),
        "RETENTION_INACTIVE_MONTHS": _int("RETENTION_INACTIVE_MONTHS", 36),
        "RETENTION_INACTIVE_WARNING_DAYS": _int("RETENTION_INACTIVE_WARNING_DAYS", 30),
        "RETENTION_OUTBOX_DAYS": _int("RETENTION_OUTBOX_DAYS", 90),
        "RETENTION_INTERVAL_HOURS": _int("RETENTION_INTERVAL_HOURS", 24),
        # Tokens in emails.
        "VERIFY_TOKEN_MAX_AGE": _int("VERIFY_TOKEN_MAX_AGE", 3 * 24 * 3600),
        "RESET_TOKEN_MAX_AGE": _int("RESET_TOKEN_MAX_AGE", 3600),
        # "Forgot password" answers no sooner than this, known address or not (ms).
        "RESET_RESPONSE_FLOOR_SECONDS": _int("RESET_RESPONSE_FLOOR_MS", 250) / 1000,
        # Passwords (argon2id); tests lower the cost.
        "ARGON2_TIME_COST": _int("ARGON2_TIME_COST", 3),
        "ARGON2_MEMORY_COST": _int("ARGON2_MEMORY_COST", 65536),
        "PASSWORD_MIN_LENGTH": _int("PASSWORD_MIN_LENGTH", 10),
        # Sessions and cookies.
        "SESSION_COOKIE_NAME": "cv_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "PERMANENT_SESSION_LIFETIME": _int("SESSION_LIFETIME_SECONDS", 8 * 3600),
        #: The cookie is signed again (its lifetime moved on) at most this often when
        #: nothing in the session changed (community/sessions.py).
        "SESSION_REFRESH_SECONDS": _int("SESSION_REFRESH_SECONDS", 60),
        "PREFERRED_URL_SCHEME": os.environ.get(
            "PREFERRED_URL_SCHEME", "https" if production else "http"
        ),
        "SERVER_NAME": os.environ.get("SERVER_NAME") or None,
        #: Where the site is reached, for links in mail sent by the worker.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
        "PUBLIC_URL_FROM_ENV": bool(os.environ.get("PUBLIC_URL")),
        # Number of reverse proxies in front of the app (for X-Forwarded-*).
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 2 * 1024 * 1024),
        #: The Pol.is import page alone accepts uploads up to this (community/uploads.py).
        "POLIS_UPLOAD_LIMIT": _int("POLIS_UPLOAD_LIMIT", 100 * 1024 * 1024),
        "WTF_CSRF_TIME_LIMIT": _int("WTF_CSRF_TIME_LIMIT", 8 * 3600),
        "BABEL_DEFAULT_LOCALE": os.environ.get("BABEL_DEFAULT_LOCALE", "en_GB"),
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("BABEL_DEFAULT_TIMEZONE", "Europe/London"),
        "LANGUAGES": os.environ.get("LANGUAGES", "en_GB,ko,ta,pl,ar").split(","),
        "ITEMS_PER_PAGE": _int("ITEMS_PER_PAGE", 25),
        #: Reports from this many different people hide a contribution pending review.
        "MODERATION_REPORT_THRESHOLD": _int("MODERATION_REPORT_THRESHOLD", 3),
        # Operations: error reports (Sentry, only when a DSN is given) and log format.
        "SENTRY_DSN": os.environ.get("SENTRY_DSN", ""),
        "SENTRY_ENVIRONMENT": os.environ.get(
            "SENTRY_ENVIRONMENT", "production" if production else "development"
        ),
        "SENTRY_TRACES_SAMPLE_RATE": float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE") or 0),
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "json" if production else "text"),
    }


#: Locales written right to left; the layout sets dir="rtl" for them.
RTL_LANGUAGES = {"ar", "he", "fa", "ur"}
