"""The Pol.is open-data folders, read here with the csv module only (independently of
`community.consensus.polis_io`, so the tests check the package against the files)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from tests.support.env import require

ROOT = Path(__file__).resolve().parents[2]
POLIS_DATA = Path(os.environ.get("POLIS_DATA_DIR", ROOT / "tests" / "data" / "polis"))
CONVERSATIONS = ["london.youth.policing", "15-per-hour-seattle"]
FIXED_COLUMNS = {"participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}


def conversation_dir(name: str) -> Path:
    """The folder of one Pol.is conversation (skipped locally, failed in CI, if absent)."""
    folder = POLIS_DATA / name
    require((folder / "votes.csv").exists(), f"Pol.is open data at {folder}")
    return folder


def read_rows(path: Path) -> list[dict[str, str]]:
    """All rows of a CSV file as dicts of strings."""
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def participants_votes(folder: Path) -> tuple[list[str], list[dict[str, str]]]:
    """(statement columns, rows) of participants-votes.csv."""
    rows = read_rows(folder / "participants-votes.csv")
    columns = [name for name in rows[0] if name not in FIXED_COLUMNS]
    return columns, rows


@pytest.fixture(params=CONVERSATIONS)
def conversation(request) -> Path:
    """Each real Pol.is conversation in turn."""
    return conversation_dir(request.param)


@pytest.fixture(autouse=True)
def _clean_database():
    """The consensus maths touches no database: replace the suite-wide cleaning fixture,
    so these tests neither build the Flask app nor depend on the schema."""
    yield
