"""One guard, before every request, against input no page should ever have to handle.

Why one guard: NUL bytes, stray control characters, invalid UTF-8, numbers past
what the database stores and megabyte-long filters each broke a different page
(a 500, or worse a NUL saved into an answer that then failed every later
submit). Checking them once, before any view runs, means a new route is covered
without anyone remembering to.

The rule, with a 400 page that says what was wrong:

- the path and query parameters: no control characters at all (not even
  newlines), valid UTF-8, whole numbers within the database's integer range,
  and no value longer than ``MAX_PARAMETER``;
- form fields: valid UTF-8 and no control characters, except that tab, carriage
  return and line feed are allowed in fields that take several lines: decided by
  the field's type (``TextAreaField``) in the forms the app declares, so titles,
  names and mail subjects stay on one line.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import unquote_to_bytes

from flask import Flask, request
from flask_wtf import FlaskForm
from werkzeug.exceptions import BadRequest
from wtforms import TextAreaField

#: The largest whole number a query parameter may carry (PostgreSQL's ``integer``).
MAX_INTEGER = 2**31 - 1
#: No filter or paging value is anywhere near this long.
MAX_PARAMETER = 1000
#: C0 and C1 control characters and DEL; U+FFFD is what invalid UTF-8 decodes to.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffd]")
#: The same, minus tab, carriage return and line feed, for multi-line fields.
_CONTROL_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_INTEGER = re.compile(r"[-+]?\d+")
#: Survey answers are named ``q<id>``; their long-text type is a text area.
_SURVEY_ANSWER = re.compile(r"q\d+(_other)?")


class BadInput(BadRequest):
    """A 400 whose description says which part of the request was refused."""

    #: The 400 page shows the description (it is ours, not a library's).
    explained = True


def init_app(app: Flask) -> None:
    @app.before_request
    def _guard():
        if request.endpoint == "static":
            return None
        check_request()
        return None


def check_request() -> None:
    """Abort with 400 if the path, query or form carries input no page accepts."""
    path = request.environ.get("PATH_INFO", "")
    if not _valid_utf8(path.encode("latin-1", "replace")) or _CONTROL.search(request.path):
        raise BadInput("The address contains characters that are not allowed.")
    if not _valid_encoded(request.query_string):
        raise BadInput("A search or page parameter is not valid text.")
    for name, value in request.args.items(multi=True):
        _check_parameter(name, value)
    if request.method in {"POST", "PUT", "PATCH"} and request.mimetype in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        # Werkzeug keeps undecodable %-escapes as they are, so look at the raw body
        # (cached: the form is still parsed from it afterwards).
        if request.mimetype == "application/x-www-form-urlencoded" and not _valid_encoded(
            request.get_data(cache=True)
        ):
            raise BadInput("The form contains text that is not valid.")
        for name, value in request.form.items(multi=True):
            if _CONTROL.search(name) or _CONTROL.search(value):
                # Rarely reached (most forms carry no line break), so which fields
                # take several lines is worked out only here.
                _check_field(name, value, _is_multi_line(name))


def _is_multi_line(name: str) -> bool:
    return (
        name in multi_line_fields()
        or bool(_SURVEY_ANSWER.fullmatch(name))
        or bool(_translation_field_name().fullmatch(name))
    )


def _check_parameter(name: str, value: str) -> None:
    if _CONTROL.search(name) or _CONTROL.search(value):
        raise BadInput("A search or page parameter contains characters that are not allowed.")
    if len(value) > MAX_PARAMETER:
        raise BadInput("A search or page parameter is too long.")
    if _INTEGER.fullmatch(value.strip()) and abs(int(value)) > MAX_INTEGER:
        raise BadInput("A page or filter number is out of range.")


def _check_field(name: str, value: str, multi_line: bool) -> None:
    pattern = _CONTROL_MULTI_LINE if multi_line else _CONTROL
    if _CONTROL.search(name) or pattern.search(value):
        what = "characters that are not allowed"
        if not multi_line and ("\n" in value or "\r" in value):
            what = "a line break in a box that takes one line"
        raise BadInput(f"The form contains {what}.")


def _valid_encoded(raw: bytes) -> bool:
    """Whether every %-escaped part of a query string or form body is UTF-8."""
    return _valid_utf8(unquote_to_bytes(raw.replace(b"+", b" ")))


def _valid_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _translation_field_name() -> re.Pattern:
    """The translation form's boxes (all text areas) are built per request, so their
    class may already be collected when the names are gathered: match them by name."""
    from .multilingual.service import FIELD_NAME

    return FIELD_NAME


def multi_line_fields() -> frozenset[str]:
    """Names of every text-area field the app's forms declare (built once per process).

    Forms built at run time (the survey builder's) are declared in their module as
    ``MULTI_LINE_FIELDS``; survey answers are matched by their ``q<id>`` name.
    """
    return _multi_line_fields(len(_all_forms()))


@cache
def _multi_line_fields(_count: int) -> frozenset[str]:
    from .surveys.builder.forms import MULTI_LINE_FIELDS

    names = set(MULTI_LINE_FIELDS)
    for form in _all_forms():
        for name in dir(form):
            field = getattr(form, name, None)
            field_class = getattr(field, "field_class", None)
            if isinstance(field_class, type) and issubclass(field_class, TextAreaField):
                names.add(name)
    return frozenset(names)


def _all_forms() -> list[type]:
    found, todo = [], [FlaskForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found
