"""Read and write Pol.is export folders (comments.csv, votes.csv, participants-votes.csv).

Plain Python and NumPy structures only: comments become `PolisComment` records,
votes become `VoteEvent` tuples (participant, statement, vote, timestamp) in file
order, and participants-votes.csv gives Pol.is's own opinion group per participant
(None where Pol.is did not cluster them) and each participant's latest votes. Ids
that are whole numbers are read as int, anything else stays a string.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .matrix import VoteEvent, VoteMatrix

COMMENT_FIELDS = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
VOTE_FIELDS = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
PARTICIPANT_FIELDS = frozenset(
    {"participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}
)
MODERATED_OUT = -1
REQUIRED = {
    "comments.csv": ("comment-id", "comment-body", "moderated"),
    "votes.csv": ("comment-id", "voter-id", "vote"),
    "participants-votes.csv": ("participant",),
}


class PolisFormatError(ValueError):
    """A file of an export that cannot be read, with where: file, row (header = 1), column."""

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None):
        self.file, self.row, self.column, self.message = file, row, column, message
        where = file + (f", row {row}" if row else "") + (f", column {column}" if column else "")
        super().__init__(f"{where}: {message}")


def _rows(path: Path, name: str):
    """(spreadsheet row number, row dict) of a CSV file, its required columns checked."""
    if not path.is_file():
        raise PolisFormatError(name, "the file is missing")
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        try:
            header = reader.fieldnames or []
        except (UnicodeDecodeError, csv.Error) as exc:
            raise PolisFormatError(name, f"not a UTF-8 CSV file ({exc})", 1) from None
        missing = [c for c in REQUIRED[name] if c not in header]
        if missing:
            raise PolisFormatError(name, "the header has no column " + ", ".join(missing), 1)
        number = 1
        try:
            for number, row in enumerate(reader, start=2):
                if None in row:
                    raise PolisFormatError(name, "more cells than the header has columns", number)
                yield number, row
        except (UnicodeDecodeError, csv.Error) as exc:
            raise PolisFormatError(name, f"cannot be read ({exc})", number + 1) from None


def _cell_int(name: str, number: int, row: dict, column: str, allowed=None) -> int | None:
    """A whole number cell (blank = None), else a PolisFormatError naming where."""
    text = (row.get(column) or "").strip()
    if text == "":
        return None
    try:
        value = float(text)
        whole = value.is_integer() and (allowed is None or value in allowed)
    except ValueError:
        whole = False
    if not whole:
        expected = (
            "one of " + ", ".join(str(a) for a in sorted(allowed)) if allowed else "a whole number"
        )
        raise PolisFormatError(name, f"“{text[:20]}” is not {expected}", number, column)
    return int(value)


def _cell_id(name: str, number: int, row: dict, column: str) -> Hashable:
    text = (row.get(column) or "").strip()
    if text == "":
        raise PolisFormatError(name, "an id is missing", number, column)
    return _id(text)


def _id(text: str) -> Hashable:
    """An id as int when it is a whole number, else the stripped string."""
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        return text


def polis_datetime(timestamp_ms: float | int | None) -> str:
    """A Pol.is-style datetime string for a millisecond timestamp, in UTC."""
    if timestamp_ms is None:
        return ""
    return time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(float(timestamp_ms) / 1000.0))


@dataclass(frozen=True)
class PolisComment:
    """One row of comments.csv: a statement and its totals (every vote ever cast)."""

    statement_id: Hashable
    author_id: Hashable
    agrees: int
    disagrees: int
    moderated: int
    body: str
    timestamp: int | None = None
    datetime: str = ""


@dataclass
class PolisExport:
    """A Pol.is conversation export as plain structures."""

    comments: list[PolisComment]
    votes: list[VoteEvent]
    vote_datetimes: list[str] = field(default_factory=list)
    group_labels: dict[Hashable, int | None] = field(default_factory=dict)
    participant_votes: dict[Hashable, dict[Hashable, int]] = field(default_factory=dict)

    @property
    def statement_ids(self) -> list[Hashable]:
        """Statement ids in comments.csv order."""
        return [c.statement_id for c in self.comments]

    @property
    def moderated_out(self) -> set[Hashable]:
        """Ids of statements moderated out (moderated = -1)."""
        return {c.statement_id for c in self.comments if c.moderated == MODERATED_OUT}

    def vote_matrix(self, *, exclude_moderated_out: bool = False) -> VoteMatrix:
        """The latest-vote matrix of this export (every commented statement is a column)."""
        statements = sorted(
            set(self.statement_ids) | {v.statement_id for v in self.votes}, key=_sort_key
        )
        excluded = self.moderated_out if exclude_moderated_out else ()
        return VoteMatrix.from_events(
            self.votes, statement_ids=statements, exclude_statements=excluded
        )


def _sort_key(value: Hashable) -> tuple:
    """Numbers first in numeric order, then everything else as text."""
    return (0, value, "") if isinstance(value, int) else (1, 0, str(value))


def read_comments(path: str | Path) -> list[PolisComment]:
    """Read a Pol.is comments.csv (PolisFormatError naming row and column if it is wrong)."""
    name = "comments.csv"
    comments, seen = [], set()
    for number, row in _rows(Path(path), name):
        sid = _cell_id(name, number, row, "comment-id")
        if sid in seen:
            raise PolisFormatError(name, f"statement {sid} appears twice", number, "comment-id")
        seen.add(sid)
        comments.append(
            PolisComment(
                statement_id=sid,
                author_id=_id(row.get("author-id") or ""),
                agrees=_cell_int(name, number, row, "agrees") or 0,
                disagrees=_cell_int(name, number, row, "disagrees") or 0,
                moderated=_cell_int(name, number, row, "moderated", {-1, 0, 1}) or 0,
                body=row.get("comment-body") or "",
                timestamp=_cell_int(name, number, row, "timestamp"),
                datetime=row.get("datetime") or "",
            )
        )
    return comments


def read_votes(
    path: str | Path, statement_ids: set | None = None
) -> tuple[list[VoteEvent], list[str]]:
    """Read a Pol.is votes.csv: (vote events in file order, their datetime strings)."""
    name = "votes.csv"
    events: list[VoteEvent] = []
    datetimes: list[str] = []
    for number, row in _rows(Path(path), name):
        vote = _cell_int(name, number, row, "vote", {-1, 0, 1})
        if vote is None:
            continue
        sid = _cell_id(name, number, row, "comment-id")
        if statement_ids is not None and sid not in statement_ids:
            raise PolisFormatError(
                name, f"statement {sid} is not in comments.csv", number, "comment-id"
            )
        events.append(
            VoteEvent(
                _cell_id(name, number, row, "voter-id"),
                sid,
                vote,
                _cell_int(name, number, row, "timestamp"),
            )
        )
        datetimes.append(row.get("datetime") or "")
    return events, datetimes


def read_participants_votes(
    path: str | Path, statement_ids: set | None = None
) -> tuple[dict[Hashable, int | None], dict[Hashable, dict[Hashable, int]]]:
    """Read participants-votes.csv: ({participant: group or None}, {participant: {stmt: vote}})."""
    name = "participants-votes.csv"
    groups: dict[Hashable, int | None] = {}
    votes: dict[Hashable, dict[Hashable, int]] = {}
    columns: list | None = None
    for number, row in _rows(Path(path), name):
        if columns is None:
            columns = [c for c in row if c not in PARTICIPANT_FIELDS]
            for column in columns:
                if statement_ids is not None and _id(column) not in statement_ids:
                    raise PolisFormatError(
                        name, f"statement {column} is not in comments.csv", 1, column
                    )
        pid = _cell_id(name, number, row, "participant")
        groups[pid] = _cell_int(name, number, row, "group-id")
        cells = {_id(c): _cell_int(name, number, row, c, {-1, 0, 1}) for c in columns}
        votes[pid] = {sid: vote for sid, vote in cells.items() if vote is not None}
    return groups, votes


def read_polis_export(folder: str | Path) -> PolisExport:
    """Read a Pol.is export folder: comments.csv, and votes.csv or participants-votes.csv.

    votes.csv holds every vote event; without it (Pol.is's larger exports), the latest
    votes come from participants-votes.csv, the whole latest-vote matrix (no times).
    Anything unreadable raises PolisFormatError naming the file, row and column.
    """
    folder = Path(folder)
    comments = read_comments(folder / "comments.csv")
    known = {c.statement_id for c in comments}
    has_votes = (folder / "votes.csv").exists()
    has_matrix = (folder / "participants-votes.csv").exists()
    if not has_votes and not has_matrix:
        raise PolisFormatError("votes.csv", "neither votes.csv nor participants-votes.csv is there")
    votes, datetimes = read_votes(folder / "votes.csv", known) if has_votes else ([], [])
    groups: dict[Hashable, int | None] = {}
    participant_votes: dict[Hashable, dict[Hashable, int]] = {}
    if has_matrix:
        groups, participant_votes = read_participants_votes(
            folder / "participants-votes.csv", known
        )
    if not has_votes:
        votes = [
            VoteEvent(pid, sid, vote, None)
            for pid, cells in participant_votes.items()
            for sid, vote in cells.items()
        ]
    return PolisExport(comments, votes, datetimes, groups, participant_votes)


def _text(value: object) -> str:
    """A cell as text; None is blank."""
    return "" if value is None else str(value)


def write_comments(path: str | Path, comments: Iterable[PolisComment]) -> None:
    """Write a Pol.is comments.csv."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COMMENT_FIELDS)
        for c in comments:
            stamp = c.timestamp
            writer.writerow(
                [
                    _text(stamp),
                    c.datetime or polis_datetime(stamp),
                    c.statement_id,
                    c.author_id,
                    c.agrees,
                    c.disagrees,
                    c.moderated,
                    c.body,
                ]
            )


def write_votes(
    path: str | Path, votes: Iterable[Sequence], datetimes: Sequence[str] | None = None
) -> None:
    """Write a Pol.is votes.csv from (participant, statement, vote, timestamp) events."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(VOTE_FIELDS)
        for i, event in enumerate(votes):
            pid, sid, vote = event[0], event[1], event[2]
            stamp = event[3] if len(event) > 3 else None
            shown = datetimes[i] if datetimes and i < len(datetimes) and datetimes[i] else None
            writer.writerow([_text(stamp), shown or polis_datetime(stamp), sid, pid, int(vote)])


def write_polis_export(folder: str | Path, export: PolisExport) -> None:
    """Write comments.csv and votes.csv of an export into a folder (created if needed)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_comments(folder / "comments.csv", export.comments)
    write_votes(folder / "votes.csv", export.votes, export.vote_datetimes)
