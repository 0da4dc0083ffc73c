"""The privacy notice, generated from the settings, so it says what the service does."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext


@dataclass
class Purpose:
    what: str
    data: str
    basis: str


@dataclass
class Period:
    data: str
    kept: str


def _months(n: int) -> str:
    if n % 12 == 0:
        return ngettext("%(num)d year", "%(num)d years", n // 12)
    return ngettext("%(num)d month", "%(num)d months", n)


def _days(n: int) -> str:
    return ngettext("%(num)d day", "%(num)d days", n)


def purposes(config) -> list[Purpose]:
    """Why we use information, and the lawful basis for each use."""
    public_task = config["PRIVACY_LAWFUL_BASIS"]
    consent = _("consent (UK GDPR Article 6(1)(a)), which you can withdraw at any time")
    return [
        Purpose(
            _("Your account: to let you sign in, and to keep young people safe"),
            _("email address, display name, age band, password (scrambled)"),
            public_task,
        ),
        Purpose(
            _("To hear what you think and use it to shape the partnership’s plan"),
            _("survey answers, ideas, comments, statements, votes, supports, group projects"),
            public_task,
        ),
        Purpose(
            _("To check what people write before or after it is published, and keep people safe"),
            _("what you write, reports you make, moderators’ decisions"),
            public_task,
        ),
        Purpose(
            _("To email you what happened as a result, or news of what you follow"),
            _("email address, what you asked to hear about"),
            consent,
        ),
        Purpose(
            _("To check the partnership hears from every part of the borough"),
            _("optional answers about you (age band, ward, gender, connection to the borough)"),
            consent,
        ),
        Purpose(
            _("The same, for ethnicity and disability (special category data)"),
            _("optional answers about your ethnicity and any disability"),
            config["PRIVACY_SPECIAL_CATEGORY_BASIS"],
        ),
    ]


def retention(config) -> list[Period]:
    """How long each kind of information is kept (the rules `flask retention` applies)."""
    inactive = config["RETENTION_INACTIVE_MONTHS"]
    return [
        Period(
            _("Your answers about yourself in surveys"),
            _(
                "%(period)s after the consultation closes, then deleted",
                period=_months(config["RETENTION_DEMOGRAPHICS_MONTHS"]),
            ),
        ),
        Period(
            _("An account whose email address was never confirmed"),
            _(
                "%(period)s, then deleted",
                period=_days(config["RETENTION_UNVERIFIED_DAYS"]),
            ),
        ),
        Period(
            _("An account nobody signs in to"),
            _(
                "%(period)s after the last sign-in; we email you %(warning)s before, then "
                "delete it as if you had (what you wrote stays, without your name)",
                period=_months(inactive),
                warning=_days(config["RETENTION_INACTIVE_WARNING_DAYS"]),
            ),
        ),
        Period(
            _("The text of emails we sent you"),
            _(
                "%(period)s after sending, then blanked",
                period=_days(config["RETENTION_OUTBOX_DAYS"]),
            ),
        ),
        Period(
            _("What you wrote, your answers and votes"),
            _(
                "As long as your account; after you delete it, only without your name, "
                "in the totals and texts the partnership publishes"
            ),
        ),
    ]
