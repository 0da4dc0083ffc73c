"""`flask conversations analyse`: an export analysed without storing it, as JSON."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from community.consensus import read_polis_export, repness_stats, representative_statements
from community.conversations.models import Conversation
from community.extensions import db
from tests.consensus.conftest import participants_votes
from tests.consensus.test_consensus import _plain_consensus

POLIS = Path(__file__).resolve().parents[1] / "data" / "polis"
LONDON = POLIS / "london.youth.policing"
SEATTLE = POLIS / "15-per-hour-seattle"


def _analyse(app, path: Path, out: Path, *flags: str) -> dict:
    result = app.test_cli_runner().invoke(
        args=["conversations", "analyse", str(path), "--out", str(out), *flags]
    )
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text())


@pytest.mark.parametrize("folder", [LONDON, SEATTLE], ids=["london", "seattle"])
def test_with_polis_groups_it_reproduces_polis(app, tmp_path, folder):
    got = _analyse(app, folder, tmp_path / "out.json", "--groups-from-export")
    assert set(got) == {
        "per_comment",
        "participant_groups",
        "repness",
        "majority_consensus",
        "runtime_s",
    }
    columns, rows = participants_votes(folder)
    # every statement, moderated out or not, with counts over latest votes
    export = read_polis_export(folder)
    assert set(got["per_comment"]) == {str(c.statement_id) for c in export.comments}
    for column in columns:
        cells = [r[column] for r in rows if r[column] not in ("", None)]
        entry = got["per_comment"][column]
        assert [entry["agree"], entry["disagree"], entry["pass"]] == [
            cells.count("1"),
            cells.count("-1"),
            cells.count("0"),
        ]
    for sid, (agree, _disagree) in _plain_consensus(folder).items():
        assert got["per_comment"][str(sid)]["gic"] == pytest.approx(agree, abs=1e-12)
    assert got["participant_groups"] == {
        r["participant"]: (int(r["group-id"]) if r["group-id"] != "" else None) for r in rows
    }
    matrix = export.vote_matrix().without_statements(export.moderated_out)
    expected = representative_statements(repness_stats(matrix, export.group_labels))
    assert got["repness"] == {
        str(g): [r.statement_id for r in reps] for g, reps in expected.items()
    }
    assert set(got["majority_consensus"]) == {"agree", "disagree"}
    assert got["runtime_s"] >= 0


def test_without_votes_csv_and_our_groups_from_a_zip(app, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("comments.csv", "participants-votes.csv"):
            archive.write(SEATTLE / name, arcname=name)
    path = tmp_path / "seattle.zip"
    path.write_bytes(buffer.getvalue())
    got = _analyse(app, path, tmp_path / "out.json")
    groups = [g for g in got["participant_groups"].values() if g is not None]
    sizes = np.bincount(groups)
    assert len(sizes) >= 2 and sizes.min() >= 2
    assert len(got["repness"]) == len(sizes)
    with app.app_context():  # nothing stored
        assert db.session.scalar(select(func.count()).select_from(Conversation)) == 0


def test_a_bad_export_is_named(app, tmp_path):
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "comments.csv").write_text("id,text\n1,x\n")
    result = app.test_cli_runner().invoke(
        args=["conversations", "analyse", str(tmp_path / "bad"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code != 0
    assert "comments.csv, row 1: the header has no column comment-id" in result.output
