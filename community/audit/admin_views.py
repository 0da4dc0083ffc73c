"""Admins read the audit log."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import select

from ..accounts.permissions import requires
from ..pagination import paginate
from .models import AuditEvent

bp = Blueprint("audit_admin", __name__, url_prefix="/admin/audit")


@bp.route("/")
@requires("view_audit")
def list_events():
    """Every audited action, newest first, filterable by action."""
    action = request.args.get("action", "").strip()
    stmt = select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    page = paginate(stmt, per_page=current_app.config["ITEMS_PER_PAGE"])
    return render_template("admin/audit.html", page=page, action=action)
