"""Officers start conversations, import and export Pol.is data, and read the analysis."""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.permissions import requires
from ..audit.service import record
from ..consultations.models import Consultation
from ..extensions import db
from ..failures import attempt
from ..forms import ConfirmForm
from ..uploads import describe_limit
from . import service
from .forms import ConversationForm, ImportForm
from .models import Conversation

bp = Blueprint("conversations_admin", __name__, url_prefix="/manage")


def _consultation(consultation_id: int) -> Consultation:
    consultation = db.get_or_404(Consultation, consultation_id)
    return consultation


def _conversation(conversation_id: int) -> Conversation:
    conversation = db.get_or_404(Conversation, conversation_id)
    return conversation


@bp.route("/consultations/<int:consultation_id>/conversations/new", methods=["GET", "POST"])
@requires("manage_consultations")
def new(consultation_id: int):
    """Start a conversation with seed statements."""
    consultation = _consultation(consultation_id)
    form = ConversationForm()
    if form.validate_on_submit():
        created = attempt(
            lambda: service.create(
                consultation.id,
                current_user,
                question=form.question.data,
                description=form.description.data or "",
                allow_statements=form.allow_statements.data == "yes",
                seeds=form.seeds.data or "",
            ),
            form=form,
        )
        if created.ok:
            flash(_("Conversation created."), "success")
            return redirect(url_for("conversations_admin.show", conversation_id=created.value.id))
    return render_template("conversations/admin/new.html", form=form, consultation=consultation)


@bp.route("/consultations/<int:consultation_id>/conversations/import", methods=["GET", "POST"])
@requires("manage_consultations")
def import_polis(consultation_id: int):
    """Import a Pol.is export: a zip, or comments.csv with votes.csv or participants-votes.csv.

    Its own upload limit (POLIS_UPLOAD_LIMIT, community/uploads.py); the files are
    streamed to a temporary folder, and a bad file imports nothing.
    """
    consultation = _consultation(consultation_id)
    form = ImportForm()
    if form.validate_on_submit():
        with tempfile.TemporaryDirectory(prefix="polis-upload-") as folder:
            imported = attempt(
                lambda: service.import_upload(
                    consultation,
                    _save_upload(form, Path(folder)),
                    question=(form.question.data or "").strip() or None,
                    attribution=(form.attribution.data or "").strip(),
                ),
                form=form,
                field="archive" if form.archive.data else "comments",
            )
        if imported.ok:
            flash(_("Conversation imported."), "success")
            return redirect(url_for("conversations_admin.show", conversation_id=imported.value.id))
    return render_template(
        "conversations/admin/import.html",
        form=form,
        consultation=consultation,
        limit=describe_limit(current_app.config["POLIS_UPLOAD_LIMIT"]),
    )


def _save_upload(form: ImportForm, folder: Path) -> Path:
    """The uploaded zip, or the uploaded CSV files under their export names, on disk."""
    if form.archive.data:
        target = folder / "export.zip"
        form.archive.data.save(target)
        return target
    for field, name in (
        (form.comments, "comments.csv"),
        (form.votes, "votes.csv"),
        (form.participants_votes, "participants-votes.csv"),
    ):
        if field.data:
            field.data.save(folder / name)
    return folder


@bp.route("/conversations/<int:conversation_id>")
@requires("manage_consultations")
def show(conversation_id: int):
    """The officer's view: statements, votes, when results were last computed."""
    conversation = _conversation(conversation_id)
    return render_template(
        "conversations/admin/show.html",
        conversation=conversation,
        counts=service.vote_counts(conversation.id),
        stored_counts=(conversation.results or {}).get("statements", {}),
        statements=list(
            db.session.scalars(
                db.select(service.Statement)
                .where(service.Statement.conversation_id == conversation.id)
                .order_by(service.Statement.id)
            )
        ),
    )


@bp.route("/conversations/<int:conversation_id>/recompute", methods=["POST"])
@requires("manage_consultations")
def recompute_now(conversation_id: int):
    """Recompute groups and consensus now (normally done in the background)."""
    conversation = _conversation(conversation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if attempt(partial(service.recompute_now, conversation)).ok:
        flash(_("Results recomputed."), "success")
    return redirect(url_for("conversations_admin.show", conversation_id=conversation.id))


@bp.route("/conversations/<int:conversation_id>/export.zip")
@requires("manage_consultations")
def export(conversation_id: int):
    """Download comments.csv and votes.csv in Pol.is's format."""
    conversation = _conversation(conversation_id)
    attempt(partial(record, "conversation.exported", "conversation", conversation.id))
    return Response(
        service.export_zip(conversation),
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="conversation-{conversation.id}.zip"'
        },
    )
