"""Import a Pol.is export (a folder or zip, with or without votes.csv), and export one."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from sqlalchemy import insert, select

from ..consensus import PolisComment, PolisExport, VoteEvent, read_polis_export, write_polis_export
from ..consensus.polis_io import PolisFormatError
from ..contributions.models import ContributionStatus
from ..extensions import db
from ..models_base import utcnow
from ..spreadsheet import neutralise
from .models import Conversation, Participant, Statement, Vote

MODERATED_OUT = -1


#: The files an export may hold; anything else in a zip is ignored.
EXPORT_FILES = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")
#: Refuse a zip that would unpack to more than this (a "zip bomb").
MAX_UNPACKED = 2 * 1024 * 1024 * 1024
VOTE_CHUNK = 20_000


class PolisImportError(ValueError):
    """An export that cannot be imported, with a message fit to show (file, row, column)."""


@contextmanager
def export_folder(path: str | Path) -> Iterator[Path]:
    """The folder of an export given as a folder or a .zip (unpacked to a temporary folder).

    In a zip the CSV files may sit at the top or in one folder (as Pol.is names them).
    """
    path = Path(path)
    if path.is_dir():
        yield path
        return
    if not path.is_file():
        raise PolisImportError(f"{path}: no such file or folder")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise PolisImportError(f"{path.name}: not a zip file or a folder of CSV files") from None
    with archive, tempfile.TemporaryDirectory(prefix="polis-") as folder:
        members = [i for i in archive.infolist() if Path(i.filename).name in EXPORT_FILES]
        if sum(i.file_size for i in members) > MAX_UNPACKED:
            raise PolisImportError(f"{path.name}: unpacks to more than 2 GiB")
        where = [i for i in members if Path(i.filename).name == "comments.csv"]
        if not where:
            raise PolisImportError(f"{path.name}: there is no comments.csv in the zip")
        base = str(Path(where[0].filename).parent)
        for info in members:
            if str(Path(info.filename).parent) == base:
                target = Path(folder, Path(info.filename).name)
                with archive.open(info) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
        yield Path(folder)


def read_summary(folder: Path) -> dict[str, str]:
    """summary.csv's key, value rows (topic, url, ...), or {} if there is none."""
    path = folder / "summary.csv"
    if not path.is_file():
        return {}
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return {row[0]: row[1] for row in csv.reader(fh) if len(row) >= 2}


def read_summary_of(path: str | Path) -> dict[str, str]:
    """summary.csv of an export folder or zip ({} if it has none or cannot be read)."""
    try:
        with export_folder(path) as folder:
            return read_summary(folder)
    except PolisImportError:
        return {}


def import_export(
    consultation,
    path: str | Path,
    *,
    question: str | None = None,
    attribution: str = "",
    progress: Callable[[str], None] | None = None,
) -> Conversation:
    """A new conversation from a Pol.is export folder or zip, with or without votes.csv.

    Everything is added in the caller's transaction: on any error nothing is left once
    the caller rolls back. Bad files raise PolisImportError naming the file, row and column.
    """
    say = progress or (lambda _message: None)
    with export_folder(path) as folder:
        say(f"Reading {folder.name if Path(path).is_dir() else Path(path).name}")
        try:
            export = read_polis_export(folder)
        except PolisFormatError as error:
            raise PolisImportError(str(error)) from None
        topic = read_summary(folder).get("topic", "").strip()
    question = (question or topic or Path(path).stem)[:300]
    return _store(consultation, export, question, attribution, say)


def import_folder(consultation, folder: str | Path, *, question: str, attribution: str = ""):
    """The same as import_export, for a folder (kept for callers that have one)."""
    return import_export(consultation, folder, question=question, attribution=attribution)


def _store(consultation, export: PolisExport, question: str, attribution: str, say):
    """Statements, participants and latest votes of an export, added in bulk."""
    conversation = Conversation(
        consultation_id=consultation.id,
        question=question,
        attribution=attribution,
        allow_statements=True,
    )
    db.session.add(conversation)
    db.session.flush()
    now = utcnow()
    statements = []
    for comment in export.comments:
        out = comment.moderated == MODERATED_OUT
        statements.append(
            Statement(
                conversation_id=conversation.id,
                consultation_id=consultation.id,
                body=comment.body,
                anonymous=True,
                external_id=str(comment.statement_id),
                status=ContributionStatus.REJECTED if out else ContributionStatus.PUBLISHED,
                published_at=None if out else now,
            )
        )
    db.session.add_all(statements)
    db.session.flush()
    statement_ids = {c.statement_id: s.id for c, s in zip(export.comments, statements, strict=True)}
    say(f"Statements: {len(statements)}")
    matrix = export.vote_matrix()
    participants = [
        Participant(conversation_id=conversation.id, external_id=str(pid))
        for pid in matrix.participant_ids
    ]
    db.session.add_all(participants)
    db.session.flush()
    say(f"Participants: {len(participants)}")
    rows, cols = np.nonzero(~np.isnan(matrix.values))
    person = np.array([p.id for p in participants], dtype=np.int64)
    column = np.array([statement_ids[sid] for sid in matrix.statement_ids], dtype=np.int64)
    values = matrix.values[rows, cols].astype(np.int64)
    total = len(rows)
    for start in range(0, total, VOTE_CHUNK):
        stop = min(start + VOTE_CHUNK, total)
        db.session.execute(
            insert(Vote),
            [
                {"participant_id": int(p), "statement_id": int(s), "value": int(v)}
                for p, s, v in zip(
                    person[rows[start:stop]],
                    column[cols[start:stop]],
                    values[start:stop],
                    strict=True,
                )
            ],
        )
        say(f"Votes: {stop:,} of {total:,}")
    conversation.stale = True
    return conversation


def import_files(consultation, comments_csv: bytes, votes_csv: bytes, **kwargs) -> Conversation:
    """The same, from the bytes of comments.csv and votes.csv."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "comments.csv").write_bytes(comments_csv)
        Path(folder, "votes.csv").write_bytes(votes_csv)
        return import_export(consultation, folder, **kwargs)


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
