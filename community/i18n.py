"""Locale and time zone for each request. English is the only catalogue for now."""

from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_babel import get_locale

from .config import RTL_LANGUAGES


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return languages[0]
    return request.accept_languages.best_match(languages) or languages[0]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def text_direction() -> str:
    locale = get_locale()
    return "rtl" if locale and locale.language in RTL_LANGUAGES else "ltr"


def html_lang() -> str:
    locale = get_locale()
    return str(locale).replace("_", "-") if locale else "en-GB"
