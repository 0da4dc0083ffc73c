"""Building surveys: sections, questions, conditions, copies, and the lock after the first answer.

Services add and flush; the request commits. Every change is audited. Once a survey
is locked (its first response was submitted) only wording may change: answers
already given must keep meaning what they meant.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from ...audit.service import record
from ...consultations.models import Phase
from ...extensions import db
from ...failures import ServiceError
from .. import about_you
from ..answering import service as answering
from ..models import Channel, Question, Response, Section, Survey
from ..qtypes import REGISTRY
from .conditions import (
    dependent,
    earlier,
    first_problem,
    next_position,
    ordered_questions,
    ordered_sections,
    problem,
    renumber,
    swap,
)


class BuilderError(ServiceError):
    """A rule was broken; the message is safe to show. ``field`` names the form field."""


def locked_error() -> BuilderError:
    return BuilderError(
        _(
            "People have answered this survey, so only wording can change. "
            "To change anything else, duplicate the survey and edit the copy."
        )
    )


def _unlocked(survey: Survey) -> None:
    if survey.is_locked:
        raise locked_error()


def _refuse(reason: str | None, field: str | None = None) -> None:
    if reason:
        raise BuilderError(reason, field)


def _record(survey: Survey, verb: str, officer, **details) -> None:
    record(f"survey.{verb}", "survey", survey.id, actor=officer, **details)


def load_survey(survey_id: int, *, for_update: bool = False) -> Survey | None:
    """The survey; locked for this transaction when about to change it, so a change and
    the first submitted response (which locks the survey) cannot pass each other."""
    stmt = select(Survey).where(Survey.id == survey_id)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(stmt)


# --- the survey ----------------------------------------------------------------------


@dataclass
class SurveyDetails:
    title: str
    intro: str = ""
    #: Keys of about_you.QUESTIONS; None leaves them as they are.
    about_you: list[str] | None = None


def _about(keys) -> list[str]:
    return [k for k in about_you.QUESTIONS if k in set(keys or [])]


def create_survey(consultation, details: SurveyDetails, officer) -> Survey:
    survey = Survey(
        consultation=consultation,
        title=details.title.strip(),
        intro=details.intro.strip(),
        about_you=_about(details.about_you),
    )
    db.session.add(survey)
    db.session.flush()
    _record(survey, "created", officer, consultation_id=consultation.id)
    return survey


def update_survey(survey: Survey, details: SurveyDetails, officer) -> None:
    """Title and introduction always; the "about you" questions only while unlocked."""
    if details.about_you is not None and _about(details.about_you) != survey.about_you:
        if survey.is_locked:
            raise locked_error()
        survey.about_you = _about(details.about_you)
    survey.title = details.title.strip()
    survey.intro = details.intro.strip()
    _record(survey, "edited", officer)


def _copy_title(title: str) -> str:
    suffix = _(" (copy)")
    return title[: 160 - len(suffix)] + suffix


def _copy_question(question: Question) -> Question:
    return Question(
        position=question.position,
        kind=question.kind,
        text=question.text,
        help_text=question.help_text,
        required=question.required,
        options=copy.deepcopy(question.options or {}),
        condition=copy.deepcopy(question.condition),
    )


def _copy_section(section: Section, title: str) -> tuple[Section, dict[Question, Question]]:
    made = Section(
        position=section.position,
        title=title,
        intro=section.intro,
        condition=copy.deepcopy(section.condition),
    )
    pairs = {q: _copy_question(q) for q in ordered_questions(section)}
    made.questions.extend(pairs.values())
    return made, pairs


def _remap(items, pairs: dict[Question, Question]) -> None:
    """Point conditions at the copies of the questions they tested (ids exist after flush)."""
    ids = {old.id: new.id for old, new in pairs.items()}
    for item in items:
        if item.condition and item.condition.get("question_id") in ids:
            item.condition = {**item.condition, "question_id": ids[item.condition["question_id"]]}


def duplicate_survey(survey: Survey, officer) -> Survey:
    """A new, unlocked draft copy in the same consultation: the way to change a locked one."""
    made = Survey(
        consultation_id=survey.consultation_id,
        title=_copy_title(survey.title),
        intro=survey.intro,
        about_you=list(survey.about_you or []),
    )
    pairs: dict[Question, Question] = {}
    for section in ordered_sections(survey):
        section_copy, section_pairs = _copy_section(section, section.title)
        made.sections.append(section_copy)
        pairs.update(section_pairs)
    db.session.add(made)
    db.session.flush()
    _remap([*made.sections, *pairs.values()], pairs)
    _record(made, "duplicated", officer, copied_from=survey.id)
    return made


# --- sections -------------------------------------------------------------------------


def add_section(survey: Survey, title: str, intro: str, officer) -> Section:
    _unlocked(survey)
    section = Section(
        title=title.strip(), intro=intro.strip(), position=next_position(survey.sections)
    )
    survey.sections.append(section)
    db.session.flush()
    _record(survey, "section_added", officer, section_id=section.id)
    return section


def update_section(section: Section, title: str, intro: str, officer) -> None:
    """Rewording is allowed even once the survey is locked."""
    section.title = title.strip()
    section.intro = intro.strip()
    _record(section.survey, "section_edited", officer, section_id=section.id)


def delete_section(section: Section, officer) -> None:
    survey = section.survey
    _unlocked(survey)
    _refuse(dependent(survey, {q.id for q in section.questions}, exclude=section))
    _record(survey, "section_deleted", officer, section_id=section.id, title=section.title)
    survey.sections.remove(section)
    renumber(ordered_sections(survey))
    db.session.flush()


def move_section(section: Section, direction: str, officer) -> None:
    survey = section.survey
    _unlocked(survey)
    if not swap(ordered_sections(survey), section, direction):
        raise BuilderError(_("That section cannot move further that way"))
    _refuse(first_problem(survey))
    _record(survey, "section_moved", officer, section_id=section.id, direction=direction)


def duplicate_section(section: Section, officer) -> Section:
    """A copy right after it, with copies of its questions (conditions among them remapped)."""
    survey = section.survey
    _unlocked(survey)
    made, pairs = _copy_section(section, _copy_title(section.title))
    sections = ordered_sections(survey)
    survey.sections.append(made)
    sections.insert(sections.index(section) + 1, made)
    renumber(sections)
    db.session.flush()
    _remap(pairs.values(), pairs)
    _record(survey, "section_duplicated", officer, section_id=section.id, copy_id=made.id)
    return made


# --- questions ------------------------------------------------------------------------


@dataclass
class QuestionData:
    text: str
    help_text: str = ""
    #: None leaves it as it is (a locked survey's form does not offer it).
    required: bool | None = None
    #: The settings given (REGISTRY[kind].settings); None or missing keys leave them.
    options: dict | None = None


def _clean(kind: str, options: dict) -> dict:
    settings = REGISTRY[kind].settings
    return {k: v for k, v in options.items() if k in settings and v not in (None, "", [])}


def _same(stored, given) -> bool:
    """Equal settings, counting unset, "no" and empty as the same thing."""

    def blank(value) -> bool:
        return value is None or value is False or value == "" or value == []

    return (blank(stored) and blank(given)) or stored == given


def add_question(section: Section, kind: str, data: QuestionData, officer) -> Question:
    survey = section.survey
    _unlocked(survey)
    if kind not in REGISTRY:
        raise BuilderError(_("Choose a type of question"), "kind")
    question = Question(
        kind=kind,
        text=data.text.strip(),
        help_text=data.help_text.strip(),
        required=bool(data.required) and REGISTRY[kind].takes_answer,
        options=_clean(kind, data.options or {}),
        position=next_position(section.questions),
    )
    section.questions.append(question)
    db.session.flush()
    _record(survey, "question_added", officer, question_id=question.id, kind=kind)
    return question


def update_question(question: Question, data: QuestionData, officer, kind: str | None = None):
    """Reword at any time; retype, change settings or "required" only while unlocked."""
    survey = question.section.survey
    kind = kind or question.kind
    given = data.options or {}
    retyped_from = question.kind if kind != question.kind else None
    if survey.is_locked:
        if kind != question.kind:
            raise locked_error()
        if data.required is not None and data.required != question.required:
            raise locked_error()
        stored = question.options or {}
        if any(not _same(stored.get(k), v) for k, v in given.items()):
            raise locked_error()
    else:
        if kind not in REGISTRY:
            raise BuilderError(_("Choose a type of question"), "text")
        question.kind = kind
        if data.options is not None:
            question.options = _clean(kind, given)
        if data.required is not None:
            question.required = data.required
        question.required = question.required and REGISTRY[kind].takes_answer
        _refuse(first_problem(survey), "choices")
    question.text = data.text.strip()
    question.help_text = data.help_text.strip()
    details = {"retyped_from": retyped_from} if retyped_from else {}
    _record(survey, "question_edited", officer, question_id=question.id, **details)


def delete_question(question: Question, officer) -> None:
    section = question.section
    survey = section.survey
    _unlocked(survey)
    _refuse(dependent(survey, {question.id}))
    _record(survey, "question_deleted", officer, question_id=question.id, text=question.text)
    section.questions.remove(question)
    renumber(ordered_questions(section))
    db.session.flush()


def move_question(question: Question, direction: str, officer) -> None:
    survey = question.section.survey
    _unlocked(survey)
    if not swap(ordered_questions(question.section), question, direction):
        raise BuilderError(_("That question cannot move further that way"))
    _refuse(first_problem(survey))
    _record(survey, "question_moved", officer, question_id=question.id, direction=direction)


def relocate_question(question: Question, target: Section, officer) -> None:
    """Move to another section: the end of an earlier one or the start of a later one,
    so its place in the survey's order changes as little as possible."""
    source = question.section
    survey = source.survey
    _unlocked(survey)
    if target is source:
        return
    sections = ordered_sections(survey)
    upward = sections.index(target) < sections.index(source)
    question.section = target
    question.position = next_position(target.questions) if upward else 0
    renumber(ordered_questions(target))
    renumber(ordered_questions(source))
    _refuse(first_problem(survey))
    _record(survey, "question_moved", officer, question_id=question.id, section_id=target.id)


def duplicate_question(question: Question, officer) -> Question:
    section = question.section
    _unlocked(section.survey)
    made = _copy_question(question)
    questions = ordered_questions(section)
    section.questions.append(made)
    questions.insert(questions.index(question) + 1, made)
    renumber(questions)
    db.session.flush()
    _record(
        section.survey, "question_duplicated", officer, question_id=question.id, copy_id=made.id
    )
    return made


# --- conditions -----------------------------------------------------------------------


def set_condition(item, condition: dict | None, officer) -> None:
    """Show a section or question only if an earlier answer matches (None: always show)."""
    survey = item.survey if isinstance(item, Section) else item.section.survey
    _unlocked(survey)
    reason = problem(condition, earlier(survey, item))
    if reason:
        raise BuilderError(reason[0].upper() + reason[1:], "values")
    item.condition = condition
    what = "section_id" if isinstance(item, Section) else "question_id"
    verb = "condition_set" if condition else "condition_removed"
    _record(survey, verb, officer, **{what: item.id}, condition=condition)


# --- paper and event responses --------------------------------------------------------


def start_paper(survey: Survey, officer, channel: Channel) -> tuple[Response, Section]:
    """A response an officer types in from paper or an event, and the page it starts on."""
    if survey.consultation.phase == Phase.DRAFT:
        raise BuilderError(
            _("Publish the consultation first: a submitted response locks the survey.")
        )
    shown = answering.visible(survey, {}).sections
    if not shown:
        raise BuilderError(_("Add a section with questions before typing in responses."))
    response = answering.start_paper_response(survey, officer, channel)
    _record(survey, "response_entered", officer, response_id=response.id, channel=channel.value)
    return response, shown[0]
