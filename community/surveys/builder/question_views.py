"""The survey builder's question pages, and conditions on sections and questions."""

from __future__ import annotations

from functools import partial

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.permissions import requires
from ...forms import ConfirmForm
from ..models import Section, Survey
from ..qtypes import REGISTRY
from . import service as builder
from .conditions import condition_choices, condition_targets, condition_texts, ordered_sections
from .forms import (
    ChooseTargetForm,
    ChooseTypeForm,
    RelocateForm,
    condition_form_class,
    condition_form_data,
    condition_from,
    question_data,
    question_form_class,
    question_form_data,
)
from .views import act, bp, leave_if_locked, question_or_404, save, section_or_404, survey_or_404

# --- questions ----------------------------------------------------------------------------------


@bp.route("/<int:survey_id>/sections/<int:section_id>/questions/new", methods=["GET", "POST"])
@requires("manage_consultations")
def choose_type(survey_id: int, section_id: int):
    """Step one of adding a question: its type."""
    survey = survey_or_404(survey_id)
    section = section_or_404(survey, section_id)
    leave_if_locked(survey)
    form = ChooseTypeForm()
    if form.validate_on_submit():
        return redirect(
            url_for(
                "survey_builder.new_question",
                survey_id=survey.id,
                section_id=section.id,
                kind=form.kind.data,
            )
        )
    return render_template(
        "surveys/builder/choose_type.html", form=form, survey=survey, section=section, question=None
    )


@bp.route(
    "/<int:survey_id>/sections/<int:section_id>/questions/new/<kind>", methods=["GET", "POST"]
)
@requires("manage_consultations")
def new_question(survey_id: int, section_id: int, kind: str):
    """Step two of adding a question: its wording and the type's settings."""
    survey = survey_or_404(survey_id)
    section = section_or_404(survey, section_id)
    qtype = REGISTRY.get(kind) or abort(404)
    leave_if_locked(survey)
    form = question_form_class(qtype, locked=False)()
    if form.validate_on_submit():
        data = question_data(form)
        action = partial(builder.add_question, section, kind, data, current_user)
        if done := save(survey, form, action, _("Question added."), "question-{id}"):
            return done
    return render_template(
        "surveys/builder/question_form.html",
        form=form,
        survey=survey,
        section=section,
        question=None,
        qtype=qtype,
    )


@bp.route("/<int:survey_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@requires("manage_consultations")
def edit_question(survey_id: int, question_id: int):
    """Reword a question; while unlocked, also its settings and (with ?kind=) its type."""
    survey = survey_or_404(survey_id)
    question = question_or_404(survey, question_id)
    kind = request.args.get("kind") or question.kind
    qtype = REGISTRY.get(kind) or abort(404)
    if kind != question.kind:
        leave_if_locked(survey)
    form = question_form_class(qtype, locked=survey.is_locked)(data=question_form_data(question))
    if form.validate_on_submit():
        data = question_data(form)
        action = partial(builder.update_question, question, data, current_user, kind)
        anchor = f"question-{question.id}"
        if done := save(survey, form, action, _("Question saved."), anchor):
            return done
    return render_template(
        "surveys/builder/question_form.html",
        form=form,
        survey=survey,
        section=question.section,
        question=question,
        qtype=qtype,
    )


@bp.route("/<int:survey_id>/questions/<int:question_id>/type", methods=["GET", "POST"])
@requires("manage_consultations")
def retype_question(survey_id: int, question_id: int):
    """Choose another type for a question (only while unlocked); its form comes next."""
    survey = survey_or_404(survey_id)
    question = question_or_404(survey, question_id)
    leave_if_locked(survey)
    form = ChooseTypeForm(data={"kind": question.kind})
    if form.validate_on_submit():
        return redirect(
            url_for(
                "survey_builder.edit_question",
                survey_id=survey.id,
                question_id=question.id,
                kind=form.kind.data,
            )
        )
    return render_template(
        "surveys/builder/choose_type.html",
        form=form,
        survey=survey,
        section=question.section,
        question=question,
    )


@bp.route("/<int:survey_id>/questions/<int:question_id>/delete", methods=["GET", "POST"])
@requires("manage_consultations")
def delete_question(survey_id: int, question_id: int):
    """Ask, then delete a question."""
    survey = survey_or_404(survey_id)
    question = question_or_404(survey, question_id)
    leave_if_locked(survey)
    if ConfirmForm().validate_on_submit():
        action = partial(builder.delete_question, question, current_user)
        return act(survey, action, _("Question deleted."), f"section-{question.section_id}")
    return render_template(
        "surveys/builder/confirm_delete.html", survey=survey, section=None, question=question
    )


@bp.route(
    "/<int:survey_id>/questions/<int:question_id>/move/<any(up, down):direction>",
    methods=["POST"],
)
@requires("manage_consultations")
def move_question(survey_id: int, question_id: int, direction: str):
    """Move a question one place up or down within its section."""
    survey = survey_or_404(survey_id)
    question = question_or_404(survey, question_id)
    action = partial(builder.move_question, question, direction, current_user)
    return act(survey, action, _("Question moved."), f"question-{question.id}")


@bp.route("/<int:survey_id>/questions/<int:question_id>/section", methods=["GET", "POST"])
@requires("manage_consultations")
def relocate_question(survey_id: int, question_id: int):
    """Move a question to another section."""
    survey = survey_or_404(survey_id)
    question = question_or_404(survey, question_id)
    leave_if_locked(survey)
    others = [s for s in ordered_sections(survey) if s.id != question.section_id]
    form = RelocateForm()
    form.section.choices = [(s.id, s.title) for s in others]
    if others and form.validate_on_submit():
        target = section_or_404(survey, form.section.data)
        action = partial(builder.relocate_question, question, target, current_user)
        return act(survey, action, _("Question moved."), f"question-{question.id}")
    return render_template(
        "surveys/builder/relocate.html", form=form, survey=survey, question=question, others=others
    )


@bp.route("/<int:survey_id>/questions/<int:question_id>/duplicate", methods=["POST"])
@requires("manage_consultations")
def duplicate_question(survey_id: int, question_id: int):
    """Copy a question, right after it."""
    survey = survey_or_404(survey_id)
    question = question_or_404(survey, question_id)
    action = partial(builder.duplicate_question, question, current_user)
    return act(survey, action, _("Question duplicated."), f"section-{question.section_id}")


@bp.route("/<int:survey_id>/questions/<int:question_id>/condition", methods=["GET", "POST"])
@requires("manage_consultations")
def question_condition(survey_id: int, question_id: int):
    """Show a question only if an earlier answer matches."""
    survey = survey_or_404(survey_id)
    return _condition_page(survey, question_or_404(survey, question_id))


def _condition_page(survey: Survey, item):
    """Two steps without JavaScript: choose the earlier question (a GET form), then the
    answers that show ``item`` (a POST form). "Remove" clears the condition."""
    leave_if_locked(survey)
    is_section = isinstance(item, Section)
    anchor = f"{'section' if is_section else 'question'}-{item.id}"
    if request.method == "POST" and "remove" in request.form:
        action = partial(builder.set_condition, item, None, current_user)
        return act(survey, action, _("Condition removed."), anchor)
    targets = condition_targets(survey, item)
    current = (item.condition or {}).get("question_id")
    chooser = ChooseTargetForm(formdata=request.args or None, data={"on": current})
    chooser.on.choices = [(q.id, q.text) for q in targets]
    target_id = request.values.get("on", type=int)
    target = next((q for q in targets if q.id == target_id), None)
    rules = condition_texts(survey)["sections" if is_section else "questions"]
    context = {
        "survey": survey,
        "item": item,
        "is_section": is_section,
        "current_rule": rules.get(item.id),
        "targets": targets,
    }
    if target is None:
        if "on" in request.values:
            chooser.validate()
        return render_template("surveys/builder/condition.html", form=chooser, **context)
    choices = condition_choices(target)
    form = condition_form_class(target, choices)(
        data=condition_form_data(item.condition, target, choices)
    )
    if form.validate_on_submit():
        condition = condition_from(form, target)
        action = partial(builder.set_condition, item, condition, current_user)
        if done := save(survey, form, action, _("Condition saved."), anchor):
            return done
    return render_template("surveys/builder/condition.html", form=form, target=target, **context)


@bp.route("/<int:survey_id>/sections/<int:section_id>/condition", methods=["GET", "POST"])
@requires("manage_consultations")
def section_condition(survey_id: int, section_id: int):
    """Show a section only if an answer in an earlier section matches."""
    survey = survey_or_404(survey_id)
    return _condition_page(survey, section_or_404(survey, section_id))
