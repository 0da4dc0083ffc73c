"""Agreement scales, 0-10 scales, matrices of agreement items, and ranking."""

from __future__ import annotations

from statistics import mean

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect
from wtforms import RadioField, SelectField
from wtforms.validators import InputRequired, Optional

from .base import QuestionType, count_options

#: The 5-point agreement scale, stored as 1 (strongly disagree) to 5 (strongly agree).
LIKERT = [
    (5, _l("Strongly agree")),
    (4, _l("Agree")),
    (3, _l("Neither agree nor disagree")),
    (2, _l("Disagree")),
    (1, _l("Strongly disagree")),
]
LIKERT_LABELS = dict(LIKERT)


def agreement_vote(value: int | None) -> int | None:
    """Likert as a consensus vote: agree +1, disagree -1, the midpoint a pass (0)."""
    if value is None:
        return None
    return 1 if value >= 4 else -1 if value <= 2 else 0


def _int_or_none(data) -> int | None:
    try:
        return int(data)
    except (TypeError, ValueError):
        return None


def _likert_field(label, description, required: bool, inline: bool = False):
    return RadioField(
        label,
        description=description,
        choices=[(str(v), text) for v, text in LIKERT],
        validators=[InputRequired(message=_l("Select how much you agree"))]
        if required
        else [Optional()],
        validate_choice=False,
        widget=GovRadioInput(),
    )


def _likert_counts(values: list[int]) -> list[dict]:
    counts = count_options([str(v) for v, _label in LIKERT], [str(v) for v in values])
    for option, (_value, label) in zip(counts, LIKERT, strict=True):
        option["label"] = str(label)
    return counts


def _agreement_summary(values: list[int]) -> dict:
    votes = [agreement_vote(v) for v in values]
    return {
        "agree": votes.count(1),
        "disagree": votes.count(-1),
        "neutral": votes.count(0),
    }


class Likert(QuestionType):
    key = "likert"
    label = _l("How much do you agree (5-point scale)")
    is_agreement = True

    def fields(self, question):
        return {
            question.field_name: _likert_field(question.text, question.help_text, question.required)
        }

    def read(self, question, form):
        value = _int_or_none(getattr(form, question.field_name).data)
        return value if value in LIKERT_LABELS else None

    def check(self, question, form):
        data = getattr(form, question.field_name).data
        if data not in (None, "", "None") and self.read(question, form) is None:
            return [(question.field_name, _("Select an answer from the list"))]
        return []

    def form_data(self, question, value):
        return {question.field_name: str(value)} if value is not None else {}

    def display(self, question, value):
        return str(LIKERT_LABELS[value]) if value in LIKERT_LABELS else ""

    def aggregate(self, question, values):
        result = super().aggregate(question, values)
        given = [v for v in values if v is not None]
        result["options"] = _likert_counts(given)
        result["agreement"] = _agreement_summary(given)
        return result


class Scale(QuestionType):
    key = "scale"
    label = _l("A score from 0 to 10")
    settings = ("low_label", "high_label")

    @staticmethod
    def _ends(question) -> str:
        """What 0 and 10 mean, saying only what the officer wrote (never "0 means 0")."""
        low = (question.options.get("low_label") or "").strip()
        high = (question.options.get("high_label") or "").strip()
        if low and high:
            return _("0 means %(low)s, 10 means %(high)s.", low=low, high=high)
        if low:
            return _("0 means %(low)s.", low=low)
        if high:
            return _("10 means %(high)s.", high=high)
        return _("Choose a number from 0 (the lowest) to 10 (the highest).")

    def fields(self, question):
        hint = " ".join(p for p in (question.help_text, self._ends(question)) if p)
        return {
            question.field_name: RadioField(
                question.text,
                description=hint,
                choices=[(str(n), str(n)) for n in range(11)],
                validators=[InputRequired(message=_l("Select a score"))]
                if question.required
                else [Optional()],
                validate_choice=False,
                widget=GovRadioInput(),
            )
        }

    def read(self, question, form):
        value = _int_or_none(getattr(form, question.field_name).data)
        return value if value is not None and 0 <= value <= 10 else None

    check = Likert.check
    form_data = Likert.form_data

    def aggregate(self, question, values):
        result = super().aggregate(question, values)
        given = [v for v in values if v is not None]
        result["options"] = count_options([str(n) for n in range(11)], [str(v) for v in given])
        result["mean"] = mean(given) if given else None
        return result


class Matrix(QuestionType):
    key = "matrix"
    label = _l("Several statements on the same agreement scale (matrix)")
    is_agreement = True
    settings = ("statements",)

    def _name(self, question, index: int) -> str:
        return f"{question.field_name}_{index}"

    def statements(self, question) -> list[str]:
        return [str(s) for s in question.options.get("statements", [])]

    def fields(self, question):
        return {
            self._name(question, i): _likert_field(statement, "", question.required)
            for i, statement in enumerate(self.statements(question))
        }

    def error_anchor(self, question):
        return self._name(question, 0)

    def read(self, question, form):
        value = {}
        for i, _statement in enumerate(self.statements(question)):
            chosen = _int_or_none(getattr(form, self._name(question, i)).data)
            if chosen in LIKERT_LABELS:
                value[str(i)] = chosen
        return value or None

    def check(self, question, form):
        problems = []
        for i, _statement in enumerate(self.statements(question)):
            data = getattr(form, self._name(question, i)).data
            if data not in (None, "", "None") and _int_or_none(data) not in LIKERT_LABELS:
                problems.append((self._name(question, i), _("Select an answer from the list")))
        return problems

    def form_data(self, question, value):
        return {self._name(question, int(i)): str(v) for i, v in (value or {}).items()}

    def condition_values(self, question, value):
        return []

    def display(self, question, value):
        value = value or {}
        return "; ".join(
            f"{statement}: {LIKERT_LABELS.get(value.get(str(i)), _('not answered'))}"
            for i, statement in enumerate(self.statements(question))
        )

    def aggregate(self, question, values):
        result = super().aggregate(question, values)
        rows = []
        for i, statement in enumerate(self.statements(question)):
            given = [v[str(i)] for v in values if v and str(i) in v]
            rows.append(
                {
                    "statement": statement,
                    "answered": len(given),
                    "options": _likert_counts(given),
                    "agreement": _agreement_summary(given),
                }
            )
        result["rows"] = rows
        return result

    def columns(self, question):
        return [f"{question.text}: {s}" for s in self.statements(question)]

    def export(self, question, value):
        value = value or {}
        return [
            str(LIKERT_LABELS.get(value.get(str(i)), ""))
            for i, _s in enumerate(self.statements(question))
        ]


class Ranking(QuestionType):
    key = "ranking"
    label = _l("Put options in order (ranking)")
    settings = ("choices",)

    def _name(self, question, index: int) -> str:
        return f"{question.field_name}_{index}"

    def choices(self, question) -> list[str]:
        return [str(c) for c in question.options.get("choices", [])]

    def fields(self, question):
        items = self.choices(question)
        positions = [("", _l("Choose a position"))] + [
            (str(n), str(n)) for n in range(1, len(items) + 1)
        ]
        return {
            self._name(question, i): SelectField(
                _l("Position for %(item)s", item=item),
                choices=positions,
                validators=[InputRequired(message=_l("Choose a position for %(item)s", item=item))]
                if question.required
                else [Optional()],
                validate_choice=False,
                widget=GovSelect(),
            )
            for i, item in enumerate(items)
        }

    def error_anchor(self, question):
        return self._name(question, 0)

    def _positions(self, question, form) -> list[int | None]:
        return [
            _int_or_none(getattr(form, self._name(question, i)).data)
            for i, _c in enumerate(self.choices(question))
        ]

    def read(self, question, form):
        positions = self._positions(question, form)
        if not any(positions):
            return None
        items = self.choices(question)
        return [
            item
            for _pos, item in sorted(zip(positions, items, strict=True), key=lambda pair: pair[0])
        ]

    def check(self, question, form):
        positions = self._positions(question, form)
        chosen = [p for p in positions if p]
        n = len(self.choices(question))
        if chosen and (len(chosen) != n or sorted(chosen) != list(range(1, n + 1))):
            return [
                (
                    self._name(question, 0),
                    _("Give each option a different position from 1 to %(n)s", n=n),
                )
            ]
        return []

    def form_data(self, question, value):
        items = self.choices(question)
        return {
            self._name(question, items.index(item)): str(rank)
            for rank, item in enumerate(value or [], start=1)
            if item in items
        }

    def display(self, question, value):
        return "; ".join(f"{rank}. {item}" for rank, item in enumerate(value or [], start=1))

    def aggregate(self, question, values):
        result = super().aggregate(question, values)
        rankings = [v for v in values if v]
        result["mean_positions"] = sorted(
            (
                {"label": item, "mean_position": mean(r.index(item) + 1 for r in rankings)}
                for item in self.choices(question)
                if rankings
            ),
            key=lambda row: row["mean_position"],
        )
        return result
