"""Taking part in a conversation: vote one statement at a time, add statements, see results."""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from ..consultations import permissions as consultation_permissions
from ..extensions import db, limiter, login_manager, per_person_key
from ..failures import attempt
from . import permissions, service, stored
from .forms import StatementForm
from .models import Conversation, Statement
from .opinion_map import opinion_map

bp = Blueprint("conversations", __name__, url_prefix="/conversations")


#: The computed results and the groups' state are deferred columns (models.py): pages
#: read the results from the process's copy (``stored.results``), a vote not at all.
#: Built once: a ``get`` with the joined load as an option cost a vote a fifth more
#: Python (its options' cache key worked out every time; issue 15).
_FOR_VOTING = (
    select(Conversation)
    .options(joinedload(Conversation.consultation))
    .where(Conversation.id == bindparam("id"))
)


def load(conversation_id: int, *, for_voting: bool = False) -> Conversation:
    if for_voting:
        conversation = db.session.scalar(_FOR_VOTING, {"id": conversation_id})
    else:
        conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or not consultation_permissions.can_view(
        current_user, conversation.consultation
    ):
        abort(404)
    return conversation


def _token(create: bool) -> str | None:
    if current_user.is_authenticated:
        return None
    token = session.get("conversation_token")
    if token is None and create:
        token = session["conversation_token"] = secrets.token_urlsafe(24)
    return token


def _require_voter(conversation: Conversation):
    if not permissions.can_vote(current_user, conversation):
        if not current_user.is_authenticated and conversation.consultation.phase == "open":
            abort(login_manager.unauthorized())
        abort(403)


@bp.route("/<int:conversation_id>")
def show(conversation_id: int):
    """One statement at a time, with agree / disagree / pass, and how many remain."""
    conversation = load(conversation_id)
    voter = service.find_participant(conversation, user=current_user, browser_token=_token(False))
    statement, remaining = service.next_statement(conversation, voter)
    return render_template(
        "conversations/show.html",
        conversation=conversation,
        statement=statement,
        remaining=remaining,
        can_vote=permissions.can_vote(current_user, conversation),
        can_add=permissions.can_add_statement(current_user, conversation),
        form=StatementForm(),
        voted=len(service.my_votes(voter)),
        standing=stored.where_i_stand(conversation, voter.id if voter else None),
    )


@bp.route("/<int:conversation_id>/vote", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_VOTE"], key_func=per_person_key)
def vote(conversation_id: int):
    """Record a vote, then show the next statement."""
    conversation = load(conversation_id, for_voting=True)
    _require_voter(conversation)
    value = service.VOTE_VALUES.get(request.form.get("vote", ""))
    statement_id = request.form.get("statement", type=int)
    if value is None or statement_id is None:
        abort(400)
    token = _token(True)

    attempt(
        lambda: service.vote(
            conversation, statement_id, value, user=current_user, browser_token=token
        ),
        retry_conflicts=True,
    )
    # The route's own id: reading conversation.id after the commit would load it again.
    return redirect(
        url_for("conversations.show", conversation_id=conversation_id, _anchor="statement")
    )


@bp.route("/<int:conversation_id>/statements", methods=["POST"])
def add_statement(conversation_id: int):
    """Add a statement for others to vote on (checked first where the policy says so)."""
    conversation = load(conversation_id)
    if not permissions.can_add_statement(current_user, conversation):
        _require_voter(conversation)
        abort(403)
    form = StatementForm()
    if form.validate_on_submit():
        added = attempt(
            lambda: service.add_statement(conversation, current_user, form.text.data),
            form=form,
            field="text",
        )
        if added.ok:
            if added.value.is_public:
                flash(_("Thank you. Your statement is now in the conversation."), "success")
            else:
                flash(
                    _("Thank you. Your statement will appear once a moderator has checked it."),
                    "success",
                )
            return redirect(url_for("conversations.show", conversation_id=conversation.id))
    voter = service.find_participant(conversation, user=current_user, browser_token=_token(False))
    statement, remaining = service.next_statement(conversation, voter)
    return render_template(
        "conversations/show.html",
        conversation=conversation,
        statement=statement,
        remaining=remaining,
        can_vote=True,
        can_add=True,
        form=form,
        voted=len(service.my_votes(voter)),
        standing=stored.where_i_stand(conversation, voter.id if voter else None),
    ), 400


@bp.route("/<int:conversation_id>/results")
def results(conversation_id: int):
    """Opinion groups, what unites them, what divides them: from the stored results."""
    conversation = load(conversation_id)
    voter = service.find_participant(conversation, user=current_user, browser_token=_token(False))
    statements = {
        s.id: s for s in db.session.scalars(service.published_statements(conversation.id))
    }
    return render_template(
        "conversations/results.html",
        conversation=conversation,
        results=stored.public_results(conversation),
        statements=statements,
        standing=stored.where_i_stand(conversation, voter.id if voter else None),
        opinion_map=opinion_map(
            stored.results(conversation),
            voter.id if voter else None,
            key=stored.key(conversation),
        ),
        Statement=Statement,
    )
