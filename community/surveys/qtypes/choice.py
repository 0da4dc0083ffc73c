"""Choice questions: radios, checkboxes, dropdown, each with an optional "other"."""

from __future__ import annotations

from typing import Any, ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovTextInput,
)
from wtforms import RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Optional

from .base import OTHER, QuestionType, count_options


def _choices(question) -> list[str]:
    return [str(c) for c in question.options.get("choices", [])]


def _pairs(question) -> list[tuple[str, str]]:
    """(value, label) for each option: the value is always the original wording (what is
    stored and counted); the label is the page language's, where an officer translated it."""
    labels = question.options.get("labels") or {}
    pairs = [(c, labels.get(c, c)) for c in _choices(question)]
    if question.options.get("allow_other"):
        pairs.append((OTHER, str(_l("Other"))))
    return pairs


def _other_field(question) -> StringField:
    return StringField(
        _l("Please specify"),
        validators=[
            Optional(),
            Length(max=500, message=_l("This must be 500 characters or fewer")),
        ],
        widget=GovTextInput(),
    )


class _Choice(QuestionType):
    settings: ClassVar[tuple[str, ...]] = ("choices", "allow_other")

    def other_name(self, question) -> str:
        return f"{question.field_name}_other"

    def _other_text(self, question, form) -> str:
        field = getattr(form, self.other_name(question), None)
        return (field.data or "").strip() if field is not None else ""

    def free_text(self, question, value) -> str:
        return (value or {}).get("other") or ""

    def columns(self, question) -> list[str]:
        columns = [question.text]
        if question.options.get("allow_other"):
            columns.append(f"{question.text} (other)")
        return columns

    def export(self, question, value) -> list[Any]:
        row = [self.display(question, value)]
        if question.options.get("allow_other"):
            row.append(self.free_text(question, value))
        return row


class SingleChoice(_Choice):
    key = "single_choice"
    label = _l("One answer from a list (radios)")
    widget_class = GovRadioInput
    field_class = RadioField

    def fields(self, question):
        validators = (
            [InputRequired(message=_l("Select an answer"))] if question.required else [Optional()]
        )
        fields = {
            question.field_name: self.field_class(
                question.text,
                description=question.help_text,
                choices=_pairs(question),
                validators=validators,
                widget=self.widget_class(),
                validate_choice=False,  # checked in check(), so "no answer" is allowed
            )
        }
        if question.options.get("allow_other"):
            fields[self.other_name(question)] = _other_field(question)
        return fields

    def read(self, question, form):
        choice = getattr(form, question.field_name).data
        if not choice or choice == "None":
            return None
        value = {"choice": choice}
        if choice == OTHER:
            value["other"] = self._other_text(question, form)
        return value

    def check(self, question, form):
        choice = getattr(form, question.field_name).data
        if choice and choice != "None" and choice not in {v for v, _label in _pairs(question)}:
            return [(question.field_name, _("Select an answer from the list"))]
        if choice == OTHER and not self._other_text(question, form):
            return [(self.other_name(question), _("Say what your other answer is"))]
        return []

    def form_data(self, question, value):
        if not value:
            return {}
        data = {question.field_name: value.get("choice")}
        if value.get("other"):
            data[self.other_name(question)] = value["other"]
        return data

    def condition_values(self, question, value):
        return [value["choice"]] if value else []

    def display(self, question, value):
        if not value:
            return ""
        if value.get("choice") == OTHER:
            return _("Other: %(text)s", text=value.get("other", ""))
        return value["choice"]

    def aggregate(self, question, values):
        result = super().aggregate(question, values)
        chosen = [v["choice"] for v in values if v]
        labels = _choices(question) + ([OTHER] if question.options.get("allow_other") else [])
        result["options"] = count_options(labels, chosen)
        for option in result["options"]:
            if option["label"] == OTHER:
                option["label"] = _("Other")
        return result


class Dropdown(SingleChoice):
    key = "dropdown"
    label = _l("One answer from a long list (dropdown)")
    widget_class = GovSelect
    field_class = SelectField

    def fields(self, question):
        fields = super().fields(question)
        field = fields[question.field_name]
        field.kwargs["choices"] = [("", _l("Choose an answer"))] + _pairs(question)
        return fields


class MultipleChoice(_Choice):
    key = "multiple_choice"
    label = _l("Several answers from a list (checkboxes)")
    settings = ("choices", "allow_other", "min_choices", "max_choices")

    def fields(self, question):
        validators = (
            [InputRequired(message=_l("Select at least one answer"))]
            if question.required
            else [Optional()]
        )
        fields = {
            question.field_name: SelectMultipleField(
                question.text,
                description=question.help_text,
                choices=_pairs(question),
                validators=validators,
                widget=GovCheckboxesInput(),
                validate_choice=False,
            )
        }
        if question.options.get("allow_other"):
            fields[self.other_name(question)] = _other_field(question)
        return fields

    def read(self, question, form):
        chosen = [c for c in getattr(form, question.field_name).data or [] if c]
        if not chosen:
            return None
        value = {"choices": chosen}
        if OTHER in chosen:
            value["other"] = self._other_text(question, form)
        return value

    def check(self, question, form):
        chosen = [c for c in getattr(form, question.field_name).data or [] if c]
        problems = []
        if set(chosen) - {v for v, _label in _pairs(question)}:
            problems.append((question.field_name, _("Select answers from the list")))
        low, high = question.options.get("min_choices"), question.options.get("max_choices")
        if chosen and low and len(chosen) < int(low):
            problems.append(
                (
                    question.field_name,
                    ngettext(
                        "Select at least %(num)d answer",
                        "Select at least %(num)d answers",
                        int(low),
                    ),
                )
            )
        if high and len(chosen) > int(high):
            problems.append(
                (
                    question.field_name,
                    ngettext(
                        "Select no more than %(num)d answer",
                        "Select no more than %(num)d answers",
                        int(high),
                    ),
                )
            )
        if OTHER in chosen and not self._other_text(question, form):
            problems.append((self.other_name(question), _("Say what your other answer is")))
        return problems

    def form_data(self, question, value):
        if not value:
            return {}
        data = {question.field_name: value.get("choices", [])}
        if value.get("other"):
            data[self.other_name(question)] = value["other"]
        return data

    def condition_values(self, question, value):
        return list(value.get("choices", [])) if value else []

    def display(self, question, value):
        if not value:
            return ""
        shown = [
            _("Other: %(text)s", text=value.get("other", "")) if c == OTHER else c
            for c in value.get("choices", [])
        ]
        return "; ".join(shown)

    def aggregate(self, question, values):
        result = super().aggregate(question, values)
        chosen = [c for v in values if v for c in v.get("choices", [])]
        labels = _choices(question) + ([OTHER] if question.options.get("allow_other") else [])
        options = count_options(labels, chosen)
        answered = result["answered"]
        for option in options:
            # Shares of people answering (they can pick several), not of ticks.
            option["share"] = option["count"] / answered if answered else 0.0
            if option["label"] == OTHER:
                option["label"] = _("Other")
        result["options"] = options
        return result
