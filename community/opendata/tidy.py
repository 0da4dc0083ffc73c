"""An open dataset as a tidy CSV: one figure per row, an empty cell where suppressed."""

from __future__ import annotations

from typing import Any

from ..surveys.results.exports import to_csv
from .service import AGREEMENT

CSV_COLUMNS = ["section", "source_id", "source", "item", "group", "measure", "value", "suppressed"]


def csv_rows(data: dict) -> list[list[Any]]:
    """The dataset as one figure per row (tidy), for spreadsheets."""
    rows: list[list[Any]] = []

    def add(section, source_id, source, item, group, measure, value):
        suppressed = "yes" if value is None and measure in _COUNTS else ""
        rows.append([section, source_id, source, item, group, measure, value, suppressed])

    for survey in data["surveys"]:
        add("survey", survey["id"], survey["title"], "", "", "responses", survey["responses"])
        for q in survey["questions"]:
            add("survey", survey["id"], survey["title"], q["text"], "", "answered", q["answered"])
            for option in q["options"]:
                add("survey", survey["id"], survey["title"], q["text"], option["label"], "count",
                    option["count"])  # fmt: skip
            for statement in q["statements"]:
                item = f"{q['text']}: {statement['text']}"
                add("survey", survey["id"], survey["title"], item, "", "answered",
                    statement["answered"])  # fmt: skip
                for option in statement["options"]:
                    add("survey", survey["id"], survey["title"], item, option["label"], "count",
                        option["count"])  # fmt: skip
            for key, value in (q["summary"] or {}).items():
                if value is not None:
                    add("survey", survey["id"], survey["title"], q["text"], "", key, value)
            for row in q["ranking"]:
                add("survey", survey["id"], survey["title"], q["text"], row["label"],
                    "mean_position", row["mean_position"])  # fmt: skip
    for item in data["survey_consensus"]:
        source = item["survey_id"]
        for key in ("people", *AGREEMENT):
            add("agreement", source, "", item["text"], "", key, item[key])
        if item["group_consensus"] is not None:
            add("agreement", source, "", item["text"], "", "group_consensus",
                item["group_consensus"])  # fmt: skip
        for group in item["groups"]:
            for key in ("people", *AGREEMENT):
                add("agreement", source, "", item["text"], group["name"], key, group[key])
    for conversation in data["conversations"]:
        cid, question = conversation["id"], conversation["question"]
        add("conversation", cid, question, "", "", "participants", conversation["participants"])
        for statement in conversation["statements"]:
            for key in ("votes", "agree", "disagree", "pass", "agree_share", "group_consensus"):
                if statement[key] is not None or key in _COUNTS:
                    add("conversation", cid, question, statement["text"], "", key, statement[key])
    for finding in data["findings"]:
        response = finding["response"] or {}
        action = response.get("action") or {}
        add("finding", finding["id"], "", finding["statement"], "", "response",
            response.get("kind", ""))  # fmt: skip
        if action:
            add("finding", finding["id"], "", finding["statement"], action["reference"],
                "action", action["title"])  # fmt: skip
    return rows


#: Measures that are counts of people (empty in the CSV when suppressed).
_COUNTS = {"responses", "answered", "count", "people", "votes", "participants", *AGREEMENT}
_COUNTS |= {"pass"}


def csv_bytes(data: dict) -> bytes:
    return to_csv(CSV_COLUMNS, iter(csv_rows(data)))
