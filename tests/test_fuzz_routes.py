"""Hostile input into every route of the access matrix: never a 500.

Every route the access matrix declares is requested as an administrator (who may
reach nearly all of them) with hostile query parameters, and every form found on
any page is posted with hostile values in every field. What the request guard
refuses gets 400; what it lets through the pages must handle: either way, no 500.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.conftest import sign_in_client
from tests.test_access_matrix import MATRIX, ids  # noqa: F401  (the fixture)

#: NUL, CR/LF, a number past any integer column, invalid UTF-8, 100,000 characters.
HOSTILE = [
    "a\x00b",
    "Title\r\nBcc: victim@example.org",
    "99999999999999999999",
    "%ff%fe",  # sent raw in query strings; as bytes in forms (below)
    "x" * 100_000,
]
#: Values the guard lets through, which the pages themselves must handle.
WRONG_BUT_CLEAN = ["x", "-1", "0", "2147483647", "é" * 900, "' OR 1=1 --"]
#: Query parameters the pages read (the guard and the pages both see them).
PARAMETERS = [
    "page", "per_page", "role", "ward", "status", "q", "issue", "axis", "period", "row",
    "column", "action", "by", "question", "kind", "code", "view", "grouping", "next",
    "prevention", "term", "consultation", "group", "vote", "age_band", "quarter", "on",
]  # fmt: skip
_FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"', re.I)
_FORM = re.compile(
    r'<form[^>]*\bmethod="post"[^>]*\baction="([^"]*)"'
    r'|<form[^>]*\baction="([^"]*)"[^>]*\bmethod="post"',
    re.I,
)


def _urls(app, ids):  # noqa: F811
    with app.test_request_context():
        from flask import url_for

        return {
            name: (url_for(name, **route.args(ids)), route.method)
            for name, route in MATRIX.items()
            if name not in {"accounts.sign_out", "static"}
        }


def _query(value: str, names) -> str:
    from urllib.parse import quote

    encoded = value if value.startswith("%") else quote(value, safe="")
    return "&".join(f"{name}={encoded}" for name in names)


def _names(value: str) -> list[str]:
    """Every parameter, except for the 100,000-character value: one over-long parameter
    is refused as surely as 27, and 27 of them made a 2.7 MB address that the test
    client took 0.7 s to quote, on every route (250 s, a third of the suite)."""
    return PARAMETERS[:2] if len(value) > 10_000 else PARAMETERS


def _no_500(response, what: str, failures: list) -> None:
    if response.status_code >= 500:
        failures.append(f"{response.status_code} {what}")


@pytest.mark.slow
def test_hostile_query_parameters_never_give_a_500(app, users, ids):  # noqa: F811
    failures: list[str] = []
    for name, (url, method) in _urls(app, ids).items():
        client = sign_in_client(app, users["admin"])
        for value in HOSTILE:
            response = client.open(f"{url}?{_query(value, _names(value))}", method=method)
            _no_500(response, f"{method} {url} ({name}) with {value[:20]!r}", failures)
            assert response.status_code == 400, f"{url}: {value[:20]!r} not refused"
        if method != "GET":
            continue
        for value in WRONG_BUT_CLEAN:
            response = client.get(f"{url}?{_query(value, PARAMETERS)}")
            _no_500(response, f"GET {url}?…={value[:20]!r} ({name})", failures)
    assert not failures, "\n".join(failures[:40])


@pytest.mark.slow
def test_hostile_form_posts_never_give_a_500(app, users, ids):  # noqa: F811
    """Every form on every page, every field hostile at once: 400 or handled, never 500."""
    forms: dict[str, set[str]] = {}
    for _name, (url, method) in _urls(app, ids).items():
        if method != "GET":
            forms.setdefault(url, set())
            continue
        page = sign_in_client(app, users["admin"]).get(url)
        html = page.get_data().decode("utf-8", "replace")
        fields = set(_FIELD.findall(html)) - {"csrf_token"}
        for match in _FORM.finditer(html):
            action = unescape(match.group(1) or match.group(2) or url)
            if action.startswith("/") and not action.startswith("/sign-out"):
                forms.setdefault(action, set()).update(fields)
    every_field = set().union(*forms.values())
    failures: list[str] = []
    for action, fields in forms.items():
        for value in [*HOSTILE[:3], HOSTILE[4], *WRONG_BUT_CLEAN]:
            data = dict.fromkeys(fields or every_field, value)
            response = sign_in_client(app, users["admin"]).post(action, data=data)
            _no_500(response, f"POST {action} with {value[:20]!r}", failures)
        raw = b"&".join(f.encode() + b"=%ff%fe" for f in sorted(fields or every_field))
        response = sign_in_client(app, users["admin"]).post(
            action, data=raw, content_type="application/x-www-form-urlencoded"
        )
        _no_500(response, f"POST {action} with invalid UTF-8", failures)
        if fields:
            assert response.status_code == 400, f"{action}: invalid UTF-8 not refused"
    assert len(forms) > 50, "the walk found too few forms to mean anything"
    assert not failures, "\n".join(failures[:40])
