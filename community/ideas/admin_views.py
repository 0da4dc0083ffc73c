"""Officers create idea boards and move them through their phases."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..accounts.permissions import requires
from ..consultations.models import Consultation
from ..extensions import db
from ..failures import attempt
from . import service
from .forms import BoardForm
from .models import BoardPhase, IdeaBoard

bp = Blueprint("ideas_admin", __name__, url_prefix="/manage")


@bp.route("/consultations/<int:consultation_id>/boards/new", methods=["GET", "POST"])
@requires("manage_consultations")
def new(consultation_id: int):
    """Add an idea board to a consultation."""
    consultation = db.get_or_404(Consultation, consultation_id)
    form = BoardForm()
    if form.validate_on_submit():
        board = attempt(
            partial(
                service.create_board,
                consultation.id,
                title=form.title.data,
                description=form.description.data or "",
                phase=BoardPhase(form.phase.data),
            )
        ).value
        flash(_("Idea board created."), "success")
        return redirect(url_for("ideas.board", board_id=board.id))
    return render_template(
        "ideas/admin/form.html", form=form, consultation=consultation, board=None
    )


@bp.route("/boards/<int:board_id>/edit", methods=["GET", "POST"])
@requires("manage_consultations")
def edit(board_id: int):
    """Change a board's wording or move it to its next phase."""
    board = db.get_or_404(IdeaBoard, board_id)
    form = BoardForm(obj=board) if not BoardForm().is_submitted() else BoardForm()
    if form.is_submitted() is False:
        form.phase.data = board.phase.value
    if form.validate_on_submit():
        change = partial(
            service.edit_board,
            board,
            title=form.title.data,
            description=form.description.data or "",
            phase=BoardPhase(form.phase.data),
        )
        attempt(change)
        flash(_("Idea board saved."), "success")
        return redirect(url_for("ideas.board", board_id=board.id))
    return render_template(
        "ideas/admin/form.html", form=form, consultation=board.consultation, board=board
    )
