"""Answering a survey: one response per person, sections shown by conditions, submit once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, event, insert, select
from sqlalchemy.orm import Session, joinedload, lazyload, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from ...contributions.models import ContributionStatus
from ...contributions.service import initial_status, set_status
from ...extensions import db, insert_ignoring_conflicts
from ...failures import ServiceError
from ...models_base import utcnow
from .. import about_you
from ..conditions import is_met
from ..models import (
    AboutYouAnswer,
    Answer,
    Channel,
    Question,
    Response,
    ResponseStatus,
    Section,
    Survey,
    SurveyText,
    new_reference,
)
from . import receipts


class SurveyError(ServiceError):
    """A rule was broken; the message is safe to show."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_response(
    survey: Survey, *, user=None, browser_token: str | None = None, for_update: bool = False
) -> Response | None:
    """The person's response with its answers, in one query.

    ``for_update`` locks it for the request's transaction already (a POST that will
    change it), so ``lock_response`` need not read it again.
    """
    mine = whose(user, browser_token)
    if mine is None:
        return None
    stmt = (
        select(Response)
        .where(Response.survey_id == survey.id, mine)
        .options(joinedload(Response.answers))
    )
    if for_update:
        stmt = stmt.with_for_update(of=Response)
    response = db.session.execute(stmt).unique().scalar_one_or_none()
    if for_update and response is not None:
        mark_locked(response)
    return response


def whose_key(user=None, browser_token: str | None = None) -> tuple[str, object] | None:
    """The column naming this person's responses and its value (None: they can have
    none): an account's id, or an anonymous browser's token, hashed."""
    if user is not None and user.is_authenticated:
        return "user_id", user.id
    if browser_token:
        return "browser_token", hash_token(browser_token)
    return None


def whose(user=None, browser_token: str | None = None) -> ColumnElement[bool] | None:
    """The condition picking this person's responses (None: they can have none)."""
    key = whose_key(user, browser_token)
    return None if key is None else getattr(Response, key[0]) == key[1]


def mark_locked(response: Response) -> None:
    """This transaction holds the response's row lock: ``lock_response`` need not read it."""
    db.session.info.setdefault(LOCKED, set()).add(response.id)


#: ``Session.info`` key: ids of responses this transaction has locked.
LOCKED = "locked_responses"


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _locks_end(session: Session) -> None:
    """Row locks end with the transaction, and so does the list of them."""
    session.info.pop(LOCKED, None)


def lock_response(response_id: int) -> Response:
    """The response and its answers read afresh and locked for this transaction (one
    query; none when this transaction locked it already)."""
    if response_id in db.session.info.get(LOCKED, ()):
        return db.session.get_one(Response, response_id)
    return (
        db.session.execute(
            select(Response)
            .where(Response.id == response_id)
            .options(joinedload(Response.answers))
            .with_for_update(of=Response)
            .execution_options(populate_existing=True)
        )
        .unique()
        .scalar_one()
    )


def start_response(survey: Survey, *, user=None, browser_token: str | None = None) -> Response:
    """The person's response, started if need be. The database keeps it to one each:
    one INSERT … ON CONFLICT DO NOTHING, and when a row is there already (theirs, or a
    racing request's) nothing is inserted and that row is read."""
    signed_in = user is not None and user.is_authenticated
    if not signed_in and not browser_token:
        raise ValueError("an anonymous response needs the browser's token")
    values = {
        "survey_id": survey.id,
        "user_id": user.id if signed_in else None,
        "browser_token": hash_token(browser_token) if browser_token and not signed_in else None,
        "reference": new_reference(),
        "status": ResponseStatus.IN_PROGRESS,
        "channel": Channel.ONLINE,
        "hear_back": False,
    }
    db.session.flush()
    response = db.session.scalars(
        insert_ignoring_conflicts(Response)
        .values(**values)
        .returning(Response)
        # A new response has no answers: no query for them (set just below).
        .options(lazyload(Response.answers))
    ).one_or_none()
    if response is None:
        existing = find_response(survey, user=user, browser_token=browser_token)
        if existing is None:
            raise RuntimeError("a response could not be started nor found")
        return existing
    set_committed_value(response, "answers", [])  # known empty: no query for them later
    return response


def start_paper_response(survey: Survey, officer, channel: Channel) -> Response:
    """An officer types in a paper or event response: no person is attached."""
    response = Response(survey_id=survey.id, channel=channel, entered_by_id=officer.id)
    db.session.add(response)
    db.session.flush()
    return response


def condition_values(survey: Survey, answers: dict[int, Answer]) -> dict[int, list[str]]:
    by_id = {q.id: q for q in survey.questions}
    return {
        qid: by_id[qid].type.condition_values(by_id[qid], answer.value)
        for qid, answer in answers.items()
        if qid in by_id
    }


@dataclass
class Visible:
    sections: list[Section]
    questions: dict[int, list[Question]]  # section id → its visible questions


def visible(survey: Survey, answers: dict[int, Answer]) -> Visible:
    """The sections and questions shown, given the answers so far (checked on the server)."""
    values = condition_values(survey, answers)
    sections, questions = [], {}
    for section in survey.sections:
        if not is_met(section.condition, values):
            continue
        shown = [q for q in section.questions if is_met(q.condition, values)]
        sections.append(section)
        questions[section.id] = shown
    return Visible(sections, questions)


def last_answered_section(survey: Survey, response: Response) -> int | None:
    """The last shown section with an answer in it: "Carry on" resumes after it."""
    answers = response.answers_by_question()
    shown = visible(survey, answers)
    last = None
    for section in shown.sections:
        if any(q.id in answers for q in shown.questions[section.id]):
            last = section.id
    return last


def save_section(response: Response, section: Section, form) -> None:
    """Store the answers on one page; clear the answers that are now hidden anywhere.

    New answers go in with one multi-row insert, so the number of statements does
    not grow with the number of questions on the page.
    """
    answers = response.answers_by_question()
    shown = {q.id for q in visible(response.survey, answers).questions.get(section.id, [])}
    new_rows = []
    for question in section.questions:
        takes = question.id in shown and question.type.takes_answer
        value = question.type.read(question, form) if takes else None
        answer = answers.get(question.id)
        if value is None:
            if answer is not None:
                response.answers.remove(answer)
        elif answer is None:
            new_rows.append(
                {"response_id": response.id, "question_id": question.id, "value": value}
            )
        elif answer.value != value:
            answer.value = value
    if new_rows:
        _insert_answers(response, new_rows)
    drop_hidden(response)
    if response.status == ResponseStatus.SUBMITTED:
        # Changing a sent response changes the published figures: a new
        # ``updated_at`` gives the results page a new fingerprint (results/page.py).
        response.updated_at = utcnow()


#: Built once, as Core: the ORM's bulk INSERT cost a section's save three times as
#: much Python for the same statement (issue 15).
_INSERT_ANSWERS = insert(Answer.__table__).returning(
    Answer.__table__.c.question_id, Answer.__table__.c.id
)


def _insert_answers(response: Response, rows: list[dict]) -> None:
    """A page's new answers in one multi-row INSERT, added to the loaded answers as
    they are (ids from RETURNING), so nothing has to be read back."""
    db.session.flush()
    # RETURNING the question too (one answer per question in a response), so the rows
    # need not come back in order and every database can send them in one statement.
    returned = db.session.execute(_INSERT_ANSWERS, rows)
    ids: dict[int, int] = dict(returned.all())
    added = []
    for row in rows:
        answer = Answer(id=ids[row["question_id"]], contribution_id=None, **row)
        make_transient_to_detached(answer)
        db.session.add(answer)
        added.append(answer)
    set_committed_value(response, "answers", [*response.answers, *added])


def drop_hidden(response: Response) -> None:
    """Remove answers to questions the conditions now hide, so stale answers are never kept."""
    while True:
        answers = response.answers_by_question()
        shown = visible(response.survey, answers)
        visible_ids = {q.id for qs in shown.questions.values() for q in qs}
        stale = [a for qid, a in answers.items() if qid not in visible_ids]
        if not stale:
            return
        for answer in stale:
            response.answers.remove(answer)


def missing_required(response: Response) -> list[Question]:
    answers = response.answers_by_question()
    shown = visible(response.survey, answers)
    return [
        q
        for section in shown.sections
        for q in shown.questions[section.id]
        if q.required and q.type.takes_answer and q.id not in answers
    ]


def save_about_you(response: Response, data: dict[str, str], special_consent: bool) -> None:
    """Keep only the asked questions, and special-category answers only with consent."""
    asked = set(response.survey.about_you)
    existing = {
        a.key: a
        for a in db.session.scalars(
            select(AboutYouAnswer).where(AboutYouAnswer.response_id == response.id)
        )
    }
    for key in about_you.QUESTIONS:
        value = data.get(key) or None
        if key not in asked or (about_you.QUESTIONS[key].special and not special_consent):
            value = None
        row = existing.get(key)
        if value is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(AboutYouAnswer(response_id=response.id, key=key, value=value))
        else:
            row.value = value


def about_you_answers(response: Response) -> dict[str, str]:
    if not response.survey.about_you:
        return {}  # it asks none: nothing to read
    rows = db.session.scalars(
        select(AboutYouAnswer).where(AboutYouAnswer.response_id == response.id)
    )
    return {row.key: row.value for row in rows}


def submit(
    response: Response, *, author=None, receipt_to: str | None = None, link: str = ""
) -> None:
    """Check, file free text as contributions, mark submitted, lock the survey, mail a receipt."""
    drop_hidden(response)
    if missing_required(response):
        raise SurveyError(_("Answer every question marked as required"))
    survey = response.survey
    consultation = survey.consultation
    by_youth = bool(author is not None and author.is_authenticated and author.is_youth)
    anonymous = response.user_id is None and response.channel == Channel.ONLINE
    questions = {q.id: q for q in survey.questions}
    filed = []
    for answer in response.answers:
        question = questions[answer.question_id]
        text = question.type.free_text(question, answer.value)
        contribution = _file_text(answer, text, consultation, response, by_youth, anonymous)
        if contribution is not None:
            filed.append(contribution)
    if filed:
        from ...moderation.service import screen

        db.session.flush()
        for contribution in filed:
            screen(contribution)
    first_time = response.status != ResponseStatus.SUBMITTED
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = utcnow()
    if survey.locked_at is None:
        survey.locked_at = utcnow()
    if author is not None and author.is_authenticated and response.user_id == author.id:
        from ...privacy.consents import sync_survey_consents

        sync_survey_consents(author, response)
    if receipt_to and first_time:
        receipts.send_receipt(
            response, receipt_to, rows=check_rows(response), author=author, link=link
        )


def _file_text(
    answer: Answer, text: str, consultation, response: Response, by_youth: bool, anonymous: bool
):
    """The contribution for an answer's free text (new or updated), or None if it has none."""
    contribution = answer.contribution
    if not text:
        if contribution is not None:
            set_status(contribution, ContributionStatus.WITHDRAWN)
        return None
    if contribution is None:
        contribution = SurveyText(
            consultation_id=consultation.id,
            author_id=response.user_id,
            body=text,
            by_youth=by_youth,
            anonymous=anonymous,
        )
        answer.contribution = contribution
    elif contribution.body != text:
        contribution.body = text
    set_status(contribution, initial_status(consultation, by_youth=by_youth, anonymous=anonymous))
    return contribution


def check_rows(response: Response) -> list[dict]:
    """Question, answer and section for the check-your-answers page and the receipt."""
    answers = response.answers_by_question()
    shown = visible(response.survey, answers)
    rows = []
    for section in shown.sections:
        for question in shown.questions[section.id]:
            if not question.type.takes_answer:
                continue
            answer = answers.get(question.id)
            rows.append(
                {
                    "section": section,
                    "question": question,
                    "answer": question.type.display(question, answer.value) if answer else "",
                }
            )
    return rows
