"""The officers' survey builder: sections, questions, conditions, preview, paper responses."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.permissions import requires
from ...consultations.models import Consultation
from ...extensions import db
from ...failures import attempt
from ...forms import ConfirmForm
from .. import about_you
from ..answering.forms import section_form_class
from ..answering.views import PAPER_KEY
from ..models import Channel, Question, Section, Survey
from ..qtypes import REGISTRY
from . import service as builder
from .conditions import condition_texts, ordered_questions, ordered_sections
from .forms import SectionForm, SurveyForm, survey_details

bp = Blueprint("survey_builder", __name__, url_prefix="/manage/surveys")


# --- loading, and the shape every change takes -------------------------------------------


def survey_or_404(survey_id: int) -> Survey:
    survey = builder.load_survey(survey_id, for_update=request.method == "POST")
    if survey is None:
        abort(404)
    return survey


def section_or_404(survey: Survey, section_id: int) -> Section:
    section = next((s for s in survey.sections if s.id == section_id), None)
    if section is None:
        abort(404)
    return section


def question_or_404(survey: Survey, question_id: int) -> Question:
    question = next((q for q in survey.questions if q.id == question_id), None)
    if question is None:
        abort(404)
    return question


def _overview(survey: Survey, anchor: str | None = None):
    return redirect(url_for("survey_builder.show", survey_id=survey.id, _anchor=anchor))


def leave_if_locked(survey: Survey) -> None:
    """Pages that change structure send you back to the overview once it is locked."""
    if survey.is_locked:
        flash(str(builder.locked_error()), "error")
        abort(_overview(survey))


def act(survey: Survey, action, message: str, anchor: str | None = None):
    """A one-click change: commit and say so, or explain why not (never a 500)."""
    if attempt(action).ok:
        flash(message, "success")
    return _overview(survey, anchor)


def save(survey: Survey, form, action, message: str, anchor=None):
    """A form's change: the redirect when saved, or None with the reason on the form
    (on the field the refusal names, else the form's first: every builder form starts
    with what a refusal without a field is about)."""
    done = attempt(action, form=form)
    if not done.ok:
        return None
    flash(message, "success")
    if anchor and done.result is not None:
        anchor = anchor.format(id=done.result.id)
    return _overview(survey, anchor)


# --- the survey ------------------------------------------------------------------------------


@bp.route("/new/<int:consultation_id>", methods=["GET", "POST"])
@requires("manage_consultations")
def new(consultation_id: int):
    """Add a survey to a consultation."""
    consultation = db.get_or_404(Consultation, consultation_id)
    form = SurveyForm()
    if form.validate_on_submit():
        created = attempt(
            partial(builder.create_survey, consultation, survey_details(form), current_user),
            form=form,
        )
        if created.ok:
            flash(_("Survey created: add its first section."), "success")
            return _overview(created.value)
    return render_template(
        "surveys/builder/survey_form.html", form=form, consultation=consultation, survey=None
    )


@bp.route("/<int:survey_id>")
@requires("manage_consultations")
def show(survey_id: int):
    """The survey's sections and questions in order, with what can be done to each."""
    survey = survey_or_404(survey_id)
    return render_template(
        "surveys/builder/show.html",
        survey=survey,
        sections=ordered_sections(survey),
        ordered_questions=ordered_questions,
        conditions=condition_texts(survey),
        registry=REGISTRY,
        about_labels=[about_you.QUESTIONS[k].text for k in survey.about_you or []],
    )


@bp.route("/<int:survey_id>/edit", methods=["GET", "POST"])
@requires("manage_consultations")
def edit(survey_id: int):
    """Title, introduction and the "about you" questions."""
    survey = survey_or_404(survey_id)
    form = SurveyForm(
        data={"title": survey.title, "intro": survey.intro, "about_you": survey.about_you}
    )
    if form.validate_on_submit():
        details = survey_details(form)
        action = partial(builder.update_survey, survey, details, current_user)
        if done := save(survey, form, action, _("Survey saved.")):
            return done
    return render_template(
        "surveys/builder/survey_form.html",
        form=form,
        consultation=survey.consultation,
        survey=survey,
    )


@bp.route("/<int:survey_id>/duplicate", methods=["POST"])
@requires("manage_consultations")
def duplicate(survey_id: int):
    """A new draft copy: the way to change a locked survey."""
    survey = survey_or_404(survey_id)
    copied = attempt(partial(builder.duplicate_survey, survey, current_user))
    if not copied.ok:
        return _overview(survey)
    flash(_("This is a new copy of the survey: change it as you need."), "success")
    return _overview(copied.value)


@bp.route("/<int:survey_id>/preview")
@requires("manage_consultations")
def preview(survey_id: int):
    """Every section as residents see it, with nothing to submit."""
    survey = survey_or_404(survey_id)
    pages = []
    for section in ordered_sections(survey):
        questions = ordered_questions(section)
        pages.append((section, questions, section_form_class(questions)(formdata=None)))
    return render_template(
        "surveys/builder/preview.html",
        survey=survey,
        pages=pages,
        conditions=condition_texts(survey),
    )


@bp.route("/<int:survey_id>/responses/<any(paper, event):channel>", methods=["POST"])
@requires("manage_consultations")
def enter_response(survey_id: int, channel: str):
    """Type in a paper or event response through the residents' pages."""
    survey = survey_or_404(survey_id)
    started = attempt(lambda: builder.start_paper(survey, current_user, Channel(channel)))
    if not started.ok or started.result is None:
        return _overview(survey)
    response, first = started.result
    session[PAPER_KEY] = {"survey": survey.id, "response": response.id}
    return redirect(url_for("surveys.section", survey_id=survey.id, section_id=first.id))


# --- sections ----------------------------------------------------------------------------------


@bp.route("/<int:survey_id>/sections/new", methods=["GET", "POST"])
@requires("manage_consultations")
def new_section(survey_id: int):
    """Add a section (a page) at the end."""
    survey = survey_or_404(survey_id)
    leave_if_locked(survey)
    form = SectionForm()
    if form.validate_on_submit():
        action = partial(
            builder.add_section, survey, form.title.data, form.intro.data or "", current_user
        )
        if done := save(survey, form, action, _("Section added."), "section-{id}"):
            return done
    return render_template(
        "surveys/builder/section_form.html", form=form, survey=survey, section=None
    )


@bp.route("/<int:survey_id>/sections/<int:section_id>/edit", methods=["GET", "POST"])
@requires("manage_consultations")
def edit_section(survey_id: int, section_id: int):
    """Reword a section's title and introduction."""
    survey = survey_or_404(survey_id)
    section = section_or_404(survey, section_id)
    form = SectionForm(data={"title": section.title, "intro": section.intro})
    if form.validate_on_submit():
        action = partial(
            builder.update_section, section, form.title.data, form.intro.data or "", current_user
        )
        anchor = f"section-{section.id}"
        if done := save(survey, form, action, _("Section saved."), anchor):
            return done
    return render_template(
        "surveys/builder/section_form.html", form=form, survey=survey, section=section
    )


@bp.route("/<int:survey_id>/sections/<int:section_id>/delete", methods=["GET", "POST"])
@requires("manage_consultations")
def delete_section(survey_id: int, section_id: int):
    """Ask, then delete a section with its questions."""
    survey = survey_or_404(survey_id)
    section = section_or_404(survey, section_id)
    leave_if_locked(survey)
    if ConfirmForm().validate_on_submit():
        action = partial(builder.delete_section, section, current_user)
        return act(survey, action, _("Section deleted."))
    return render_template(
        "surveys/builder/confirm_delete.html", survey=survey, section=section, question=None
    )


@bp.route(
    "/<int:survey_id>/sections/<int:section_id>/move/<any(up, down):direction>", methods=["POST"]
)
@requires("manage_consultations")
def move_section(survey_id: int, section_id: int, direction: str):
    """Move a section one place up or down."""
    survey = survey_or_404(survey_id)
    section = section_or_404(survey, section_id)
    action = partial(builder.move_section, section, direction, current_user)
    return act(survey, action, _("Section moved."), f"section-{section.id}")


@bp.route("/<int:survey_id>/sections/<int:section_id>/duplicate", methods=["POST"])
@requires("manage_consultations")
def duplicate_section(survey_id: int, section_id: int):
    """Copy a section and its questions, right after it."""
    survey = survey_or_404(survey_id)
    section = section_or_404(survey, section_id)
    action = partial(builder.duplicate_section, section, current_user)
    return act(survey, action, _("Section duplicated."))
