"""Registration, verification, signing in and out, passwords, the account page."""

from __future__ import annotations

import time
from contextlib import contextmanager
from functools import partial

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from ..failures import attempt
from ..forms import ConfirmForm
from ..operations import form_tokens
from ..urls import redirect_next
from . import service
from .forms import (
    AGE_BAND_LABELS,
    ROLE_LABELS,
    ChangePasswordForm,
    EmailOnlyForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
)
from .models import AgeBand

bp = Blueprint("accounts", __name__)


def _limit(setting: str):
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"])


@bp.route("/register", methods=["GET", "POST"])
@_limit("RATELIMIT_REGISTER")
def register():
    """Create an account."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = RegisterForm()
    if form.validate_on_submit():
        data = service.Registration(
            email=form.email.data,
            display_name=form.display_name.data,
            password=form.password.data,
            age_band=AgeBand(form.age_band.data),
        )
        attempt(partial(service.register, data))
        session["pending_email"] = service.normalise_email(form.email.data)
        return redirect(url_for("accounts.check_email"))
    return render_template("accounts/register.html", form=form)


@bp.route("/register/check-your-email")
def check_email():
    """After registering: the same page whether or not the address was new."""
    return render_template("accounts/check_email.html", email=session.get("pending_email"))


@bp.route("/verify/<token>")
def verify_email(token: str):
    """Confirm an email address from the link we sent."""
    if attempt(partial(service.verify_email, token)).result is None:
        return render_template("accounts/verify_failed.html", form=EmailOnlyForm()), 400
    flash(_("Your email address is confirmed. You can now sign in."), "success")
    return redirect(url_for("accounts.sign_in"))


@bp.route("/verify/resend", methods=["GET", "POST"])
@_limit("RATELIMIT_RESET")
def resend_verification():
    """Send the confirmation link again."""
    form = EmailOnlyForm()
    if form.validate_on_submit():
        attempt(partial(service.resend_verification, form.email.data))
        session["pending_email"] = service.normalise_email(form.email.data)
        return redirect(url_for("accounts.check_email"))
    return render_template("accounts/resend.html", form=form)


@bp.route("/sign-in", methods=["GET", "POST"])
@_limit("RATELIMIT_SIGN_IN")
def sign_in():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect_next("accounts.account")
    form = SignInForm()
    unverified = False
    if form.validate_on_submit():
        signed_in = attempt(
            partial(service.sign_in, form.email.data, form.password.data), form=form
        )
        if signed_in.ok:
            session.clear()
            login_user(signed_in.value)
            session.permanent = True
            return redirect_next("accounts.account")
        unverified = isinstance(signed_in.error, service.NotVerified)
    return render_template("accounts/sign_in.html", form=form, unverified=unverified)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    """Sign out (a POST, so no other site can sign you out)."""
    if ConfirmForm().validate_on_submit():
        if current_user.is_authenticated:
            # The session token is what the cookie holds: a new one means a copy of
            # the cookie taken before signing out opens nothing (every device signs out).
            attempt(partial(service.sign_out, current_user))
        logout_user()
        session.clear()
        flash(_("You have signed out."), "success")
    return redirect(url_for("main.home"))


@contextmanager
def _at_least(seconds: float):
    """Run the block, then wait until ``seconds`` have passed since it started."""
    started = time.perf_counter()
    yield
    rest = seconds - (time.perf_counter() - started)
    if rest > 0:
        time.sleep(rest)


@bp.route("/password/forgot", methods=["GET", "POST"])
@_limit("RATELIMIT_RESET")
def forgot_password():
    """Ask for a password reset link."""
    form = EmailOnlyForm()
    if form.validate_on_submit():
        form_tokens.set_result(url_for("accounts.sign_in"))  # a repeat: the mail went once
        # Queuing a real mail (a row, a commit, waking the mail job) costs more than
        # rendering one for nobody: the answer takes at least a floor either way, so
        # its timing does not say whether the address has an account.
        with _at_least(current_app.config["RESET_RESPONSE_FLOOR_SECONDS"]):
            attempt(partial(service.request_password_reset, form.email.data))
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from the link we sent."""
    user = service.user_for_reset_token(token)
    if user is None:
        return render_template("accounts/reset_failed.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        attempt(partial(service.set_password, user, form.password.data))
        logout_user()
        flash(_("Your password has been changed. Sign in with your new password."), "success")
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account")
@login_required
def account():
    """Where everyone lands after signing in: what to do next for their role, then the account."""
    from ..main.landing import sections_for

    return render_template(
        "accounts/account.html",
        sections=sections_for(current_user),
        age_band_label=AGE_BAND_LABELS[current_user.age_band],
        role_label=ROLE_LABELS[current_user.role],
    )


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change your password (signs out your other sessions)."""
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        change = partial(
            service.change_password, user, form.current_password.data, form.password.data
        )
        if attempt(change, form=form, field="current_password").ok:
            login_user(user)  # the session token changed: keep this session
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/account/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    """Change your display name."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        attempt(partial(service.update_profile, current_user, form.display_name.data))
        flash(_("Your details have been saved."), "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/profile.html", form=form)
