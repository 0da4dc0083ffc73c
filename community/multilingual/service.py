"""Which parts of a consultation can be translated, reading translations for a page,
and saving an officer's translations.

A page reads every translation of its consultation in the page's language once (one
query, kept on ``g``), then ``tr(obj, field)`` answers from memory: a survey of fifty
questions costs one query, not fifty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import g
from sqlalchemy import delete, inspect, select

from ..audit.service import record
from ..extensions import db
from ..failures import ServiceError
from ..i18n import current_language, is_source_language, languages
from ..sanitise import rich_text
from .models import ContentTranslation

#: What each kind of object offers to translate, and its consultation.
FIELDS = {
    "consultation": ("title", "summary", "body_html"),
    "survey": ("title", "intro"),
    "section": ("title", "intro"),
    "question": ("text", "help_text", "choices"),
    "board": ("title", "description"),
    "finding": ("statement",),
    "response": ("explanation",),
}
KINDS = {
    "Consultation": "consultation",
    "Survey": "survey",
    "Section": "section",
    "Question": "question",
    "IdeaBoard": "board",
    "Finding": "finding",
    "FindingResponse": "response",
}
#: The translation form's box names (``question_12_choices``): every one is a text area
#: built at run time, so the input guard lets line breaks through them by this pattern.
FIELD_NAME = re.compile(
    r"(?:{})_\d+_(?:{})".format(
        "|".join(FIELDS), "|".join(sorted({f for fs in FIELDS.values() for f in fs}))
    )
)
#: Fields holding sanitised rich text (the translation is sanitised the same way).
RICH = {"body_html"}


@dataclass
class Unit:
    """One translatable field: where it is, its English, and the translation if any."""

    kind: str
    object_id: int
    field: str
    original: str
    label: str
    translation: str = ""

    @property
    def name(self) -> str:
        return f"{self.kind}_{self.object_id}_{self.field}"


def _kind(obj) -> str | None:
    obj = getattr(obj, "_original", obj)
    return KINDS.get(type(obj).__name__)


def consultation_id_of(obj) -> int | None:
    obj = getattr(obj, "_original", obj)
    kind = _kind(obj)
    if kind == "consultation":
        return obj.id
    if kind in ("survey", "board", "finding"):
        return obj.consultation_id
    if kind == "section":
        return _survey_of_section(obj).consultation_id
    if kind == "question":
        return _survey_of_section(obj.section).consultation_id
    if kind == "response":
        return obj.finding.consultation_id
    return None


def _survey_of_section(section):
    """The section's survey. The survey flow's sections come from a per-process cache,
    detached (see surveys/answering/loading.py), so their survey is read by id: the request has
    loaded it already, and the session's identity map answers without a query."""
    if "survey" in section.__dict__:
        return section.survey
    survey_class = inspect(section).mapper.relationships["survey"].mapper.class_
    return db.session.get(survey_class, section.survey_id)


def translations(consultation_id: int, language: str) -> dict[tuple[str, int, str], str]:
    """Every translation of a consultation in ``language``, read once per request."""
    cache = g.setdefault("_content_translations", {})
    key = (consultation_id, language)
    if key not in cache:
        rows = db.session.execute(
            select(
                ContentTranslation.kind,
                ContentTranslation.object_id,
                ContentTranslation.field,
                ContentTranslation.text,
            ).where(
                ContentTranslation.consultation_id == consultation_id,
                ContentTranslation.language == language,
            )
        )
        cache[key] = {(kind, oid, field): text for kind, oid, field, text in rows}
    return cache[key]


def forget_cached() -> None:
    g.pop("_content_translations", None)


def tr(obj, field: str, language: str | None = None, consultation_id: int | None = None) -> str:
    """``obj.field`` in the page's language where an officer translated it, else as written.

    ``consultation_id`` when the caller knows it: the survey flow's questions come from a
    per-process cache, detached, so they cannot reach their consultation themselves."""
    original = getattr(obj, field, "") or ""
    language = language or current_language()
    if obj is None or is_source_language(language):
        return original
    consultation_id, kind = consultation_id or consultation_id_of(obj), _kind(obj)
    if consultation_id is None or kind is None or not original:
        return original
    obj = getattr(obj, "_original", obj)
    return translations(consultation_id, language).get((kind, obj.id, field)) or original


class TranslatedQuestion:
    """A question read in another language: its wording, help and option labels are the
    translation, while every option's value stays the original, so answers are stored,
    counted and exported exactly as they would be from the English page."""

    def __init__(self, question, language: str, consultation_id: int | None = None):
        self._original = question
        consultation_id = consultation_id or consultation_id_of(question)
        self.text = tr(question, "text", language, consultation_id)
        self.help_text = tr(question, "help_text", language, consultation_id)
        options = dict(question.options or {})
        choices = [str(c) for c in options.get("choices", [])]
        labels = (
            translations(consultation_id, language).get(("question", question.id, "choices"))
            if choices and consultation_id is not None
            else None
        )
        if labels:
            translated = [line.strip() for line in str(labels).splitlines()]
            if len(translated) == len(choices) and all(translated):
                options["labels"] = dict(zip(choices, translated, strict=True))
        self.options = options

    def __getattr__(self, name):
        return getattr(self._original, name)

    def __eq__(self, other):
        return getattr(other, "_original", other) is self._original

    def __hash__(self):
        return hash(self._original)


def localise_questions(questions: list, consultation_id: int | None = None) -> list:
    """The questions as a page in the current language shows them (``consultation_id``
    for questions that cannot reach it themselves: see ``tr``)."""
    language = current_language()
    if is_source_language(language):
        return list(questions)
    return [TranslatedQuestion(q, language, consultation_id) for q in questions]


def option_label(question, value: str) -> str:
    """The label of an option value (the translation where there is one)."""
    return (question.options or {}).get("labels", {}).get(value, value)


def units(consultation) -> list[Unit]:
    """Every translatable field of the consultation that has English text, in page order."""
    from ..ideas.models import IdeaBoard
    from ..plan.models import Finding

    found: list[Unit] = []

    def add(kind, obj, label):
        for field in FIELDS[kind]:
            if field == "choices":
                original = "\n".join(str(c) for c in (obj.options or {}).get("choices", []))
            else:
                original = getattr(obj, field, "") or ""
            if original.strip():
                found.append(Unit(kind, obj.id, field, original, label))

    add("consultation", consultation, "")
    for survey in consultation.surveys:
        add("survey", survey, survey.title)
        for section in survey.sections:
            add("section", section, section.title)
            for question in section.questions:
                add("question", question, question.text[:80])
    boards = db.session.scalars(
        select(IdeaBoard).where(IdeaBoard.consultation_id == consultation.id)
    ).all()
    for board in boards:
        add("board", board, board.title)
    findings = db.session.scalars(
        select(Finding).where(Finding.consultation_id == consultation.id).order_by(Finding.id)
    ).all()
    for finding in findings:
        add("finding", finding, finding.statement[:80])
        if finding.response is not None:
            add("response", finding.response, finding.statement[:80])
    return found


def other_languages() -> list[str]:
    return [code for code in languages() if not is_source_language(code)]


def with_translations(consultation, language: str) -> list[Unit]:
    found = units(consultation)
    existing = translations(consultation.id, language)
    for unit in found:
        unit.translation = existing.get((unit.kind, unit.object_id, unit.field), "")
    return found


def completeness(consultation) -> dict[str, tuple[int, int]]:
    """For each language: (fields translated, fields to translate)."""
    found = units(consultation)
    wanted = {(u.kind, u.object_id, u.field) for u in found}
    rows = db.session.execute(
        select(
            ContentTranslation.language,
            ContentTranslation.kind,
            ContentTranslation.object_id,
            ContentTranslation.field,
        ).where(ContentTranslation.consultation_id == consultation.id)
    ).all()
    done = dict.fromkeys(other_languages(), 0)
    for language, kind, oid, field in rows:
        if language in done and (kind, oid, field) in wanted:
            done[language] += 1
    return {code: (done[code], len(wanted)) for code in done}


def is_complete(consultation, language: str) -> bool:
    if is_source_language(language):
        return True
    wanted = units(consultation)
    existing = translations(consultation.id, language)
    return all((u.kind, u.object_id, u.field) in existing for u in wanted)


def translation_gap(consultation) -> str:
    """The page language's own name when this consultation is not fully translated into
    it ("" when it is, or when the page is in the source language)."""
    from ..i18n import language_name

    language = current_language()
    if consultation is None or is_source_language(language):
        return ""
    return "" if is_complete(consultation, language) else language_name(language)


class TranslationError(ServiceError):
    """Translations that cannot be saved: a message for each box that is wrong."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(problems.values()), problems=list(problems.items()))


def save(consultation, language: str, submitted: dict[str, str], officer) -> int:
    """Store the officer's translations (an emptied box removes one); how many are kept.

    Options must keep their number: each line is the label of the option in the same place.
    """
    from flask_babel import gettext as _

    found = {u.name: u for u in units(consultation)}
    problems = {}
    cleaned = {}
    for name, unit in found.items():
        text = (submitted.get(name) or "").strip()
        if unit.field == "choices" and text:
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            if len(lines) != len(unit.original.splitlines()):
                problems[name] = _(
                    "Give one translation for each of the %(n)d options, one per line",
                    n=len(unit.original.splitlines()),
                )
                continue
            text = "\n".join(lines)
        if unit.field in RICH and text:
            text = rich_text(text)
        cleaned[name] = text
    if problems:
        raise TranslationError(problems)
    db.session.execute(
        delete(ContentTranslation).where(
            ContentTranslation.consultation_id == consultation.id,
            ContentTranslation.language == language,
        )
    )
    kept = 0
    for name, text in cleaned.items():
        if not text:
            continue
        unit = found[name]
        db.session.add(
            ContentTranslation(
                consultation_id=consultation.id,
                kind=unit.kind,
                object_id=unit.object_id,
                field=unit.field,
                language=language,
                text=text,
                updated_by_id=officer.id,
            )
        )
        kept += 1
    record(
        "consultation.translated",
        "consultation",
        consultation.id,
        actor=officer,
        language=language,
        fields=kept,
    )
    forget_cached()
    return kept
