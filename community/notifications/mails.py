"""One function per mail the service sends, so every mail is typed and findable."""

from __future__ import annotations

import functools
import uuid

from flask_babel import gettext as _

from ..i18n import in_language, recipient_language
from .service import queue_mail


def _in_recipients_language(mail):
    """Write the mail (subject, body, dates) in the language its recipient chose.

    The recipient is the first argument or the ``user`` keyword; a mail with none
    (to an erased account's old address) stays in the language of the moment."""

    @functools.wraps(mail)
    def wrapper(*args, **kwargs):
        user = args[0] if args else kwargs.get("user")
        if user is None:
            return mail(*args, **kwargs)
        with in_language(recipient_language(user)):
            return mail(*args, **kwargs)

    return wrapper


def _to_user(user, **mail):
    """A mail to a person's own address (the outbox keeps who it was for)."""
    return queue_mail(to=user.email, user=user, **mail)


@_in_recipients_language
def verify_email(user, *, link: str):
    return _to_user(
        user,
        template="verify_email",
        subject=_("Confirm your email address"),
        link=link,
    )


@_in_recipients_language
def already_registered(user, *, sign_in_url: str, reset_url: str):
    return _to_user(
        user,
        template="already_registered",
        subject=_("You already have an account"),
        sign_in_url=sign_in_url,
        reset_url=reset_url,
    )


@_in_recipients_language
def password_reset(user, *, link: str):
    return _to_user(
        user,
        template="password_reset",
        subject=_("Reset your password"),
        link=link,
    )


def render_only(template: str, **context) -> None:
    """Render a mail and queue nothing: the work a real one costs, for paths that
    must take as long as sending it (a reset for an unknown address)."""
    from flask import render_template

    context.update(subject="", recipient=None)
    render_template(f"emails/{template}.txt", **context)
    render_template(f"emails/{template}.html", **context)


@_in_recipients_language
def password_changed(user):
    return _to_user(
        user,
        template="password_changed",
        subject=_("Your password was changed"),
    )


@_in_recipients_language
def inactivity_warning(user, *, last_active, deadline, sign_in: str, key: str):
    """Retention: an account nobody has used for years will be deleted unless they sign in."""
    return _to_user(
        user,
        template="inactivity_warning",
        key=key,
        subject=_("Your account will be deleted unless you sign in"),
        last_active=last_active,
        deadline=deadline,
        sign_in=sign_in,
    )


@_in_recipients_language
def account_erased(*, to: str, key: str, kept: bool, via: str, inactive_years: int = 0):
    """To the old address of an erased account. Queued without the account (so without
    the name); the privacy job blanks the address and body once it has been sent."""
    return queue_mail(
        template="account_erased",
        to=to,
        key=key,
        subject=_("Your account has been deleted"),
        kept=kept,
        via=via,
        inactive_years=inactive_years,
    )


@_in_recipients_language
def consultation_opened(user, *, consultation, link: str, unsubscribe: str, key: str):
    return _to_user(
        user,
        template="consultation_opened",
        key=key,
        subject=_("Now open: %(title)s", title=consultation.title),
        consultation=consultation,
        link=link,
        unsubscribe=unsubscribe,
    )


@_in_recipients_language
def survey_receipt(
    *, to: str, user, response, rows, link: str, key: str, first_time: bool, known_new=False
):
    return queue_mail(
        template="survey_receipt",
        to=to,
        user=user,
        key=key,
        known_new=known_new,
        subject=_("Your response to %(title)s", title=response.survey.title)
        if first_time
        else _("Your updated response to %(title)s", title=response.survey.title),
        response=response,
        rows=rows,
        link=link,
    )


@_in_recipients_language
def contribution_rejected(user, *, contribution, reason: str, note: str):
    return _to_user(
        user,
        template="contribution_rejected",
        key=f"rejected:{contribution.id}:{uuid.uuid4()}",
        subject=_("What you wrote was not published"),
        contribution=contribution,
        reason=reason,
        note=note,
    )


@_in_recipients_language
def safeguarding_alert(user, *, contribution, link: str, key: str):
    return _to_user(
        user,
        template="safeguarding_alert",
        key=key,
        subject=_("Safeguarding concern reported"),
        contribution=contribution,
        link=link,
    )


@_in_recipients_language
def idea_status_changed(user, *, idea, link: str, key: str, is_author: bool):
    return _to_user(
        user,
        template="idea_status_changed",
        key=key,
        subject=_("Update on the idea: %(title)s", title=idea.title),
        idea=idea,
        link=link,
        is_author=is_author,
    )


@_in_recipients_language
def group_leader_approved(user, *, group, link: str, key: str):
    return _to_user(
        user,
        template="group_leader_approved",
        key=key,
        subject=_("You can now lead %(name)s", name=group.name),
        group=group,
        link=link,
    )


@_in_recipients_language
def group_leader_declined(user, *, group, key: str):
    return _to_user(
        user,
        template="group_leader_declined",
        key=key,
        subject=_("Your application to lead %(name)s", name=group.name),
        group=group,
    )


@_in_recipients_language
def project_drafted(user, *, project, group, link: str, key: str):
    """To the group's leader: a member drafted a project, for them to read and submit.
    The member is not named (young people are never named to anyone by mail)."""
    return _to_user(
        user,
        template="project_drafted",
        key=key,
        subject=_("A new project draft in %(group)s", group=group.name),
        project=project,
        group=group,
        link=link,
    )


@_in_recipients_language
def project_stage_changed(user, *, project, update, stage: str, link: str, key: str):
    """To the group's leader only: young members get mail about their own writing only."""
    return _to_user(
        user,
        template="project_stage_changed",
        key=key,
        subject=_("%(title)s is now: %(stage)s", title=project.title, stage=stage),
        project=project,
        update=update,
        stage=stage,
        link=link,
    )


@_in_recipients_language
def consultation_outcome(
    user,
    *,
    consultation,
    link: str,
    unsubscribe: str,
    key: str,
    yours: str | None = None,
    known_new: bool = False,
):
    """We asked, you said, we did: to participants who asked to hear back, and followers."""
    return _to_user(
        user,
        template="consultation_outcome",
        key=key,
        known_new=known_new,
        subject=_("What happened next: %(title)s", title=consultation.title),
        consultation=consultation,
        link=link,
        yours=yours,
        unsubscribe=unsubscribe,
    )
