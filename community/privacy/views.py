"""A person's own data: download it, see and withdraw consents, delete the account."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template
from flask_login import current_user, login_required

from ..audit.service import record
from ..extensions import db
from . import export

bp = Blueprint("privacy", __name__)


def zip_response(data: bytes, filename: str):
    response = make_response(data)
    response.headers["Content-Type"] = "application/zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/your-data")
@login_required
def your_data():
    """What we hold about you, and the button to download it."""
    return render_template("privacy/your_data.html", datasets=export.collect(current_user))


@bp.route("/account/your-data/download")
@login_required
def download():
    """Everything held about you, as JSON and CSV in a zip (the download is audited)."""
    data, counts = export.build_zip(current_user)
    record("privacy.data_downloaded", "user", current_user.id, files=counts)
    db.session.commit()
    return zip_response(data, "your-data.zip")
