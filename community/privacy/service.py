"""The privacy rules a page asks for: delete your own account, erase someone on request."""

from __future__ import annotations

from flask_babel import gettext as _

from ..accounts import passwords
from ..accounts.models import User
from ..audit.service import record
from ..failures import ServiceError
from .erasure import ErasureReport, erase_person


class PrivacyError(ServiceError):
    """A rule was broken; the message is safe to show."""


def delete_own_account(user: User, *, password: str, keep_contributions: bool) -> ErasureReport:
    """The person deletes their account, after giving their password again."""
    if not passwords.check_password(user.password_hash, password):
        raise PrivacyError(_("Your password is not right"))
    return erase_person(user, keep_contributions=keep_contributions, actor=user, via="self")


def erase_on_request(
    admin: User, person: User, *, keep_contributions: bool, reference: str
) -> ErasureReport:
    """An administrator erases someone who asked by email, letter or phone."""
    if person.id == admin.id:
        raise PrivacyError(_("To delete your own account, use ‘Delete your account’"))
    if person.is_erased:
        raise PrivacyError(_("This account has already been erased"))
    record("privacy.erasure_requested", "user", person.id, actor=admin, reference=reference)
    return erase_person(person, keep_contributions=keep_contributions, actor=admin, via="admin")
