"""Officers share consultations with partners, and record partner figures with the
information-sharing agreement each comes under."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Organisation
from ..accounts.permissions import requires
from ..consultations.models import Consultation
from ..extensions import db
from ..failures import attempt
from ..framework.models import active_terms_query
from ..pagination import paginate
from . import service
from .forms import WHOLE_AREA, AgreementForm, FigureForm, ShareForm
from .models import PartnerFigure, SharingAgreement

bp = Blueprint("partners", __name__, url_prefix="/manage")


@bp.route("/consultations/<int:consultation_id>/sharing", methods=["GET", "POST"])
@requires("manage_consultations")
def sharing(consultation_id: int):
    """Which partner organisations may read this consultation's analysis."""
    consultation = db.get_or_404(Consultation, consultation_id)
    form = ShareForm()
    if not form.is_submitted():
        form.organisations.data = [o.value for o in service.shared_organisations(consultation)]
    if form.validate_on_submit():
        chosen = {Organisation(v) for v in form.organisations.data or []}
        if attempt(lambda: service.set_shares(consultation, chosen, current_user), form=form).ok:
            flash(_("Sharing saved."), "success")
            return redirect(url_for("partners.sharing", consultation_id=consultation.id))
    return render_template("partners/sharing.html", form=form, consultation=consultation)


@bp.route("/partner-data/")
@requires("manage_partner_data")
def index():
    """Partner figures, newest period first, and the agreements they come under."""
    page = paginate(service.figures_query(), per_page=current_app.config["ITEMS_PER_PAGE"])
    return render_template(
        "partners/index.html",
        page=page,
        withheld=service.withheld_ids(list(page.items)),
        agreements=service.agreements(),
    )


def _figure_form(figure: PartnerFigure | None) -> FigureForm:
    form = FigureForm(obj=figure)
    form.agreement_id.choices = [
        (a.id, f"{a.name} ({a.organisation.label}{', ' + a.reference if a.reference else ''})")
        for a in service.agreements()
    ]
    form.issue_id.choices = [
        (t.id, t.name) for t in db.session.scalars(active_terms_query("issue"))
    ]
    form.ward_id.choices = [(int(WHOLE_AREA), _("The whole area"))] + [
        (t.id, t.name) for t in db.session.scalars(active_terms_query("area"))
    ]
    if figure is not None and not form.is_submitted() and figure.ward_id is None:
        form.ward_id.data = int(WHOLE_AREA)
    return form


def _save_figure(figure: PartnerFigure | None):
    form = _figure_form(figure)
    if not form.agreement_id.choices:
        flash(_("Add the information-sharing agreement first."), "info")
        return redirect(url_for("partners.new_agreement"))
    if form.validate_on_submit():
        data = service.FigureData(
            agreement_id=form.agreement_id.data,
            issue_id=form.issue_id.data,
            ward_id=form.ward_id.data or None,
            measure=form.measure.data,
            period_start=form.period_start.data,
            period_end=form.period_end.data,
            value=form.value.data,
            counts_youth=bool(form.counts_youth.data),
            notes=form.notes.data or "",
        )
        saved = attempt(
            lambda: service.save_figure(figure, data, current_user), form=form, field="measure"
        )
        if saved.ok:
            flash(_("Figure saved."), "success")
            return redirect(url_for("partners.index"))
    return render_template("partners/figure_form.html", form=form, figure=figure)


@bp.route("/partner-data/new", methods=["GET", "POST"])
@requires("manage_partner_data")
def new_figure():
    """Add a figure from a partner."""
    return _save_figure(None)


@bp.route("/partner-data/<int:figure_id>/edit", methods=["GET", "POST"])
@requires("manage_partner_data")
def edit_figure(figure_id: int):
    """Correct a figure."""
    return _save_figure(db.get_or_404(PartnerFigure, figure_id))


def _save_agreement(agreement: SharingAgreement | None):
    form = AgreementForm(obj=agreement)
    if agreement is not None and not form.is_submitted():
        form.organisation.data = agreement.organisation.value
    if form.validate_on_submit():
        data = service.AgreementData(
            organisation=Organisation(form.organisation.data),
            name=form.name.data,
            reference=form.reference.data or "",
            signed_on=form.signed_on.data,
            purpose=form.purpose.data or "",
        )
        if attempt(lambda: service.save_agreement(agreement, data, current_user), form=form).ok:
            flash(_("Agreement saved."), "success")
            return redirect(url_for("partners.index"))
    return render_template("partners/agreement_form.html", form=form, agreement=agreement)


@bp.route("/partner-data/agreements/new", methods=["GET", "POST"])
@requires("manage_partner_data")
def new_agreement():
    """Record an information-sharing agreement."""
    return _save_agreement(None)


@bp.route("/partner-data/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
@requires("manage_partner_data")
def edit_agreement(agreement_id: int):
    """Correct an agreement's details."""
    return _save_agreement(db.get_or_404(SharingAgreement, agreement_id))
