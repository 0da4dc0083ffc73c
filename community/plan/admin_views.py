"""Officers write findings and responses; officers and partners keep the plan up to date."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from ..accounts.permissions import requires
from ..consultations.models import Consultation
from ..contributions.models import Contribution, ContributionStatus
from ..extensions import db
from ..failures import attempt
from ..forms import ConfirmForm
from ..tagging.models import Theme
from . import evidence as figures
from . import findings as finding_service
from . import outcomes, service
from .forms import (
    RESPONSE_LABELS,
    STATUS_LABELS,
    EvidenceForm,
    FindingForm,
    ResponseForm,
    organisation_choices,
)
from .models import (
    EvidenceKind,
    Finding,
    FindingEvidence,
    ResponseKind,
)
from .views import public_link

bp = Blueprint("plan_admin", __name__, url_prefix="/manage")


# --- findings --------------------------------------------------------------------------


@bp.route("/consultations/<int:consultation_id>/findings", methods=["GET", "POST"])
@requires("manage_plan")
def findings(consultation_id: int):
    """A consultation's findings and responses, and a form for a new finding."""
    consultation = db.get_or_404(Consultation, consultation_id)
    form = FindingForm()
    form.fill_terms()
    if form.validate_on_submit():
        created = attempt(
            lambda: finding_service.create_finding(
                consultation,
                form.statement.data,
                service.terms_by_ids(form.chosen_term_ids()),
                current_user,
            ),
            form=form,
            field="statement",
        )
        if created.ok:
            flash(_("Finding added. Now add the evidence it rests on."), "success")
            return redirect(url_for("plan_admin.finding", finding_id=created.value.id))
    cache = figures.Cache()
    items = finding_service.findings_for(consultation.id)
    return render_template(
        "plan/admin/findings.html",
        consultation=consultation,
        findings=[(f, *figures.finding_figures(f, cache)) for f in items],
        form=form,
        problems=outcomes.outcome_ready(consultation),
        response_labels=RESPONSE_LABELS,
        confirm=ConfirmForm(),
    )


def _evidence_choices(finding: Finding) -> list[tuple[str, str]]:
    cid = finding.consultation_id
    counts = finding_service.tagged_counts(cid)
    choices = [("", _("Choose evidence"))]
    for theme in db.session.scalars(
        select(Theme)
        .where(Theme.consultation_id == cid, Theme.retired_at.is_(None))
        .order_by(Theme.position, Theme.name)
    ):
        n = counts.get(("theme", theme.id), 0)
        choices.append((f"theme:{theme.id}", _("Theme: %(name)s (%(n)s)", name=theme.name, n=n)))
    term_ids = [key[1] for key in counts if key[0] == "term"]
    for term in service.terms_by_ids(term_ids):
        n = counts[("term", term.id)]
        choices.append((f"term:{term.id}", _("Framework: %(name)s (%(n)s)", name=term.name, n=n)))
    from ..insights.service import _items
    from ..surveys.models import Survey

    for survey in db.session.scalars(select(Survey).where(Survey.consultation_id == cid)):
        agreement = {(q.id, i) for _k, _t, q, i in _items(survey)}
        for _key, text, question, index in _items(survey):
            choices.append(
                (
                    f"question:{question.id}:{'' if index is None else index}",
                    _("Survey item: %(text)s", text=text[:120]),
                )
            )
        for question in survey.questions:
            if (question.id, None) not in agreement and question.kind not in ("matrix",):
                choices.append(
                    (
                        f"question:{question.id}:",
                        _("Survey question: %(text)s", text=question.text[:120]),
                    )
                )
    for kind, label in (("statement", _("Statement")), ("idea", _("Idea"))):
        for contribution in db.session.scalars(
            select(Contribution)
            .where(
                Contribution.consultation_id == cid,
                Contribution.kind == kind,
                Contribution.status == ContributionStatus.PUBLISHED,
            )
            .order_by(Contribution.id)
            .limit(200)
        ):
            choices.append(
                (f"contribution:{contribution.id}", f"{label}: {contribution.body[:100]}")
            )
    return choices


@bp.route("/findings/<int:finding_id>", methods=["GET", "POST"])
@requires("manage_plan")
def finding(finding_id: int):
    """Edit a finding's wording and terms; see and add its evidence and response."""
    item = db.get_or_404(Finding, finding_id)
    form = FindingForm(obj=item) if not FindingForm().is_submitted() else FindingForm()
    form.fill_terms(item.terms)
    if form.validate_on_submit():
        edited = attempt(
            lambda: finding_service.edit_finding(
                item,
                form.statement.data,
                service.terms_by_ids(form.chosen_term_ids()),
                current_user,
            ),
            form=form,
            field="statement",
        )
        if edited.ok:
            flash(_("Finding saved."), "success")
            return redirect(url_for("plan_admin.finding", finding_id=item.id))
    evidence_form = EvidenceForm()
    evidence_form.evidence.choices = _evidence_choices(item)
    return _finding_page(item, form, evidence_form, _response_form(item))


def _finding_page(item, form, evidence_form, response_form):
    totals, per = figures.finding_figures(item)
    return render_template(
        "plan/admin/finding.html",
        finding=item,
        consultation=item.consultation,
        form=form,
        evidence_form=evidence_form,
        response_form=response_form,
        evidence=list(zip(item.evidence, per, strict=True)),
        totals=totals,
        kinds=EvidenceKind,
        response_labels=RESPONSE_LABELS,
        status_labels=STATUS_LABELS,
        confirm=ConfirmForm(),
        public_link_for=public_link,
    )


@bp.route("/findings/<int:finding_id>/evidence", methods=["POST"])
@requires("manage_plan")
def add_evidence(finding_id: int):
    """Attach a theme, term, survey item or contribution as evidence."""
    item = db.get_or_404(Finding, finding_id)
    evidence_form = EvidenceForm()
    evidence_form.evidence.choices = _evidence_choices(item)
    form = FindingForm(obj=item, formdata=None)
    form.fill_terms(item.terms)
    if evidence_form.validate_on_submit():
        choice = evidence_form.evidence.data or ""
        number = evidence_form.contribution.data
        added = attempt(
            lambda: finding_service.add_evidence_choice(item, choice, number, current_user),
            form=evidence_form,
            field="evidence",
        )
        if not added.ok:
            return _finding_page(item, form, evidence_form, _response_form(item)), 400
        flash(_("Evidence added."), "success")
        return redirect(url_for("plan_admin.finding", finding_id=item.id))
    return _finding_page(item, form, evidence_form, _response_form(item)), 400


@bp.route("/findings/<int:finding_id>/evidence/<int:evidence_id>/remove", methods=["POST"])
@requires("manage_plan")
def remove_evidence(finding_id: int, evidence_id: int):
    item = db.get_or_404(FindingEvidence, evidence_id)
    if item.finding_id != finding_id or not ConfirmForm().validate_on_submit():
        abort(404 if item.finding_id != finding_id else 400)
    if attempt(lambda: finding_service.remove_evidence(item, current_user)).ok:
        flash(_("Evidence removed."), "success")
    return redirect(url_for("plan_admin.finding", finding_id=finding_id))


def _action_choices() -> list[tuple[str, str]]:
    plan = service.current_plan()
    choices = [("", _("Choose an action"))]
    for priority in plan.priorities if plan else []:
        for action in priority.actions:
            choices.append((str(action.id), f"{action.reference} {action.title}"))
    return choices


def _response_form(item: Finding, formdata=None) -> ResponseForm:
    response = item.response
    form = ResponseForm(formdata=formdata) if formdata is not None else ResponseForm(formdata=None)
    if formdata is None and response is not None:
        form.kind.data = response.kind.value
        form.action.data = str(response.action_id or "")
        form.explanation.data = response.explanation
    form.action.choices = _action_choices()
    plan = service.current_plan()
    form.priority.choices = [("", _("Choose a priority"))] + [
        (str(p.id), f"{p.number}. {p.title}") for p in (plan.priorities if plan else [])
    ]
    form.new_lead.choices = [("", _("Choose an organisation"))] + organisation_choices()
    return form


@bp.route("/findings/<int:finding_id>/response", methods=["POST"])
@requires("manage_plan")
def respond(finding_id: int):
    """Say what the partnership did: a new action, a change, an existing action, or not."""
    from flask import request

    item = db.get_or_404(Finding, finding_id)
    form = _response_form(item, formdata=request.form)
    if form.validate_on_submit():
        kind = ResponseKind(form.kind.data)
        new = finding_service.NewAction(
            priority_id=int(form.priority.data or 0) or None,
            title=form.new_title.data or "",
            lead=form.new_lead.data or None,
            due_on=form.new_due.data,
        )
        saved = attempt(
            lambda: finding_service.respond(
                item,
                kind,
                form.explanation.data or "",
                current_user,
                new=new,
                action_id=int(form.action.data or 0) or None,
            ),
            form=form,
            field="kind",
        )
        if saved.ok:
            flash(_("Response saved."), "success")
            return redirect(url_for("plan_admin.findings", consultation_id=item.consultation_id))
    finding_form = FindingForm(obj=item, formdata=None)
    finding_form.fill_terms(item.terms)
    evidence_form = EvidenceForm(formdata=None)
    evidence_form.evidence.choices = _evidence_choices(item)
    return _finding_page(item, finding_form, evidence_form, form), 400


@bp.route("/findings/<int:finding_id>/delete", methods=["POST"])
@requires("manage_plan")
def delete_finding(finding_id: int):
    item = db.get_or_404(Finding, finding_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    consultation_id = item.consultation_id
    if not attempt(lambda: finding_service.delete_finding(item, current_user)).ok:
        return redirect(url_for("plan_admin.finding", finding_id=finding_id))
    flash(_("Finding deleted."), "success")
    return redirect(url_for("plan_admin.findings", consultation_id=consultation_id))


@bp.route("/consultations/<int:consultation_id>/outcome/publish", methods=["POST"])
@requires("manage_plan")
def publish_outcome(consultation_id: int):
    """Publish we asked / you said / we did; participants who asked are told by email."""
    consultation = db.get_or_404(Consultation, consultation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    published = attempt(lambda: outcomes.publish_outcome(consultation, current_user))
    if not published.ok or published.result is None:
        return redirect(url_for("plan_admin.findings", consultation_id=consultation_id))
    queued = published.result
    flash(
        ngettext(
            "Outcome published. %(num)d person will be told by email.",
            "Outcome published. %(num)d people will be told by email.",
            queued,
        ),
        "success",
    )
    return redirect(url_for("plan.outcome", slug=consultation.slug))
