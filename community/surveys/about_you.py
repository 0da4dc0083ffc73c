"""Optional "about you" questions. Each has "prefer not to say"; some are special category."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

PREFER_NOT = "prefer_not_to_say"


@dataclass(frozen=True)
class AboutYouQuestion:
    key: str
    text: object
    choices: tuple[tuple[str, object], ...]
    #: Special category data (UK GDPR article 9): asked only with explicit consent.
    special: bool = False
    multiple: bool = False


QUESTIONS: dict[str, AboutYouQuestion] = {
    q.key: q
    for q in (
        AboutYouQuestion(
            "age_band",
            _l("How old are you?"),
            (
                ("13_15", _l("13 to 15")),
                ("16_17", _l("16 or 17")),
                ("18_24", _l("18 to 24")),
                ("25_34", _l("25 to 34")),
                ("35_44", _l("35 to 44")),
                ("45_54", _l("45 to 54")),
                ("55_64", _l("55 to 64")),
                ("65_74", _l("65 to 74")),
                ("75_plus", _l("75 or over")),
            ),
        ),
        AboutYouQuestion("ward", _l("Which ward do you live in?"), ()),
        AboutYouQuestion(
            "gender",
            _l("What is your gender?"),
            (
                ("woman", _l("Woman")),
                ("man", _l("Man")),
                ("non_binary", _l("Non-binary")),
                ("other", _l("In another way")),
            ),
        ),
        AboutYouQuestion(
            "connection",
            _l("What is your connection to the borough?"),
            (
                ("live", _l("I live here")),
                ("work", _l("I work here")),
                ("study", _l("I study here")),
                ("visit", _l("I visit")),
                ("other", _l("Another connection")),
            ),
        ),
        AboutYouQuestion(
            "ethnicity",
            _l("What is your ethnic group?"),
            (
                ("asian", _l("Asian or Asian British")),
                ("black", _l("Black, Black British, Caribbean or African")),
                ("mixed", _l("Mixed or multiple ethnic groups")),
                ("white", _l("White")),
                ("other", _l("Another ethnic group")),
            ),
            special=True,
        ),
        AboutYouQuestion(
            "disability",
            _l("Do you consider yourself to have a disability or long-term health condition?"),
            (("yes", _l("Yes")), ("no", _l("No"))),
            special=True,
        ),
    )
}


def choices(question: AboutYouQuestion) -> list[tuple[str, object]]:
    """The options, with wards from the framework, and always "prefer not to say"."""
    options = list(question.choices)
    if question.key == "ward":
        from ..extensions import db
        from ..framework.models import active_terms_query

        options = [
            (t.code, t.name)
            for t in db.session.scalars(active_terms_query("area"))
            if t.code != "prefer-not-to-say"
        ]
    return options + [(PREFER_NOT, _l("Prefer not to say"))]


def label(key: str, value: str) -> str:
    for code, text in choices(QUESTIONS[key]):
        if code == value:
            return str(text)
    return value
