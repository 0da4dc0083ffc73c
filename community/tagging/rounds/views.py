"""Second coding: ask a colleague to code a sample blind, code it, see the agreement."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ...accounts.permissions import requires
from ...extensions import db
from ...failures import attempt
from ...forms import ConfirmForm
from .. import codebook as codebooks
from .. import queries
from ..models import CodingRound, RoundItem
from . import service as rounds
from .forms import RoundForm

bp = Blueprint("tagging_rounds", __name__, url_prefix="/tagging")


@bp.route("/<int:consultation_id>/rounds", methods=["GET", "POST"])
@requires("tag")
def index(consultation_id: int):
    """Rounds of second coding for a consultation, and a form to ask for one."""
    consultation = queries.consultation_or_404(consultation_id)
    form = RoundForm()
    form.coder.choices = [(u.id, u.display_name) for u in rounds.colleagues(current_user)]
    if form.validate_on_submit():
        coder = next(u for u in rounds.colleagues(current_user) if u.id == form.coder.data)
        draw = partial(
            rounds.create, consultation.id, current_user, coder, form.size.data, form.seed.data
        )
        drawn = attempt(draw, form=form, field="size")
        if drawn.ok:
            flash(_("Sample of %(n)d drawn.", n=drawn.result.size), "success")
            return redirect(url_for("tagging_rounds.show", round_id=drawn.result.id))
    items = list(
        db.session.scalars(
            select(CodingRound)
            .where(CodingRound.consultation_id == consultation.id)
            .order_by(CodingRound.id.desc())
        )
    )
    coded = dict(
        db.session.execute(
            select(RoundItem.round_id, func.count())
            .where(RoundItem.round_id.in_([r.id for r in items] or [-1]))
            .where(RoundItem.coded_at.is_not(None))
            .group_by(RoundItem.round_id)
        ).all()
    )
    return render_template(
        "tagging/rounds.html", consultation=consultation, rounds=items, coded=coded, form=form
    )


@bp.route("/rounds/<int:round_id>")
@requires("tag")
def show(round_id: int):
    """Agreement between the first coding and the colleague's, code by code."""
    coding_round = db.get_or_404(CodingRound, round_id)
    codebook = codebooks.load(coding_round.consultation_id)
    next_item = next((i for i in coding_round.items if i.coded_at is None), None)
    return render_template(
        "tagging/round.html",
        coding_round=coding_round,
        report=rounds.report(coding_round),
        codebook=codebook,
        next_item=next_item,
    )


@bp.route("/rounds/<int:round_id>/items/<int:position>", methods=["GET", "POST"])
@requires("tag")
def code(round_id: int, position: int):
    """The colleague codes one sampled contribution, without seeing anyone else's codes."""
    coding_round = db.get_or_404(CodingRound, round_id)
    if coding_round.coder_id != current_user.id:
        abort(403)
    item = next((i for i in coding_round.items if i.position == position), None)
    if item is None:
        abort(404)
    codebook = codebooks.load(coding_round.consultation_id)
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        keys = {k for k in request.form.getlist("code") if k}
        attempt(partial(rounds.save_item, coding_round, item, keys, codebook, current_user))
        following = next((i for i in coding_round.items if i.coded_at is None), None)
        if following is None:
            flash(_("Sample finished. Thank you."), "success")
            return redirect(url_for("tagging_rounds.show", round_id=coding_round.id))
        return redirect(
            url_for("tagging_rounds.code", round_id=coding_round.id, position=following.position)
        )
    return render_template(
        "tagging/round_item.html",
        coding_round=coding_round,
        item=item,
        codebook=codebook,
        chosen=rounds.item_codes(item),
    )
