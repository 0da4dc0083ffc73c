"""Import a Pol.is export (comments.csv + votes.csv) into a conversation, and export one."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy import insert, select

from ..consensus import PolisComment, PolisExport, VoteEvent, read_polis_export, write_polis_export
from ..contributions.models import ContributionStatus
from ..extensions import db
from ..models_base import utcnow
from ..spreadsheet import neutralise
from .models import Conversation, Participant, Statement, Vote

MODERATED_OUT = -1


def import_folder(
    consultation, folder: str | Path, *, question: str, attribution: str = ""
) -> Conversation:
    """A new conversation holding the export's statements and each voter's latest vote."""
    export = read_polis_export(folder)
    conversation = Conversation(
        consultation_id=consultation.id,
        question=question,
        attribution=attribution,
        allow_statements=True,
    )
    db.session.add(conversation)
    db.session.flush()
    statement_ids = {}
    for comment in export.comments:
        status = (
            ContributionStatus.REJECTED
            if comment.moderated == MODERATED_OUT
            else ContributionStatus.PUBLISHED
        )
        statement = Statement(
            conversation_id=conversation.id,
            consultation_id=consultation.id,
            body=comment.body,
            anonymous=True,
            external_id=str(comment.statement_id),
            status=status,
            published_at=utcnow() if status == ContributionStatus.PUBLISHED else None,
        )
        db.session.add(statement)
        db.session.flush()
        statement_ids[comment.statement_id] = statement.id
    matrix = export.vote_matrix()
    participants = {}
    for pid in matrix.participant_ids:
        item = Participant(conversation_id=conversation.id, external_id=str(pid))
        db.session.add(item)
        participants[pid] = item
    db.session.flush()
    rows = []
    for i, pid in enumerate(matrix.participant_ids):
        for j, sid in enumerate(matrix.statement_ids):
            value = matrix.values[i, j]
            if value == value and sid in statement_ids:  # not NaN
                rows.append(
                    {
                        "participant_id": participants[pid].id,
                        "statement_id": statement_ids[sid],
                        "value": int(value),
                    }
                )
    if rows:
        db.session.execute(insert(Vote), rows)
    conversation.stale = True
    return conversation


REQUIRED_COLUMNS = {
    "comments.csv": {"comment-id", "comment-body", "moderated"},
    "votes.csv": {"comment-id", "voter-id", "vote"},
}


def _check_columns(name: str, content: bytes) -> None:
    header = content.decode("utf-8-sig").splitlines()[0] if content.strip() else ""
    missing = REQUIRED_COLUMNS[name] - {column.strip() for column in header.split(",")}
    if missing:
        raise ValueError(f"{name} has no column {', '.join(sorted(missing))}")


def import_files(consultation, comments_csv: bytes, votes_csv: bytes, **kwargs) -> Conversation:
    """The same, from two uploaded files (their columns are checked first)."""
    _check_columns("comments.csv", comments_csv)
    _check_columns("votes.csv", votes_csv)
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "comments.csv").write_bytes(comments_csv)
        Path(folder, "votes.csv").write_bytes(votes_csv)
        return import_folder(consultation, folder, **kwargs)


#: Statements that leave in an export: published ones, and those moderated out (as
#: Pol.is marks them, -1). Held or unchecked ones have not been read by a moderator.
EXPORTED = (ContributionStatus.PUBLISHED, ContributionStatus.REJECTED, ContributionStatus.HIDDEN)


def export_zip(conversation: Conversation) -> bytes:
    """comments.csv and votes.csv in Pol.is's format, zipped; text neutralised so no
    cell is a live spreadsheet formula."""
    statements = list(
        db.session.scalars(
            select(Statement)
            .where(Statement.conversation_id == conversation.id)
            .where(Statement.status.in_(EXPORTED))
            .order_by(Statement.id)
        )
    )
    votes = db.session.execute(
        select(Vote.participant_id, Vote.statement_id, Vote.value, Vote.updated_at)
        .join(Statement, Statement.id == Vote.statement_id)
        .where(Statement.conversation_id == conversation.id)
        .where(Statement.status.in_(EXPORTED))
        .order_by(Vote.updated_at, Vote.id)
    ).all()
    totals = {s.id: [0, 0] for s in statements}
    for _pid, sid, value, _when in votes:
        if value == 1:
            totals[sid][0] += 1
        elif value == -1:
            totals[sid][1] += 1
    comments = [
        PolisComment(
            statement_id=s.id,
            author_id=s.author_id if s.author_id is not None else "",
            agrees=totals[s.id][0],
            disagrees=totals[s.id][1],
            moderated=1
            if s.status == ContributionStatus.PUBLISHED
            else MODERATED_OUT
            if s.status in (ContributionStatus.REJECTED, ContributionStatus.HIDDEN)
            else 0,
            body=neutralise(s.body),
            timestamp=int(s.created_at.timestamp() * 1000),
        )
        for s in statements
    ]
    events = [
        VoteEvent(pid, sid, value, int(when.timestamp() * 1000)) for pid, sid, value, when in votes
    ]
    with tempfile.TemporaryDirectory() as folder:
        write_polis_export(folder, PolisExport(comments=comments, votes=events))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in ("comments.csv", "votes.csv"):
                archive.write(Path(folder, name), arcname=name)
    return buffer.getvalue()
