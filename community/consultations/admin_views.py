"""Officers create, edit and publish consultations."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts.permissions import requires
from ..extensions import db
from ..failures import attempt
from ..forms import ConfirmForm
from ..framework.models import active_terms_query, wards_query
from ..pagination import paginate
from . import service
from .forms import ConsultationForm
from .models import Audience, Consultation, ModerationPolicy, Phase

bp = Blueprint("consultations_admin", __name__, url_prefix="/manage/consultations")

VOCABULARY_FIELDS = {"issues": "issue", "principles": "principle", "wards": "area"}


def _load(consultation_id: int) -> Consultation:
    consultation = db.get_or_404(Consultation, consultation_id)
    return consultation


def _form(consultation: Consultation | None = None) -> ConsultationForm:
    form = ConsultationForm()
    for field_name, code in VOCABULARY_FIELDS.items():
        query = wards_query() if code == "area" else active_terms_query(code)
        getattr(form, field_name).choices = [(t.id, t.name) for t in db.session.scalars(query)]
    if consultation is not None and not form.is_submitted():
        form.title.data = consultation.title
        form.summary.data = consultation.summary
        form.body.data = consultation.body_html
        form.why_asking.data = consultation.why_asking
        form.how_used.data = consultation.how_used
        # Published: its address is fixed unless changed here on purpose.
        form.slug.data = consultation.slug if consultation.published_at else ""
        form.opens_on.data = (
            consultation.opens_at.astimezone(service.local_zone()).date()
            if consultation.opens_at
            else None
        )
        form.closes_on.data = (
            consultation.last_day.astimezone(service.local_zone()).date()
            if consultation.closes_at
            else None
        )
        form.contact_name.data = consultation.contact_name
        form.contact_email.data = consultation.contact_email
        form.documents.data = service.documents_text(consultation.documents)
        for field_name, code in VOCABULARY_FIELDS.items():
            getattr(form, field_name).data = [t.id for t in consultation.terms_in(code)]
        form.moderation_policy.data = consultation.moderation_policy.value
        form.audience.data = consultation.audience.value
        form.allow_anonymous.data = "yes" if consultation.allow_anonymous else "no"
        form.results_public.data = "yes" if consultation.results_public else "no"
    return form


def _data(form: ConsultationForm) -> service.ConsultationData:
    return service.ConsultationData(
        title=form.title.data,
        summary=form.summary.data,
        body=form.body.data or "",
        why_asking=form.why_asking.data or "",
        how_used=form.how_used.data or "",
        opens_on=form.opens_on.data,
        closes_on=form.closes_on.data,
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
        documents=form.documents.data or "",
        term_ids=[*form.issues.data, *form.principles.data, *form.wards.data],
        moderation_policy=ModerationPolicy(form.moderation_policy.data),
        allow_anonymous=form.allow_anonymous.data == "yes",
        audience=Audience(form.audience.data),
        results_public=form.results_public.data == "yes",
        slug=form.slug.data or "",
    )


@bp.route("/")
@requires("manage_consultations")
def index():
    """Every consultation, drafts included."""
    stmt = select(Consultation).order_by(Consultation.created_at.desc(), Consultation.id.desc())
    page = paginate(stmt, per_page=current_app.config["ITEMS_PER_PAGE"])
    from .views import phase_label

    return render_template("consultations/admin/index.html", page=page, phase_label=phase_label)


@bp.route("/new", methods=["GET", "POST"])
@requires("manage_consultations")
def new():
    """Start a consultation (a draft until published)."""
    form = _form()
    if form.validate_on_submit():
        created = attempt(
            lambda: service.create(_data(form), current_user), form=form, field="documents"
        )
        if created.ok:
            flash(_("Consultation saved as a draft."), "success")
            return redirect(url_for("consultations_admin.show", consultation_id=created.value.id))
    return render_template("consultations/admin/form.html", form=form, consultation=None)


@bp.route("/<int:consultation_id>")
@requires("manage_consultations")
def show(consultation_id: int):
    """An officer's view of one consultation: its state and what to do next."""
    consultation = _load(consultation_id)
    from .views import phase_label

    return render_template(
        "consultations/admin/show.html",
        consultation=consultation,
        phase=consultation.phase,
        phase_label=phase_label,
        Phase=Phase,
    )


@bp.route("/<int:consultation_id>/edit", methods=["GET", "POST"])
@requires("manage_consultations")
def edit(consultation_id: int):
    """Change a consultation's details."""
    consultation = _load(consultation_id)
    form = _form(consultation)
    if form.validate_on_submit():
        if service.would_close(consultation, form.closes_on.data) and (
            request.form.get("confirm_close") != "yes"
        ):
            # Moving the closing date into the past closes it at once: say so first.
            return render_template(
                "consultations/admin/form.html",
                form=form,
                consultation=consultation,
                closing_warning=True,
            )
        saved = attempt(
            lambda: service.update(consultation, _data(form), current_user),
            form=form,
            field="documents",
        )
        if saved.ok:
            flash(_("Consultation saved."), "success")
            return redirect(url_for("consultations_admin.show", consultation_id=consultation.id))
    return render_template("consultations/admin/form.html", form=form, consultation=consultation)


@bp.route("/<int:consultation_id>/close", methods=["GET", "POST"])
@requires("manage_consultations")
def close(consultation_id: int):
    """Close an open consultation now, after a page that says what closing does."""
    consultation = _load(consultation_id)
    if request.method == "POST":
        return _act(consultation_id, service.close_now, _("Consultation closed."))
    return render_template(
        "consultations/admin/close.html", consultation=consultation, form=ConfirmForm()
    )


@bp.route("/<int:consultation_id>/publish", methods=["POST"])
@requires("manage_consultations")
def publish(consultation_id: int):
    """Publish: scheduled until its opening date, then open."""
    return _act(consultation_id, service.publish, _("Consultation published."))


@bp.route("/<int:consultation_id>/unpublish", methods=["POST"])
@requires("manage_consultations")
def unpublish(consultation_id: int):
    """Back to draft (only before it opens)."""
    return _act(consultation_id, service.unpublish, _("Consultation is a draft again."))


def _act(consultation_id: int, action, message: str):
    consultation = _load(consultation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if attempt(lambda: action(consultation, current_user)).ok:
        flash(message, "success")
    return redirect(url_for("consultations_admin.show", consultation_id=consultation_id))
