"""Public consultation pages, and following consultations, issues and wards."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..failures import attempt
from ..forms import ConfirmForm
from ..framework.models import NOT_WARDS, Term, active_terms_query, wards_query
from ..pagination import paginate
from . import permissions, service
from .models import Phase

bp = Blueprint("consultations", __name__, url_prefix="/consultations")

PHASE_LABELS = {
    Phase.DRAFT: "Draft",
    Phase.SCHEDULED: "Opening soon",
    Phase.OPEN: "Open",
    Phase.CLOSED: "Closed",
    Phase.OUTCOME: "Outcome published",
}


def phase_label(phase: Phase) -> str:
    return _(PHASE_LABELS[Phase(phase)])


def load_visible(slug: str):
    """The consultation, or 404 if it does not exist or is a draft this person may not see."""
    consultation = service.get_by_slug(slug)
    if consultation is None or not permissions.can_view(current_user, consultation):
        abort(404)
    return consultation


@bp.route("/")
def index():
    """Open, upcoming and closed consultations, filterable by status, issue and ward."""
    from .forms import FilterForm

    form = FilterForm(request.args)
    form.status.choices = [("", _("Any status"))] + [
        (p.value, phase_label(p)) for p in Phase if p != Phase.DRAFT
    ]
    issues = db.session.scalars(active_terms_query("issue")).all()
    wards = db.session.scalars(wards_query()).all()
    form.issue.choices = [("", _("Any issue"))] + [(t.code, t.name) for t in issues]
    form.ward.choices = [("", _("Any ward"))] + [(t.code, t.name) for t in wards]
    # Unknown values are ignored rather than refused: a filter link never breaks.
    filters = {
        "phase": _known(form.status),
        "issue": _known(form.issue),
        "ward": _known(form.ward),
    }
    page = paginate(service.public_query(**filters), per_page=current_app.config["ITEMS_PER_PAGE"])
    followed_term = next(
        (t for t in issues + wards if t.code in (filters["issue"], filters["ward"])), None
    )
    return render_template(
        "consultations/index.html",
        form=form,
        page=page,
        phase_label=phase_label,
        followed_term=followed_term,
        wards=wards,
        confirm=ConfirmForm(),
    )


def _known(field) -> str:
    return field.data if field.data in {value for value, _label in field.choices} else ""


@bp.route("/<slug>")
def show(slug: str):
    """A consultation's public page: what it is about, how to take part, then results."""
    consultation = load_visible(slug)
    return render_template(
        "consultations/show.html",
        consultation=consultation,
        phase=consultation.phase,
        phase_label=phase_label,
        following=service.is_following(current_user, consultation),
        can_respond=permissions.can_respond(current_user, consultation),
        can_see_results=permissions.can_see_results(current_user, consultation),
        can_manage=permissions.can_manage(current_user),
        not_wards=NOT_WARDS,
    )


@bp.route("/<slug>/follow", methods=["POST"])
@login_required
def follow(slug: str):
    """Get an email when it opens and when its outcome is published."""
    consultation = load_visible(slug)
    if ConfirmForm().validate_on_submit():
        # Run again on a clash: two at once (a script, an old page without the form's
        # token) both find no follow and both insert; the second then finds the first's.
        attempt(
            lambda: service.follow(current_user, consultation=consultation), retry_conflicts=True
        )
        flash(_("You are following this consultation. We will email you about it."), "success")
    return redirect(url_for("consultations.show", slug=slug))


@bp.route("/<slug>/unfollow", methods=["POST"])
@login_required
def unfollow(slug: str):
    """Stop following a consultation."""
    consultation = load_visible(slug)
    if ConfirmForm().validate_on_submit():
        attempt(lambda: service.unfollow(current_user, consultation))
        flash(_("You are no longer following this consultation."), "success")
    return redirect(url_for("consultations.show", slug=slug))


@bp.route("/follow-term/ward", methods=["POST"])
@login_required
def follow_ward():
    """Follow a ward chosen from a list, without filtering the consultations first."""
    code = request.form.get("ward", "")
    term = db.session.scalar(wards_query().where(Term.code == code)) if code else None
    if term is None:
        flash(_("Choose the ward you want to follow."), "error")
        return redirect(url_for("consultations.index"))
    return follow_term(term.id)


@bp.route("/follow-term/<int:term_id>", methods=["POST"])
@login_required
def follow_term(term_id: int):
    """Follow an issue or a ward: hear about every consultation on it."""
    term = db.session.get(Term, term_id)
    if term is None or not term.is_active or term.vocabulary.code not in ("issue", "area"):
        abort(404)
    if ConfirmForm().validate_on_submit():
        attempt(lambda: service.follow(current_user, term=term), retry_conflicts=True)
        flash(
            _(
                "You are following %(name)s. We will email you when a consultation about it opens.",
                name=term.name,
            ),
            "success",
        )
    return redirect(
        url_for(
            "consultations.index",
            **{"issue" if term.vocabulary.code == "issue" else "ward": term.code},
        )
    )


@bp.route("/unsubscribe/<token>")
def unsubscribe(token: str):
    """One click from an email stops those emails; no sign-in needed."""
    if not attempt(lambda: service.unsubscribe(token)).value:
        abort(404)
    return render_template("consultations/unsubscribed.html")
