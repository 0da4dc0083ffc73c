"""Jinja set-up: GOV.UK Frontend macros, the service's globals, filters."""

from __future__ import annotations

import functools
import json
from collections import ChainMap
from datetime import datetime

from babel.dates import format_skeleton
from flask import Flask, current_app, has_request_context, request, session, templating, url_for
from flask_babel import (
    format_date,
    format_decimal,
    format_percent,
    format_time,
    get_locale,
    to_user_timezone,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from govuk_frontend_wtf.main import wtforms_errors
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from .accounts.permissions import CAPABILITIES, can
from .disclosure import public_figures, threshold
from .i18n import (
    current_language,
    html_lang,
    is_source_language,
    language_name,
    language_options,
    text_direction,
)


class Navigation(list):
    """The menu's items, with ``key``: what the kept navigation is kept under."""

    key: str = ""


def navigation() -> Navigation:
    """The service navigation for the current user, by what their role allows. The
    same for every request of one role, language and page, so it is built (and
    turned into its key) once per process for each (issue 15: a dozen translations
    and capability checks on every page)."""
    role = current_user.role if current_user.is_authenticated else None
    return _navigation(role, current_language(), request.endpoint)


#: The menu: (href, text, endpoint, the capability it needs, or None for everyone).
_MENU = (
    ("/", _l("Home"), "main.home", None),
    ("/consultations/", _l("Consultations"), "consultations.index", None),
    ("/ideas/", _l("Ideas"), "ideas.index", None),
    ("/groups/", _l("Groups"), "groups.index", None),
    ("/outcomes/", _l("What we did"), "plan.outcomes", None),
    ("/plan/", _l("Our plan"), "plan.index", None),
    ("/framework/", _l("How we work"), "framework.index", None),
    (
        "/manage/consultations/",
        _l("Manage"),
        "consultations_admin.index",
        "manage_consultations",
    ),
    ("/partnership/evidence", _l("Evidence"), "partnership.matrix", "view_shared_analysis"),
    ("/moderation/", _l("Moderation"), "moderation.queue", "moderate"),
    ("/tagging/", _l("Tagging"), "tagging.index", "tag"),
    ("/admin/framework/", _l("Framework"), "framework_admin.index", "manage_framework"),
    ("/admin/users/", _l("People"), "users_admin.list_users", "manage_users"),
    ("/admin/audit/", _l("Audit log"), "audit_admin.list_events", "manage_users"),
    ("/admin/mail/", _l("Mail"), "outbox_admin.list_messages", "manage_users"),
    ("/manage/partner-data/", _l("Partner data"), "partners.index", "manage_partner_data"),
    ("/admin/api-tokens/", _l("API tokens"), "api_tokens.index", "manage_api_tokens"),
)
_SIGNED_IN = (("/account", _l("Your account"), "accounts.account", None),)
_SIGNED_OUT = (
    ("/sign-in", _l("Sign in"), "accounts.sign_in", None),
    ("/register", _l("Create an account"), "accounts.register", None),
)


@functools.lru_cache(maxsize=1024)
def _navigation(role, _language: str, endpoint: str | None) -> Navigation:
    held = CAPABILITIES.get(role, frozenset())
    entries = _MENU + (_SIGNED_IN if role is not None else _SIGNED_OUT)
    items = Navigation(
        {"href": href, "text": str(text), "active": endpoint == name}
        for href, text, name, needs in entries
        if needs is None or needs in held
    )
    items.key = json.dumps(items, sort_keys=True)
    return items


def page_url(number: int) -> str:
    """The current page's URL with another page number, keeping the filters."""
    args = request.args.to_dict()
    args["page"] = number
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def form_errors(form) -> dict:
    """Error summary parameters for a WTForms form, with a translated title."""
    return wtforms_errors(form, {"titleText": _("There is a problem")})


#: Date patterns written for English; other languages get their own order and words.
_ENGLISH_PATTERNS = {"d MMMM yyyy": "long", "d MMM yyyy": "medium"}


def format_day(value, fmt: str = "d MMMM yyyy") -> str:
    """A date in the page's language: "4 December 2026", "2026년 12월 4일", "4 grudnia 2026".

    A moment is first the day it was where the partnership is; each day's words are
    kept per pattern and language (a board of 25 ideas wrote 25 dates through babel,
    a tenth of drawing the board)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = to_user_timezone(value).date()
    return _day_words(value, fmt, str(get_locale()), is_source_language())


@functools.lru_cache(maxsize=4096)
def _day_words(day, fmt: str, locale: str, source: bool) -> str:
    if not source:
        if fmt == "MMM yyyy":
            return format_skeleton("yMMM", day, locale=locale)
        fmt = _ENGLISH_PATTERNS.get(fmt, fmt if fmt in ("short", "medium", "long") else "long")
    return format_date(day, fmt)


def format_moment(value, fmt: str = "d MMMM yyyy, HH:mm") -> str:
    """A date and time in the page's language (the time zone is the partnership's)."""
    if not value:
        return ""
    if is_source_language():
        from flask_babel import format_datetime

        return format_datetime(value, fmt)
    return f"{format_date(value, 'long')}, {format_time(value, 'short')}"


def _tr(obj, field: str) -> str:
    """A consultation's content in the page's language (multilingual/service.py)."""
    from .multilingual.service import tr

    return tr(obj, field)


def _translation_gap(consultation) -> str:
    from .multilingual.service import translation_gap

    return translation_gap(consultation)


class _Globals(ChainMap):
    """Template globals whose ``keys()`` is a set. Jinja subtracts them from the
    rendering context's globals on every ``{% import %}`` / ``{% from … import %}``,
    and the GOV.UK macros import their parts inside every call (a radio group: the
    fieldset, hint, error message and label macros, per option). With ChainMap's own
    keys view that subtraction was a Python loop of 36 lookups each time: about 60
    imports and a third of a survey page's render (issue 15)."""

    def keys(self):  # type: ignore[override]
        return set().union(*self.maps)


class Environment(templating.Environment):
    """Flask's environment, with the globals above."""

    def make_globals(self, d):
        return _Globals(d if d is not None else {}, self.globals)


def init_app(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(app.template_folder),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(
        can=can,
        form_errors=form_errors,
        wtforms_errors=wtforms_errors,
        html_lang=html_lang,
        language_options=language_options,
        language_name=language_name,
        text_direction=text_direction,
        navigation=navigation,
        page_url=page_url,
        disclose=public_figures,
        threshold=threshold,
        tr=_tr,
        translation_gap=_translation_gap,
    )
    app.jinja_env.filters.update(
        date=format_day,
        datetime=format_moment,
        number=lambda value: format_decimal(value) if value is not None else "",
        percent=lambda share: format_percent(share) if share is not None else "–",
        decimal=lambda value, places=2: (
            format_decimal(value, format=f"0.{'0' * places}") if value is not None else ""
        ),
    )

    @app.context_processor
    def _globals():
        return {
            "partnership_name": current_app.config["PARTNERSHIP_NAME"],
            "service_name": current_app.config["SERVICE_NAME"],
            # Mail is rendered by jobs and commands too, where there is no request.
            "show_cookie_notice": has_request_context() and not session.get("cookie_notice_hidden"),
        }
