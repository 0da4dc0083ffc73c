"""Locale and time zone for each request, and the languages people can choose.

Who decides, in order: the language a signed-in person chose (stored on their
account), the one a visitor chose (kept in the session cookie), then the browser's
``Accept-Language`` header, then the default (British English, the source language).
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

from babel import Locale
from flask import current_app, g, has_request_context, request, session
from flask_babel import force_locale, get_locale, get_translations, refresh
from flask_login import current_user

from .config import RTL_LANGUAGES

#: The session key holding a visitor's chosen language.
SESSION_KEY = "language"


def languages() -> list[str]:
    """The configured locales, the source language first."""
    return current_app.config["LANGUAGES"]


def is_supported(code: str | None) -> bool:
    return bool(code) and code in languages()


def chosen_language() -> str | None:
    """What the person chose themselves, if anything (account first, then session)."""
    if not has_request_context():
        return None
    user_language = getattr(current_user, "language", None) if current_user else None
    if is_supported(user_language):
        return user_language
    visitor_language = session.get(SESSION_KEY)
    return visitor_language if is_supported(visitor_language) else None


def select_locale() -> str:
    if not has_request_context():
        return languages()[0]
    return (
        chosen_language()
        or request.accept_languages.best_match(languages())
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def current_language() -> str:
    """The locale code of this request (``en_GB``, ``ko`` …)."""
    locale = get_locale()
    return str(locale) if locale else current_app.config["BABEL_DEFAULT_LOCALE"]


def is_source_language(code: str | None = None) -> bool:
    """True for the language content is written in (translations are not needed)."""
    code = code or current_language()
    return code == current_app.config["BABEL_DEFAULT_LOCALE"]


def text_direction(code: str | None = None) -> str:
    if code is None:
        locale = get_locale()
        code = locale.language if locale else "en"
    return "rtl" if code.split("_")[0] in RTL_LANGUAGES else "ltr"


def html_lang(code: str | None = None) -> str:
    if code is None:
        locale = get_locale()
        code = str(locale) if locale else "en_GB"
    return code.replace("_", "-")


@lru_cache(maxsize=64)
def language_name(code: str) -> str:
    """A language named in itself, as the GOV.UK switcher asks ("한국어", "Polski").
    Kept: the same for every request, and every page's switcher asks for each."""
    name = Locale.parse(code).get_display_name(code) or code
    # "English (United Kingdom)" → "English": the switcher offers languages, not regions.
    name = name.split(" (")[0]
    return name[:1].upper() + name[1:]


def language_options() -> list[dict]:
    """Every configured language for the switcher: code, own name, lang, dir, current."""
    current = current_language()
    return [
        {
            "code": code,
            "name": language_name(code),
            "lang": html_lang(code),
            "dir": text_direction(code),
            "current": code == current,
        }
        for code in languages()
    ]


def remember_choice(code: str) -> None:
    """Keep a chosen language: in the session always, and on the account when signed in."""
    session[SESSION_KEY] = code
    if current_user and current_user.is_authenticated:
        current_user.language = code
    refresh()


def recipient_language(user) -> str:
    """The language mail to ``user`` is written in: theirs, else the source language."""
    code = getattr(user, "language", None)
    return code if is_supported(code) else current_app.config["BABEL_DEFAULT_LOCALE"]


@contextmanager
def in_language(code: str):
    """Render (mail, exports) in ``code`` whatever the request's own language is."""
    with force_locale(code):
        yield


def translations():
    """This request's translations, looked up once per locale rather than per string.

    Flask-Babel finds the catalogue for every string a template translates (the
    request's babel context, its locale, then the catalogue cache: half a dozen
    context-local lookups), and a page translates 100-400 strings: 5-10 % of each
    page's time (issue 15). The catalogue is kept beside the locale it belongs to,
    so ``force_locale`` (mail in its recipient's language) and ``refresh`` (a
    language just chosen) still change what is found.
    """
    ctx = getattr(g, "_flask_babel", None)
    if ctx is None:
        return get_translations()
    locale = getattr(ctx, "babel_locale", None)
    kept = getattr(ctx, "cv_translations", None)
    if locale is not None and kept is not None and kept[0] is locale:
        return kept[1]
    found = get_translations()
    ctx.cv_translations = (getattr(ctx, "babel_locale", None), found)
    return found


def install_template_gettext(app) -> None:
    """Templates translate through ``translations()`` (installed after Flask-Babel)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
