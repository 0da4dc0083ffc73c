"""Admins see mail that could not be delivered, and send it again."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..accounts.permissions import requires
from ..extensions import db
from ..failures import attempt
from ..forms import ConfirmForm
from ..pagination import paginate
from .models import OutboxMessage, OutboxStatus
from .service import retry_failed

bp = Blueprint("outbox_admin", __name__, url_prefix="/admin/mail")


@bp.route("/")
@requires("view_outbox")
def list_messages():
    """Mail by status; failures first."""
    status = request.args.get("status", OutboxStatus.FAILED.value)
    if status not in {s.value for s in OutboxStatus}:
        status = OutboxStatus.FAILED.value
    counts = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus(status))
        .order_by(OutboxMessage.created_at.desc())
    )
    page = paginate(stmt, per_page=current_app.config["ITEMS_PER_PAGE"])
    return render_template(
        "admin/outbox.html",
        page=page,
        status=status,
        counts={s.value: counts.get(s, 0) for s in OutboxStatus},
        confirm=ConfirmForm(),
    )


@bp.route("/<int:message_id>/retry", methods=["POST"])
@requires("view_outbox")
def retry(message_id: int):
    """Queue a failed mail again."""
    message = db.get_or_404(OutboxMessage, message_id)
    if not ConfirmForm().validate_on_submit() or message.status != OutboxStatus.FAILED:
        abort(400)
    attempt(lambda: retry_failed(message))
    flash(_("The mail will be sent again."), "success")
    return redirect(url_for("outbox_admin.list_messages"))
