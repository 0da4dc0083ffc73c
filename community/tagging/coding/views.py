"""Officers code contributions: the consultations, one contribution at a time, bulk tagging."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from ...accounts.permissions import requires
from ...consultations.models import Consultation
from ...contributions.models import Contribution
from ...contributions.service import titles
from ...extensions import db
from ...failures import ServiceError, attempt
from ...forms import ConfirmForm
from ...pagination import paginate
from .. import codebook as codebooks
from .. import queries
from ..analysis.figures import age_labels, ward_labels
from ..permissions import TAGGABLE, can_tag, requires_any, visible_statuses
from ..suggestions import service as suggestions
from . import service

bp = Blueprint("tagging", __name__, url_prefix="/tagging")


def _load_contribution(consultation_id: int, contribution_id: int) -> Contribution:
    """A published or waiting contribution of this consultation, or 404."""
    contribution = db.session.get(Contribution, contribution_id)
    if (
        contribution is None
        or contribution.consultation_id != consultation_id
        or contribution.status not in TAGGABLE
    ):
        abort(404)
    return contribution


@bp.route("/")
@requires("tag")
def index():
    """Every consultation, with how much of it has been coded."""
    stmt = select(Consultation).order_by(Consultation.created_at.desc(), Consultation.id.desc())
    page = paginate(stmt, per_page=current_app.config["ITEMS_PER_PAGE"])
    progress = queries.progress([c.id for c in page.items])
    return render_template("tagging/index.html", page=page, progress=progress)


@bp.route("/<int:consultation_id>/")
@requires("tag")
def overview(consultation_id: int):
    """One consultation: progress, suggestion precision, and where to go next."""
    consultation = queries.consultation_or_404(consultation_id)
    return render_template(
        "tagging/overview.html",
        consultation=consultation,
        progress=queries.progress([consultation.id])[consultation.id],
        precision=suggestions.precision(consultation.id),
        model=suggestions.status(),
    )


@bp.route("/<int:consultation_id>/read")
@requires("tag")
def read(consultation_id: int):
    """Start reading at the first contribution nobody has coded yet."""
    consultation = queries.consultation_or_404(consultation_id)
    first = queries.first_to_read(consultation.id)
    if first is None:
        flash(_("There is nothing to code in this consultation yet."), "info")
        return redirect(url_for("tagging.overview", consultation_id=consultation.id))
    return redirect(
        url_for("tagging.contribution", consultation_id=consultation.id, contribution_id=first)
    )


def _keys(name: str) -> set[str]:
    return {key for key in request.form.getlist(name) if key}


@bp.route("/<int:consultation_id>/contributions/<int:contribution_id>", methods=["GET", "POST"])
@requires("tag")
def contribution(consultation_id: int, contribution_id: int):
    """The reading view: one contribution, its codes as checkboxes, suggestions, next/previous."""
    consultation = queries.consultation_or_404(consultation_id)
    item = _load_contribution(consultation.id, contribution_id)
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)

        def work():
            fresh = _load_contribution(consultation.id, contribution_id)
            return service.save_codes(
                fresh,
                current_user,
                codebooks.load(consultation.id),
                checked=_keys("code"),
                was_checked=_keys("was"),
                pins_shown=_keys("pin_shown"),
                pins=_keys("pin"),
            )

        saved = attempt(work, retry_conflicts=True)
        if saved.ok:
            flash(_("Saved.") if saved.value else _("Nothing changed."), "success")
        following = queries.place(item).next_id if request.form.get("then") == "next" else None
        target = following or item.id
        return redirect(
            url_for("tagging.contribution", consultation_id=consultation.id, contribution_id=target)
        )
    codebook = codebooks.load(consultation.id)
    tags = queries.tags_for([item.id]).get(item.id, [])
    tagged = {t.key for t in tags}
    ward, age = queries.profiles(consultation.id, [item.id]).get(item.id, (None, None))
    return render_template(
        "tagging/contribution.html",
        consultation=consultation,
        contribution=item,
        title=titles([item.id]).get(item.id),
        codebook=codebook,
        tags=tags,
        tagged=tagged,
        retired=[t for t in tags if t.key not in codebook.active_keys],
        place=queries.place(item),
        suggestions=suggestions.for_contribution(item, codebook, tagged),
        ward=ward_labels(codebook).get(ward or queries.UNKNOWN, ward),
        age=age_labels().get(age or queries.UNKNOWN, age),
    )


@bp.route(
    "/<int:consultation_id>/contributions/<int:contribution_id>/suggestions", methods=["POST"]
)
@requires("tag")
def decide(consultation_id: int, contribution_id: int):
    """Accept or reject one suggested code (the decision is kept, for precision)."""
    consultation = queries.consultation_or_404(consultation_id)
    _load_contribution(consultation.id, contribution_id)
    key, decision = request.form.get("key", ""), request.form.get("decision", "")
    if not ConfirmForm().validate_on_submit() or not key or decision not in ("accept", "reject"):
        abort(400)

    def work():
        item = _load_contribution(consultation.id, contribution_id)
        codebook = codebooks.load(consultation.id)
        tagged = {t.key for t in queries.tags_for([item.id]).get(item.id, [])}
        offered = suggestions.for_contribution(item, codebook, tagged)
        suggestion = next((s for s in offered if s.key == key), None)
        if suggestion is None:
            raise ServiceError(_("That suggestion is no longer offered."))
        service.decide_suggestion(item, suggestion, decision == "accept", current_user, codebook)

    if attempt(work, retry_conflicts=True).ok:
        flash(_("Suggestion accepted.") if decision == "accept" else _("Suggestion rejected."))
    return redirect(
        url_for(
            "tagging.contribution", consultation_id=consultation.id, contribution_id=contribution_id
        )
    )


@bp.route("/<int:consultation_id>/contributions")
@requires_any("tag", "analyse")
def contributions(consultation_id: int):
    """Contributions filtered by code, ward, age band or words; officers tick them to bulk-tag."""
    consultation = queries.consultation_or_404(consultation_id)
    filters = queries.Filters.from_args(request.args)
    codebook = codebooks.load(consultation.id)
    stmt = queries.filtered(
        consultation.id, visible_statuses(current_user), filters, codebook.mapped_terms()
    )
    page = paginate(stmt, per_page=current_app.config["ITEMS_PER_PAGE"])
    ids = [c.id for c in page.items]
    return render_template(
        "tagging/contributions.html",
        consultation=consultation,
        page=page,
        filters=filters,
        codebook=codebook,
        tags=queries.tags_for(ids),
        titles=titles(ids),
        profiles=queries.profiles(consultation.id, ids),
        wards=ward_labels(codebook),
        ages=age_labels(),
        bulk=can_tag(current_user),
    )


@bp.route("/<int:consultation_id>/bulk", methods=["POST"])
@requires("tag")
def bulk(consultation_id: int):
    """Add one term or theme to every ticked contribution."""
    consultation = queries.consultation_or_404(consultation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    back = url_for(
        "tagging.contributions",
        consultation_id=consultation.id,
        **queries.Filters.from_args(request.form).as_args(),
    )
    ids = request.form.getlist("selected", type=int)
    key = request.form.get("add", "")
    if not ids or not key:
        flash(_("Tick some contributions and choose a term or theme to add."), "error")
        return redirect(back)

    def work():
        return service.bulk_add(
            consultation.id, ids, key, current_user, codebooks.load(consultation.id)
        )

    added = attempt(work, retry_conflicts=True)
    if added.ok:
        flash(
            ngettext(
                "Added to %(num)d contribution.", "Added to %(num)d contributions.", added.result
            ),
            "success",
        )
    return redirect(back)
