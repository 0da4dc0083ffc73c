"""The question type interface: each type builds, reads, shows and counts its answers."""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l

OTHER = "__other__"


class QuestionType:
    """One kind of question. Subclasses fill in what differs."""

    key: ClassVar[str]
    label: ClassVar[str]
    #: False for information blocks, which take no answer.
    takes_answer: ClassVar[bool] = True
    #: True when answers are agree/disagree items (Likert, matrix), for consensus.
    is_agreement: ClassVar[bool] = False
    #: The settings an officer can give it (keys of Question.options).
    settings: ClassVar[tuple[str, ...]] = ()

    # --- the form ---------------------------------------------------------------

    def fields(self, question) -> dict[str, Any]:
        """Unbound WTForms fields for this question, keyed by field name."""
        return {}

    def read(self, question, form) -> Any:
        """The answer value from a validated form, or None when left empty."""
        return None

    def check(self, question, form) -> list[tuple[str, str]]:
        """Rules WTForms cannot express: (field name, message) for each problem."""
        return []

    def form_data(self, question, value) -> dict[str, Any]:
        """Form field data that shows a saved answer again."""
        return {}

    def error_anchor(self, question) -> str:
        return question.field_name

    # --- reading answers -------------------------------------------------------

    def condition_values(self, question, value) -> list[str]:
        """The answer as strings, for conditions."""
        if value is None:
            return []
        return [str(value)]

    def display(self, question, value) -> str:
        """The answer as text, for check-your-answers, receipts and exports."""
        return "" if value is None else str(value)

    def free_text(self, question, value) -> str:
        """Text in the answer that should be moderated as a contribution ("" if none)."""
        return ""

    def aggregate(self, question, values: list[Any]) -> dict[str, Any]:
        """Counts over the answers given (None for unanswered ones)."""
        given = [v for v in values if v is not None]
        return {"answered": len(given), "skipped": len(values) - len(given)}

    # --- exports ------------------------------------------------------------------

    def columns(self, question) -> list[str]:
        return [question.text]

    def export(self, question, value) -> list[Any]:
        return [self.display(question, value)]


def count_options(labels: list[str], chosen: list[str]) -> list[dict[str, Any]]:
    """Counts and shares for each option, in the officer's order."""
    counts = Counter(chosen)
    total = sum(counts.values())
    return [
        {
            "label": label,
            "count": counts.get(label, 0),
            "share": counts.get(label, 0) / total if total else 0.0,
        }
        for label in labels
    ]


REQUIRED_MESSAGE = _l("Answer this question")
