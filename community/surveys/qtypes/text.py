"""Numbers, dates, short and long text, the ward picker, and information blocks."""

from __future__ import annotations

from datetime import date
from statistics import mean, median

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovDateInput,
    GovSelect,
    GovTextInput,
)
from wtforms import DateField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from .base import QuestionType, count_options


class Number(QuestionType):
    key = "number"
    label = _l("A number")
    settings = ("min", "max")

    def fields(self, question):
        low, high = question.options.get("min"), question.options.get("max")
        validators = (
            [InputRequired(message=_l("Enter a number"))] if question.required else [Optional()]
        )
        if low is not None or high is not None:
            validators.append(
                NumberRange(
                    min=low,
                    max=high,
                    message=_l(
                        "Enter a number between %(min)s and %(max)s",
                        min=low if low is not None else "",
                        max=high if high is not None else "",
                    ),
                )
            )
        return {
            question.field_name: DecimalField(
                question.text,
                description=question.help_text,
                validators=validators,
                widget=GovTextInput(),
                render_kw={"inputmode": "decimal"},
            )
        }

    def read(self, question, form):
        value = getattr(form, question.field_name).data
        if value is None:
            return None
        return int(value) if value == value.to_integral_value() else float(value)

    def form_data(self, question, value):
        return {question.field_name: value} if value is not None else {}

    def aggregate(self, question, values):
        result = super().aggregate(question, values)
        given = [v for v in values if v is not None]
        if given:
            result.update(mean=mean(given), median=median(given), min=min(given), max=max(given))
        return result


class Date(QuestionType):
    key = "date"
    label = _l("A date")

    def fields(self, question):
        return {
            question.field_name: DateField(
                question.text,
                description=question.help_text or _l("For example, 27 3 2025"),
                format="%d %m %Y",
                validators=[InputRequired(message=_l("Enter a date"))]
                if question.required
                else [Optional()],
                widget=GovDateInput(),
            )
        }

    def error_anchor(self, question):
        return f"{question.field_name}"

    def read(self, question, form):
        value = getattr(form, question.field_name).data
        return value.isoformat() if value else None

    def form_data(self, question, value):
        return {question.field_name: date.fromisoformat(value)} if value else {}

    def display(self, question, value):
        return format_date(date.fromisoformat(value), "d MMMM yyyy") if value else ""


class ShortText(QuestionType):
    key = "short_text"
    label = _l("A short answer (one line)")
    settings = ("max_length",)
    default_length = 200

    def max_length(self, question) -> int:
        return int(question.options.get("max_length") or self.default_length)

    def _validators(self, question):
        limit = self.max_length(question)
        validators = (
            [InputRequired(message=_l("Enter an answer"))] if question.required else [Optional()]
        )
        validators.append(
            Length(max=limit, message=_l("Your answer must be %(n)s characters or fewer", n=limit))
        )
        return validators

    def fields(self, question):
        return {
            question.field_name: StringField(
                question.text,
                description=question.help_text,
                validators=self._validators(question),
                widget=GovTextInput(),
            )
        }

    def read(self, question, form):
        return (getattr(form, question.field_name).data or "").strip() or None

    def form_data(self, question, value):
        return {question.field_name: value} if value else {}

    def aggregate(self, question, values):
        return super().aggregate(question, values)


class LongText(ShortText):
    key = "long_text"
    label = _l("A longer answer (paragraphs)")
    default_length = 2000

    def fields(self, question):
        return {
            question.field_name: TextAreaField(
                question.text,
                description=question.help_text,
                validators=self._validators(question),
                widget=GovCharacterCount(),
                render_kw={"maxlength": self.max_length(question)},
            )
        }

    def free_text(self, question, value):
        return value or ""


class Ward(QuestionType):
    key = "ward"
    label = _l("Which ward (from the framework's areas)")

    def _areas(self):
        """The wards to choose from, read once per request (a page can ask for them twice)."""
        from ...framework.service import ward_choices

        return ward_choices()

    def fields(self, question):
        return {
            question.field_name: SelectField(
                question.text,
                description=question.help_text,
                choices=[("", _l("Choose a ward"))] + self._areas(),
                validators=[InputRequired(message=_l("Choose a ward"))]
                if question.required
                else [Optional()],
                validate_choice=False,
                widget=GovSelect(),
            )
        }

    def read(self, question, form):
        return getattr(form, question.field_name).data or None

    def check(self, question, form):
        value = self.read(question, form)
        if value and value not in dict(self._areas()):
            return [(question.field_name, _("Choose a ward from the list"))]
        return []

    def form_data(self, question, value):
        return {question.field_name: value} if value else {}

    def display(self, question, value):
        if not value:
            return ""
        from ...framework.service import ward_names

        return ward_names().get(value) or value  # every ward, retired ones too

    def aggregate(self, question, values):
        result = super().aggregate(question, values)
        areas = self._areas()
        counts = count_options([code for code, _name in areas], [v for v in values if v])
        for option, (_code, name) in zip(counts, areas, strict=True):
            option["label"] = name
        result["options"] = counts
        return result


class Information(QuestionType):
    key = "info"
    label = _l("Information only (no answer)")
    takes_answer = False

    def columns(self, question):
        return []

    def export(self, question, value):
        return []
