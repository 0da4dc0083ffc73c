"""A person's own data: download it, see and withdraw consents, delete the account."""

from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template, session, url_for
from flask_login import current_user, login_required, logout_user

from ..audit.service import record
from ..extensions import db
from . import export, service
from .forms import KEEP, DeleteAccountForm

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


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    """Delete your account: your password, a choice about what you wrote, then gone."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            service.delete_own_account(
                current_user._get_current_object(),
                password=form.password.data,
                keep_contributions=form.contributions.data == KEEP,
            )
        except service.PrivacyError as error:
            form.password.errors.append(str(error))
        else:
            db.session.commit()
            logout_user()
            session.clear()
            return redirect(url_for("privacy.account_deleted"))
    return render_template("privacy/delete.html", form=form), 400 if form.errors else 200


@bp.route("/account/deleted")
def account_deleted():
    """Your account has been deleted."""
    return render_template("privacy/deleted.html")
