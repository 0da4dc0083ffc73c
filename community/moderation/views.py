"""The moderation queue and decisions; reports from people; the public moderation log."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from ..accounts.permissions import can, requires
from ..consultations.models import Consultation
from ..contributions.models import Contribution, ContributionStatus
from ..contributions.service import titles
from ..extensions import db
from ..failures import attempt
from ..forms import ConfirmForm
from ..operations import form_tokens
from ..pagination import paginate
from . import detect, queries, service
from .forms import REPORT_LABELS, HideForm, PublishForm, RejectForm, ReportForm
from .models import Decision, RejectionTemplate, Report, ReportReason

bp = Blueprint("moderation", __name__)

HOLD_LABELS = {
    "email": "Email address",
    "phone": "Phone number",
    "postcode": "Postcode",
    "address": "Street address",
    "abuse": "Abuse word",
    "reports": "Reported",
}


def _templates() -> list[RejectionTemplate]:
    return list(
        db.session.scalars(
            select(RejectionTemplate)
            .where(RejectionTemplate.retired_at.is_(None))
            .order_by(RejectionTemplate.id)
        )
    )


def _reject_form() -> RejectForm:
    form = RejectForm(prefix="reject")
    form.template.choices = [(t.code, t.title) for t in _templates()]
    return form


@bp.route("/moderation/")
@requires("moderate")
def queue():
    """Every kind of contribution waiting for a decision, with filters and bulk actions."""
    args = request.args
    stmt = queries.queue(
        status=args.get("status", "pending"),
        kind=args.get("kind", ""),
        consultation_id=args.get("consultation", type=int),
        reason=args.get("reason", ""),
        age=args.get("age", ""),
        sort=args.get("sort", "oldest"),
        waited=args.get("waited", "")[:10],
    )
    page = paginate(stmt, per_page=current_app.config["ITEMS_PER_PAGE"])
    consultations = db.session.execute(
        select(Consultation.id, Consultation.title).order_by(Consultation.title)
    ).all()
    return render_template(
        "moderation/queue.html",
        page=page,
        reports=queries.report_counts([c.id for c in page.items]),
        titles=titles([c.id for c in page.items]),
        consultations=consultations,
        hold_labels=HOLD_LABELS,
        templates=_templates(),
        args=args,
    )


@bp.route("/moderation/bulk", methods=["POST"])
@requires("moderate")
def bulk():
    """Publish or reject several contributions at once."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ids = request.form.getlist("selected", type=int)
    action = request.form.get("action")
    template = db.session.scalar(
        select(RejectionTemplate).where(RejectionTemplate.code == request.form.get("template", ""))
    )
    decided = attempt(partial(service.decide_many, ids, action, current_user, template))
    if not decided.ok:
        return redirect(request.referrer or url_for("moderation.queue"))
    flash(
        ngettext("%(num)d contribution updated.", "%(num)d contributions updated.", decided.value),
        "success",
    )
    return redirect(url_for("moderation.queue"))


@bp.route("/moderation/<int:contribution_id>")
@requires("moderate")
def show(contribution_id: int):
    """One contribution: why it is here, a redacted preview, reports and every decision."""
    contribution = db.get_or_404(Contribution, contribution_id)
    findings = detect.find(contribution.body, service.abuse_words())
    return render_template(
        "moderation/show.html",
        contribution=contribution,
        title=titles([contribution.id]).get(contribution.id),
        findings=findings,
        redacted=detect.redact(contribution.body),
        reports=list(
            db.session.scalars(select(Report).where(Report.contribution_id == contribution.id))
        ),
        decisions=list(
            db.session.scalars(
                select(Decision)
                .where(Decision.contribution_id == contribution.id)
                .order_by(Decision.id)
            )
        ),
        publish_form=PublishForm(prefix="publish"),
        reject_form=_reject_form(),
        hide_form=HideForm(prefix="hide"),
        hold_labels=HOLD_LABELS,
        report_labels=REPORT_LABELS,
    )


def _next_pending(after_id: int):
    next_id = db.session.scalar(
        select(Contribution.id)
        .where(Contribution.status == ContributionStatus.PENDING, Contribution.id != after_id)
        .order_by(Contribution.created_at, Contribution.id)
        .limit(1)
    )
    if next_id:
        return redirect(url_for("moderation.show", contribution_id=next_id))
    return redirect(url_for("moderation.queue"))


@bp.route("/moderation/<int:contribution_id>/publish", methods=["POST"])
@requires("moderate")
def publish(contribution_id: int):
    """Publish (optionally redacted), then go to the next one waiting."""
    contribution = db.get_or_404(Contribution, contribution_id)
    form = PublishForm(prefix="publish")
    if not form.validate_on_submit():
        abort(400)
    if attempt(partial(service.publish, contribution, current_user, redact=form.redact.data)).ok:
        flash(_("Published."), "success")
    return _next_pending(contribution.id)


@bp.route("/moderation/<int:contribution_id>/reject", methods=["POST"])
@requires("moderate")
def reject(contribution_id: int):
    """Reject with a reason; the author is told by email."""
    contribution = db.get_or_404(Contribution, contribution_id)
    form = _reject_form()
    if not form.validate_on_submit():
        flash(_("Choose a reason to reject it."), "error")
        return redirect(url_for("moderation.show", contribution_id=contribution.id))
    template = next(t for t in _templates() if t.code == form.template.data)
    rejected = attempt(
        partial(service.reject, contribution, current_user, template, form.note.data or "")
    )
    if rejected.ok:
        flash(_("Rejected. The author has been told why."), "success")
    return _next_pending(contribution.id)


@bp.route("/moderation/<int:contribution_id>/hide", methods=["POST"])
@requires("moderate")
def hide(contribution_id: int):
    """Hide a published contribution (it is kept, never deleted)."""
    contribution = db.get_or_404(Contribution, contribution_id)
    form = HideForm(prefix="hide")
    if not form.validate_on_submit():
        abort(400)
    if attempt(partial(service.hide, contribution, current_user, form.note.data or "")).ok:
        flash(_("Hidden."), "success")
    return redirect(url_for("moderation.show", contribution_id=contribution.id))


@bp.route("/moderation/<int:contribution_id>/restore", methods=["POST"])
@requires("moderate")
def restore(contribution_id: int):
    """Put a hidden or rejected contribution back in the queue."""
    contribution = db.get_or_404(Contribution, contribution_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if attempt(partial(service.restore, contribution, current_user)).ok:
        flash(_("Back in the queue."), "success")
    return redirect(url_for("moderation.show", contribution_id=contribution.id))


@bp.route("/contributions/<int:contribution_id>/report", methods=["GET", "POST"])
@login_required
def report(contribution_id: int):
    """Anyone signed in can report a published contribution."""
    contribution = db.get_or_404(Contribution, contribution_id)
    if not contribution.is_public and not can(current_user, "moderate"):
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        consultation = contribution.consultation
        # The thanks page is an answer, not a redirect: a repeat goes back to where it was.
        form_tokens.set_result(
            url_for("consultations.show", slug=consultation.slug)
            if consultation is not None
            else url_for("main.home")
        )
        reported = attempt(
            partial(
                service.report,
                contribution,
                current_user,
                ReportReason(form.reason.data),
                form.note.data or "",
            ),
            form=form,
        )
        if reported.ok:
            return render_template("moderation/reported.html", contribution=contribution)
    return render_template("moderation/report.html", form=form, contribution=contribution)


@bp.route("/consultations/<slug>/moderation")
def public_log(slug: str):
    """How many contributions were published, held and rejected, and why: counts, no content."""
    from ..consultations import permissions as consultation_permissions
    from ..consultations.service import get_by_slug

    consultation = get_by_slug(slug)
    if consultation is None or not consultation_permissions.can_view(current_user, consultation):
        abort(404)
    return render_template(
        "moderation/public_log.html",
        consultation=consultation,
        log=service.public_log(consultation.id),
    )
