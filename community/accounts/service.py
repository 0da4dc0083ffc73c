"""The rules for accounts, callable without a request. Services flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select

from ..audit.service import record
from ..extensions import db
from ..failures import ServiceError
from ..i18n import current_language
from ..likes import ESCAPE, contains_pattern
from ..models_base import utcnow
from ..notifications import mails
from . import passwords, tokens
from .models import AgeBand, Role, User


class AccountError(ServiceError):
    """A rule was broken; the message is safe to show to the person."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


#: Built once: every signed-in request runs it (building it each time was a third of
#: its cost: issue 15).
_BY_SESSION_TOKEN = select(User).where(User.session_token == bindparam("token"))


def load_user(session_token: str) -> User | None:
    """Flask-Login's loader: the cookie holds the session token, not the id."""
    return db.session.scalar(_BY_SESSION_TOKEN, {"token": session_token})


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def get_user(user_id) -> User | None:
    try:
        return db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None


@dataclass
class Registration:
    email: str
    display_name: str
    password: str
    age_band: AgeBand


def register(data: Registration) -> User | None:
    """Create an unverified account and mail its verification link.

    An email that already has an account gets a different mail ("you already have
    an account") and no new account, so the page never reveals who is registered.
    Returns the new user, or None when the address was already registered.
    """
    if data.age_band == AgeBand.UNDER_13:
        raise AccountError(_("You must be 13 or over to register."))
    email = normalise_email(data.email)
    existing = find_by_email(email)
    if existing is not None:
        passwords.equal_work(data.password)  # as long as creating one (no enumeration)
        mails.already_registered(
            existing,
            sign_in_url=url_for("accounts.sign_in", _external=True),
            reset_url=url_for("accounts.forgot_password", _external=True),
        )
        return None
    user = User(
        email=email,
        display_name=data.display_name.strip(),
        password_hash=passwords.hash_password(data.password),
        age_band=data.age_band,
        role=Role.YOUTH if data.age_band.is_youth else Role.RESIDENT,
        # The language they registered in is the one their mail is written in.
        language=current_language(),
    )
    db.session.add(user)
    db.session.flush()
    from ..privacy.consents import record_privacy_notice

    record_privacy_notice(user)  # the form says registering agrees to the notice
    send_verification(user)
    return user


def send_verification(user: User) -> None:
    link = url_for("accounts.verify_email", token=tokens.make_verify_token(user), _external=True)
    mails.verify_email(user, link=link)


def resend_verification(email: str) -> None:
    """Mail a fresh link if the address has an unverified account; silent otherwise."""
    user = find_by_email(email)
    if user is not None and not user.is_verified and user.is_active:
        send_verification(user)


def verify_email(token: str) -> User | None:
    user = tokens.read_verify_token(token, get_user)
    if user is not None and user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return user


class NotVerified(AccountError):
    """The password was right, but the email address is not confirmed yet."""


def sign_in(email: str, password: str) -> User:
    """The user for these credentials, marked as signed in now. Refuses unknown emails,
    wrong passwords and disabled accounts with one message (saying which would tell a
    stranger that an address has an account), and unconfirmed addresses with NotVerified
    (the page then offers to send the link again)."""
    user = find_by_email(email)
    if not passwords.check_password(user.password_hash if user else None, password):
        raise AccountError(_("Enter a correct email address and password"), field="email")
    if not user.is_active:
        raise AccountError(_("Enter a correct email address and password"), field="email")
    if not user.is_verified:
        raise NotVerified(_("Confirm your email address before you sign in."), field="email")
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.mark_signed_in()
    return user


def sign_out(user: User) -> None:
    """End the session on the server: the token in every copy of the cookie stops working."""
    user.rotate_session_token()


def request_password_reset(email: str) -> None:
    """Mail a reset link when the address has an account; the caller says the same either way."""
    user = find_by_email(email)
    if user is None or not user.is_active:
        # The same rendering work as a real reset mail, so timing says nothing.
        mails.render_only(
            "password_reset", link=url_for("accounts.forgot_password", _external=True)
        )
        return
    link = url_for("accounts.reset_password", token=tokens.make_reset_token(user), _external=True)
    mails.password_reset(user, link=link)


def user_for_reset_token(token: str) -> User | None:
    user = tokens.read_reset_token(token, get_user)
    return user if user is not None and user.is_active else None


def set_password(user: User, new_password: str) -> None:
    """Set a new password, sign out every other session and tell the person by mail."""
    user.password_hash = passwords.hash_password(new_password)
    user.rotate_session_token()
    # Resetting a password proves the person reads this mailbox.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    mails.password_changed(user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not passwords.check_password(user.password_hash, current_password):
        raise AccountError(_("Your current password is not right"))
    set_password(user, new_password)


def update_profile(user: User, display_name: str) -> None:
    user.display_name = display_name.strip()


# --- administration ---------------------------------------------------------------


def change_role(admin: User, user: User, role: Role) -> None:
    """Give ``user`` a new role. Youth members stay youth; adults cannot become youth."""
    if user.id == admin.id:
        raise AccountError(_("You cannot change your own role"))
    if user.is_youth or role == Role.YOUTH:
        raise AccountError(
            _("Youth members keep the youth role; it follows from the age band they gave")
        )
    if user.role == role:
        return
    old = user.role
    user.role = role
    user.rotate_session_token()
    record("user.role_changed", "user", user.id, actor=admin, old=old.value, new=role.value)


def set_organisation(admin: User, user: User, organisation) -> None:
    """Say which partner organisation someone works for (what plan actions they update)."""
    if user.is_youth and organisation is not None:
        raise AccountError(_("Youth members do not belong to a partner organisation"))
    if user.organisation == organisation:
        return
    old = user.organisation
    user.organisation = organisation
    record(
        "user.organisation_changed",
        "user",
        user.id,
        actor=admin,
        old=old.value if old else None,
        new=organisation.value if organisation else None,
    )


def change_access(admin: User, user: User, role: Role, organisation) -> None:
    """Set someone's role and partner organisation together: both or neither."""
    change_role(admin, user, role)
    set_organisation(admin, user, organisation)


def disable(admin: User, user: User) -> None:
    if user.id == admin.id:
        raise AccountError(_("You cannot disable your own account"))
    if user.disabled_at is None:
        user.disabled_at = utcnow()
        user.rotate_session_token()
        record("user.disabled", "user", user.id, actor=admin)


def enable(admin: User, user: User) -> None:
    if user.erased_at is not None:
        raise AccountError(_("An erased account cannot be enabled again"))
    if user.disabled_at is not None:
        user.disabled_at = None
        record("user.enabled", "user", user.id, actor=admin)


def search_users(query: str = "", role: str = ""):
    """A select of users matching a search by email or name, and a role."""
    stmt = select(User).order_by(User.created_at.desc(), User.id.desc())
    if query:
        like = contains_pattern(query)
        stmt = stmt.where(
            func.lower(User.email).like(like, escape=ESCAPE)
            | func.lower(User.display_name).like(like, escape=ESCAPE)
        )
    if role:
        stmt = stmt.where(User.role == Role(role))
    return stmt
