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


def _id(text: str) -> Hashable:
    """An id as int when it is a whole number, else the stripped string."""
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        return text


def _int_or_none(text: str) -> int | None:
    """An int, or None for a blank cell."""
    text = text.strip()
    return None if text == "" else int(float(text))


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
    """Read a Pol.is comments.csv."""
    with open(path, newline="", encoding="utf-8") as fh:
        return [
            PolisComment(
                statement_id=_id(row["comment-id"]),
                author_id=_id(row["author-id"]),
                agrees=_int_or_none(row.get("agrees", "")) or 0,
                disagrees=_int_or_none(row.get("disagrees", "")) or 0,
                moderated=_int_or_none(row.get("moderated", "")) or 0,
                body=row.get("comment-body", ""),
                timestamp=_int_or_none(row.get("timestamp", "")),
                datetime=row.get("datetime", ""),
            )
            for row in csv.DictReader(fh)
        ]


def read_votes(path: str | Path) -> tuple[list[VoteEvent], list[str]]:
    """Read a Pol.is votes.csv: (vote events in file order, their datetime strings)."""
    events: list[VoteEvent] = []
    datetimes: list[str] = []
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            vote = _int_or_none(row["vote"])
            if vote is None:
                continue
            events.append(
                VoteEvent(
                    _id(row["voter-id"]),
                    _id(row["comment-id"]),
                    vote,
                    _int_or_none(row.get("timestamp", "")),
                )
            )
            datetimes.append(row.get("datetime", ""))
    return events, datetimes


def read_participants_votes(
    path: str | Path,
) -> tuple[dict[Hashable, int | None], dict[Hashable, dict[Hashable, int]]]:
    """Read participants-votes.csv: ({participant: group or None}, {participant: {stmt: vote}})."""
    groups: dict[Hashable, int | None] = {}
    votes: dict[Hashable, dict[Hashable, int]] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        columns = [name for name in reader.fieldnames or () if name not in PARTICIPANT_FIELDS]
        for row in reader:
            pid = _id(row["participant"])
            groups[pid] = _int_or_none(row.get("group-id", ""))
            cells = {_id(name): _int_or_none(row[name] or "") for name in columns}
            votes[pid] = {sid: vote for sid, vote in cells.items() if vote is not None}
    return groups, votes


def read_polis_export(folder: str | Path) -> PolisExport:
    """Read a Pol.is export folder; participants-votes.csv is optional."""
    folder = Path(folder)
    comments = read_comments(folder / "comments.csv")
    votes, datetimes = read_votes(folder / "votes.csv")
    groups: dict[Hashable, int | None] = {}
    participant_votes: dict[Hashable, dict[Hashable, int]] = {}
    if (folder / "participants-votes.csv").exists():
        groups, participant_votes = read_participants_votes(folder / "participants-votes.csv")
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
