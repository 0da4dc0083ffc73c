"""Conditional display: show a question or section only when an earlier answer matches.

A condition is ``{"question_id": 12, "op": "equals" | "includes" | "any", "values": [...]}``.
It is checked on the server: a hidden question is never required, and its answer
is never stored.
"""

from __future__ import annotations

OPERATORS = ("equals", "includes", "any")


def is_met(condition: dict | None, answer_values: dict[int, list[str]]) -> bool:
    """True when there is no condition, or the earlier answer matches it.

    ``answer_values`` maps question id to the answer as a list of strings (the
    question type's ``condition_values``); an unanswered question matches nothing.
    """
    if not condition:
        return True
    given = set(answer_values.get(int(condition["question_id"])) or [])
    wanted = {str(v) for v in condition.get("values", [])}
    if not given or not wanted:
        return False
    op = condition.get("op", "equals")
    if op == "equals":
        return given == wanted
    if op == "includes":
        return wanted <= given
    if op == "any":
        return bool(given & wanted)
    raise ValueError(f"unknown condition operator {op!r}")


def describe(condition: dict | None, question_text: str) -> str:
    """A plain-English summary for officers, e.g. 'if “Do you cycle?” is any of Yes'."""
    if not condition:
        return ""
    values = ", ".join(str(v) for v in condition.get("values", []))
    words = {"equals": "is", "includes": "includes", "any": "is any of"}[condition["op"]]
    return f"if “{question_text}” {words} {values}"
