"""A person's own data: download it, see and withdraw consents, delete the account."""

from __future__ import annotations

from functools import partial

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..audit.service import record
from ..failures import attempt
from ..forms import ConfirmForm
from . import consents, export, service
from . import notice as privacy_notice
from .forms import KEEP, DeleteAccountForm

bp = Blueprint("privacy", __name__)


@bp.route("/privacy")
def notice():
    """The privacy notice, written from the settings (controller, purposes, periods)."""
    config = current_app.config
    return render_template(
        "privacy/notice.html",
        purposes=privacy_notice.purposes(config),
        retention=privacy_notice.retention(config),
    )


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
    attempt(partial(record, "privacy.data_downloaded", "user", current_user.id, files=counts))
    return zip_response(data, "your-data.zip")


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    """Delete your account: your password, a choice about what you wrote, then gone."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        delete = partial(
            service.delete_own_account,
            current_user._get_current_object(),
            password=form.password.data,
            keep_contributions=form.contributions.data == KEEP,
        )
        if attempt(delete, form=form, field="password").ok:
            logout_user()
            session.clear()
            return redirect(url_for("privacy.account_deleted"))
    return render_template("privacy/delete.html", form=form), 400 if form.errors else 200


@bp.route("/account/deleted")
def account_deleted():
    """Your account has been deleted."""
    return render_template("privacy/deleted.html")


@bp.route("/account/consents")
@login_required
def consent_list():
    """What you agreed to and when, and the button to withdraw each."""
    attempt(partial(consents.reconcile, current_user))
    return render_template(
        "privacy/consents.html",
        consents=consents.consents_for(current_user),
        follows=consents.follows_for(current_user),
        current_notice=consents.has_current_notice(current_user),
        form=ConfirmForm(),
    )


@bp.route("/account/consents/<int:consent_id>/withdraw", methods=["POST"])
@login_required
def withdraw_consent(consent_id: int):
    """Withdraw a consent: it takes effect at once."""
    consent = consents.get_own(current_user, consent_id)
    if consent is None:
        abort(404)
    withdraw = partial(consents.withdraw, current_user, consent)
    if ConfirmForm().validate_on_submit() and attempt(withdraw).ok:
        flash(
            _("You have withdrawn your consent. %(effect)s", effect=consent.withdraw_effect),
            "success",
        )
    return redirect(url_for("privacy.consent_list"))


@bp.route("/account/follows/<int:follow_id>/stop", methods=["POST"])
@login_required
def stop_following(follow_id: int):
    """Stop the emails about something you follow."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if attempt(partial(consents.stop_following, current_user, follow_id)).value is None:
        abort(404)
    flash(_("You will not get these emails any more."), "success")
    return redirect(url_for("privacy.consent_list"))


@bp.route("/account/consents/privacy-notice", methods=["POST"])
@login_required
def acknowledge_notice():
    """Record that you have read the privacy notice in force (after it changed)."""
    if ConfirmForm().validate_on_submit():
        attempt(partial(consents.record_privacy_notice, current_user, source="account"))
        flash(_("Thank you. We have recorded that you read the privacy notice."), "success")
    return redirect(url_for("privacy.consent_list"))
