"""Answering a survey: one section per page, check your answers, submit, confirmation."""

from __future__ import annotations

import secrets
from typing import Literal, overload

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ...consultations import permissions as consultation_permissions
from ...extensions import db, limiter, login_manager, per_person_key
from ...failures import attempt
from ...multilingual.service import localise_questions
from ...operations import form_tokens
from ...privacy import wording
from ...urls import external_url
from .. import about_you
from ..models import Response, Survey
from . import loading, markup, service
from .forms import SubmitResponseForm, about_you_form_class, check_form, section_form_class

bp = Blueprint("surveys", __name__, url_prefix="/surveys")

PAPER_KEY = "paper_response"


def load_survey(survey_id: int, *, with_response: bool = False) -> Survey:
    """The survey, and with ``with_response`` the person's response read in the same
    query (kept for ``current_response``; a POST locks it as it is read)."""
    mine = None
    if with_response and PAPER_KEY not in session:
        token = None if current_user.is_authenticated else session.get("survey_token")
        mine = service.whose_key(current_user, token)
    if mine is None:
        survey = loading.load_survey(survey_id)
    else:
        for_update = request.method == "POST"
        survey, response = loading.load_survey_and_response(survey_id, mine, for_update=for_update)
        if survey is not None:
            g.survey_response = (survey.id, response)
            if for_update and response is not None:
                service.mark_locked(response)
    if survey is None or not consultation_permissions.can_view(current_user, survey.consultation):
        abort(404)
    return survey


def _paper_response(survey: Survey) -> Response | None:
    """An officer typing in a paper response works on that response, not their own."""
    paper = session.get(PAPER_KEY) or {}
    if paper.get("survey") != survey.id or not consultation_permissions.can_manage(current_user):
        return None
    return db.session.get(Response, paper.get("response"))


def _browser_token() -> str:
    token = session.get("survey_token")
    if not token:
        token = session["survey_token"] = secrets.token_urlsafe(24)
    return token


@overload
def current_response(
    survey: Survey, *, start: Literal[True], for_update: bool = False
) -> Response: ...
@overload
def current_response(
    survey: Survey, *, start: bool, for_update: bool = False
) -> Response | None: ...
def current_response(survey: Survey, *, start: bool, for_update: bool = False) -> Response | None:
    """This person's response (or the paper one being typed in); started when asked."""
    paper = _paper_response(survey)
    if paper is not None:
        return paper
    if not consultation_permissions.can_respond(current_user, survey.consultation):
        if not current_user.is_authenticated and survey.consultation.phase == "open":
            abort(login_manager.unauthorized())
        abort(403)
    token = None if current_user.is_authenticated else _browser_token()
    read = g.get("survey_response")
    if not start and read is not None and read[0] == survey.id:
        # Read with the survey (and locked with it on a POST): see ``load_survey``.
        return read[1]
    if start:
        return service.start_response(survey, user=current_user, browser_token=token)
    return service.find_response(
        survey, user=current_user, browser_token=token, for_update=for_update
    )


def _response_or_start_page(survey: Survey) -> Response:
    # A POST will change it: lock it as it is read (one statement, not two).
    response = current_response(survey, start=False, for_update=request.method == "POST")
    if response is None:
        abort(redirect(url_for("surveys.start", survey_id=survey.id)))
    return response


def _next_step(survey: Survey, response: Response, after_section_id: int | None):
    shown = service.visible(survey, response.answers_by_question()).sections
    ids = [s.id for s in shown]
    index = ids.index(after_section_id) + 1 if after_section_id in ids else 0
    if index < len(ids):
        return redirect(url_for("surveys.section", survey_id=survey.id, section_id=ids[index]))
    if survey.about_you:
        return redirect(url_for("surveys.about_you_page", survey_id=survey.id))
    return redirect(url_for("surveys.check", survey_id=survey.id))


@bp.route("/<int:survey_id>")
def start(survey_id: int):
    """The survey's start page: what it asks, how long it takes, and a start button."""
    survey = load_survey(survey_id, with_response=True)
    can_answer = consultation_permissions.can_respond(current_user, survey.consultation)
    existing = None
    if can_answer:
        read = g.get("survey_response")
        if read is not None:
            existing = read[1]
        else:
            token = None if current_user.is_authenticated else session.get("survey_token")
            existing = service.find_response(survey, user=current_user, browser_token=token)
    return render_template(
        "surveys/start.html", survey=survey, can_answer=can_answer, existing=existing
    )


@bp.route("/<int:survey_id>/begin", methods=["POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_SURVEY"], key_func=per_person_key, methods=["POST"]
)
def begin(survey_id: int):
    """Start a response at the first section, or carry on after the last section answered."""
    survey = load_survey(survey_id)
    response = attempt(
        lambda: current_response(survey, start=True), retry_conflicts=True, keep_loaded=True
    ).value
    if response.is_submitted:
        return _next_step(survey, response, None)
    return _next_step(survey, response, service.last_answered_section(survey, response))


@bp.route("/<int:survey_id>/sections/<int:section_id>", methods=["GET", "POST"])
def section(survey_id: int, section_id: int):
    """One page of questions. Answers are saved on Continue, so people can come back later."""
    survey = load_survey(survey_id, with_response=True)
    response = _response_or_start_page(survey)
    answers = response.answers_by_question()
    shown = service.visible(survey, answers)
    page = next((s for s in shown.sections if s.id == section_id), None)
    if page is None:
        abort(404)
    originals = shown.questions[page.id]
    # Wording and option labels in the page's language; values stay the original's.
    questions = localise_questions(originals, survey.consultation_id)
    form_class = section_form_class(questions)
    data = {}
    for question in questions:
        if question.id in answers:
            data.update(question.type.form_data(question, answers[question.id].value))
    form = form_class(data=data)
    if form.is_submitted():
        valid = form.validate()
        # A list, not a generator: every question is checked, so every error is shown.
        valid = all([check_form(q, form) for q in questions if q.type.takes_answer]) and valid  # noqa: C419
        if valid:

            def save():
                locked = service.lock_response(response.id)
                service.save_section(locked, page, form)

            if attempt(save, form=form, retry_conflicts=True, keep_loaded=True).ok:
                # An answer on this page can reveal more questions on it: show it again.
                now_shown = service.visible(survey, response.answers_by_question()).questions
                revealed = [q for q in now_shown.get(page.id, []) if q not in originals]
                if revealed:
                    anchor = revealed[0].type.error_anchor(revealed[0])
                    return redirect(
                        url_for(
                            "surveys.section",
                            survey_id=survey.id,
                            section_id=page.id,
                            _anchor=anchor,
                        )
                    )
                return _next_step(survey, response, page.id)
    number = [s.id for s in shown.sections].index(page.id) + 1
    return render_template(
        "surveys/section.html",
        survey=survey,
        section=page,
        questions=questions,
        form=form,
        fields=markup.section_fields(
            survey, page, questions, form, answered=bool(data) or form.is_submitted()
        ),
        number=number,
        total=len(shown.sections),
        paper=_paper_response(survey) is not None,
    )


@bp.route("/<int:survey_id>/about-you", methods=["GET", "POST"])
def about_you_page(survey_id: int):
    """Optional questions about the person, each with "prefer not to say"."""
    survey = load_survey(survey_id)
    response = _response_or_start_page(survey)
    keys = [k for k in about_you.QUESTIONS if k in survey.about_you]
    if not keys:
        return redirect(url_for("surveys.check", survey_id=survey.id))
    saved = service.about_you_answers(response)
    form = about_you_form_class(keys)(
        data={**saved, "special_consent": any(about_you.QUESTIONS[k].special for k in saved)}
    )
    if form.validate_on_submit() and _special_consent_given(form, keys):
        consent = bool(getattr(form, "special_consent", None) and form.special_consent.data)
        answers = {k: getattr(form, k).data for k in keys}
        if attempt(lambda: service.save_about_you(response, answers, consent), form=form).ok:
            return redirect(url_for("surveys.check", survey_id=survey.id))
    return render_template(
        "surveys/about_you.html",
        survey=survey,
        form=form,
        keys=keys,
        special=[k for k in keys if about_you.QUESTIONS[k].special],
        about_you_wording=wording.ABOUT_YOU,
    )


def _special_consent_given(form, keys) -> bool:
    """Answers about ethnicity or disability without the tick are not dropped in silence:
    the person is asked to tick the box or leave those questions out."""
    special = [k for k in keys if about_you.QUESTIONS[k].special and getattr(form, k).data]
    if not special or form.special_consent.data:
        return True
    form.special_consent.errors = [
        _(
            "To keep your answers about ethnicity or disability, tick this box. "
            "If you do not want to, leave those questions unanswered."
        )
    ]
    return False


@bp.route("/<int:survey_id>/check")
def check(survey_id: int):
    """Check your answers before sending them."""
    survey = load_survey(survey_id, with_response=True)
    response = _response_or_start_page(survey)
    form = SubmitResponseForm(data={"hear_back": response.hear_back})
    return _check_page(survey, response, form)


def _check_page(survey, response, form, status=200):
    return (
        render_template(
            "surveys/check.html",
            survey=survey,
            response=response,
            rows=service.check_rows(response),
            about=[
                (about_you.QUESTIONS[k].text, about_you.label(k, v))
                for k, v in (
                    service.about_you_answers(response) if survey.about_you else {}
                ).items()
            ],
            missing=service.missing_required(response),
            form=form,
            paper=_paper_response(survey) is not None,
        ),
        status,
    )


@bp.route("/<int:survey_id>/submit", methods=["POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_SURVEY"], key_func=per_person_key, methods=["POST"]
)
def submit(survey_id: int):
    """Send the response. Nothing is half-saved: it all commits, or none of it does."""
    survey = load_survey(survey_id, with_response=True)
    response = _response_or_start_page(survey)
    form = SubmitResponseForm()
    if not form.validate_on_submit():
        return _check_page(survey, response, form, 400)
    paper = _paper_response(survey) is not None
    signed_in = current_user.is_authenticated and not paper
    receipt_to = current_user.email if signed_in else (form.receipt_email.data or None)
    hear_back = bool(form.hear_back.data) and signed_in
    link = external_url("surveys.start", survey_id=survey.id) if signed_in else ""

    form_tokens.set_result(url_for("surveys.confirmation", survey_id=survey.id))

    def send():
        locked = service.lock_response(response.id)
        locked.hear_back = hear_back
        service.submit(
            locked,
            author=current_user if signed_in else None,
            receipt_to=receipt_to,
            link=link,
        )

    if not attempt(send, form=form, field="submit", retry_conflicts=True, keep_loaded=True).ok:
        return _check_page(survey, response, form, 400)
    session["last_reference"] = response.reference
    if paper:
        session.pop(PAPER_KEY, None)
        flash(_("Paper response %(ref)s saved.", ref=response.reference), "success")
    return redirect(url_for("surveys.confirmation", survey_id=survey.id))


@bp.route("/<int:survey_id>/confirmation")
def confirmation(survey_id: int):
    """Response sent, with its reference."""
    survey = load_survey(survey_id)
    reference = session.get("last_reference")
    if not reference:
        return redirect(url_for("surveys.start", survey_id=survey.id))
    return render_template("surveys/confirmation.html", survey=survey, reference=reference)
