"""Forms for officers building surveys; question forms are built for the chosen type."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from .. import about_you
from ..qtypes import OTHER, REGISTRY
from .conditions import MULTI_VALUED
from .service import QuestionData, SurveyDetails

YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]
LIST_SETTINGS = ("choices", "statements")
MAX_ITEM = 300


def _title(label, limit: int = 160) -> StringField:
    return StringField(
        label,
        validators=[
            InputRequired(message=_l("Enter a title")),
            Length(max=limit, message=_l("The title must be %(n)s characters or fewer", n=limit)),
        ],
        widget=GovTextInput(),
    )


#: Text areas of the forms built at run time below (for the request guard in
#: ``community/inputguard.py``, which lets line breaks through only into text areas).
MULTI_LINE_FIELDS = frozenset({"text", "help_text", "choices", "statements", "values"})


def _intro(label) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[Length(max=5000, message=_l("This must be 5,000 characters or fewer"))],
        widget=GovTextArea(),
    )


class SurveyForm(FlaskForm):
    title = _title(_l("Survey title"))
    intro = _intro(_l("Introduction (optional)"))
    about_you = SelectMultipleField(
        _l("“About you” questions to ask (optional)"),
        description=_l(
            "People may skip them and each has “Prefer not to say”. Ethnicity and "
            "disability are kept only with the person’s consent."
        ),
        choices=[(key, question.text) for key, question in about_you.QUESTIONS.items()],
        widget=GovCheckboxesInput(),
    )
    #: Sent with the checkboxes: without it (a locked survey) the choice is left alone.
    about_you_shown = HiddenField(default="1")
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


def survey_details(form: SurveyForm) -> SurveyDetails:
    shown = bool(form.about_you_shown.raw_data)
    return SurveyDetails(
        title=form.title.data,
        intro=form.intro.data or "",
        about_you=list(form.about_you.data or []) if shown else None,
    )


class SectionForm(FlaskForm):
    title = _title(_l("Section title"))
    intro = _intro(_l("Introduction (optional)"))
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class ChooseTypeForm(FlaskForm):
    kind = RadioField(
        _l("What kind of question?"),
        choices=[(key, qtype.label) for key, qtype in REGISTRY.items()],
        validators=[InputRequired(message=_l("Choose a type of question"))],
        widget=GovRadioInput(),
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class RelocateForm(FlaskForm):
    section = RadioField(
        _l("Which section should it move to?"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose a section"))],
        widget=GovRadioInput(),
    )
    submit = SubmitField(_l("Move question"), widget=GovSubmitInput())


# --- questions --------------------------------------------------------------------------


def _whole(label, low: int, high: int) -> IntegerField:
    return IntegerField(
        label,
        validators=[
            Optional(),
            NumberRange(
                min=low,
                max=high,
                message=_l("Enter a whole number from %(min)s to %(max)s", min=low, max=high),
            ),
        ],
        widget=GovTextInput(),
    )


class NumberSetting(DecimalField):
    """A decimal that JSON and comparisons can hold: finite, and not absurdly large."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and (not self.data.is_finite() or abs(self.data) > 10**12):
            self.data = None
            raise ValueError(_l("Enter a number between -1,000,000,000,000 and 1,000,000,000,000"))


SETTING_FIELDS = {
    "choices": lambda: TextAreaField(
        _l("Options"),
        description=_l("One per line, in the order people will see them."),
        validators=[Length(max=20000)],
        widget=GovTextArea(),
    ),
    "allow_other": lambda: RadioField(
        _l("Offer “Other”, with a box to say what?"),
        choices=YES_NO,
        default="no",
        widget=GovRadioInput(),
    ),
    "min_choices": lambda: _whole(_l("Fewest answers people must tick (optional)"), 1, 100),
    "max_choices": lambda: _whole(_l("Most answers people may tick (optional)"), 1, 100),
    "min": lambda: NumberSetting(
        _l("Lowest number allowed (optional)"),
        places=None,
        validators=[Optional()],
        widget=GovTextInput(),
    ),
    "max": lambda: NumberSetting(
        _l("Highest number allowed (optional)"),
        places=None,
        validators=[Optional()],
        widget=GovTextInput(),
    ),
    "low_label": lambda: StringField(
        _l("What 0 means (optional)"),
        description=_l("For example, “not at all safe”."),
        validators=[Length(max=80, message=_l("This must be 80 characters or fewer"))],
        widget=GovTextInput(),
    ),
    "high_label": lambda: StringField(
        _l("What 10 means (optional)"),
        description=_l("For example, “completely safe”."),
        validators=[Length(max=80, message=_l("This must be 80 characters or fewer"))],
        widget=GovTextInput(),
    ),
    "statements": lambda: TextAreaField(
        _l("Statements"),
        description=_l("One per line: people say how much they agree with each."),
        validators=[Length(max=20000)],
        widget=GovTextArea(),
    ),
    "max_length": lambda: _whole(_l("Longest answer allowed, in characters (optional)"), 1, 20000),
}


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def setting_value(name: str, field):
    """A setting as stored in Question.options, from its form field."""
    if name in LIST_SETTINGS:
        return _lines(field.data)
    if name == "allow_other":
        return field.data == "yes"
    if name in ("min", "max"):
        return _number(field.data)
    if name in ("low_label", "high_label"):
        return (field.data or "").strip() or None
    return field.data


class QuestionFormBase(FlaskForm):
    qtype: ClassVar[Any] = None
    #: A locked survey's form: settings are not shown, and are only checked if sent.
    locked: ClassVar[bool] = False

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.locked:
            return ok
        for name, message in self._setting_problems():
            getattr(self, name).errors.append(message)
            ok = False
        return ok

    def _setting_problems(self) -> list[tuple[str, object]]:
        settings = self.qtype.settings
        problems = []
        for name in LIST_SETTINGS:
            if name not in settings:
                continue
            items = _lines(getattr(self, name).data)
            fewest = 1 if name == "statements" else 2
            repeated = sorted({i for i in items if items.count(i) > 1})
            if len(items) < fewest:
                problems.append((name, _l("Enter at least %(n)s, one per line", n=fewest)))
            elif repeated:
                problems.append((name, _l("“%(item)s” is there twice", item=repeated[0])))
            elif any(len(i) > MAX_ITEM for i in items):
                problems.append(
                    (name, _l("Each line must be %(n)s characters or fewer", n=MAX_ITEM))
                )
            elif OTHER in items:
                problems.append((name, _l("“%(item)s” cannot be an option", item=OTHER)))
        options = {name: setting_value(name, getattr(self, name)) for name in settings}
        low, high = options.get("min_choices"), options.get("max_choices")
        if low and high and low > high:
            problems.append(("min_choices", _l("The fewest must not be more than the most")))
        available = len(options.get("choices") or []) + bool(options.get("allow_other"))
        if "choices" in settings and (high or 0) > available:
            problems.append(("max_choices", _l("There are only %(n)s options", n=available)))
        low, high = options.get("min"), options.get("max")
        if low is not None and high is not None and low > high:
            problems.append(("min", _l("The lowest must not be more than the highest")))
        return problems


def question_form_class(qtype, *, locked: bool) -> type[QuestionFormBase]:
    """The form for one question type: wording, whether required, and the type's settings."""
    text_label = _l("Question") if qtype.takes_answer else _l("Information to show")
    fields = {
        "qtype": qtype,
        "locked": locked,
        "text": TextAreaField(
            text_label,
            validators=[
                InputRequired(message=_l("Enter the wording")),
                Length(max=2000, message=_l("This must be 2,000 characters or fewer")),
            ],
            widget=GovTextArea(),
        ),
        "help_text": TextAreaField(
            _l("Help text (optional)"),
            description=_l("Shown under the question, to help people answer."),
            validators=[Length(max=2000, message=_l("This must be 2,000 characters or fewer"))],
            widget=GovTextArea(),
        ),
    }
    if qtype.takes_answer:
        fields["required"] = RadioField(
            _l("Must people answer it?"), choices=YES_NO, default="no", widget=GovRadioInput()
        )
    for name in qtype.settings:
        fields[name] = SETTING_FIELDS[name]()
    fields["submit"] = SubmitField(_l("Save question"), widget=GovSubmitInput())
    return type("QuestionForm", (QuestionFormBase,), fields)


def question_form_data(question) -> dict:
    """A saved question as form data (settings other types share are carried over)."""
    options = question.options or {}
    data = {
        "text": question.text,
        "help_text": question.help_text,
        "required": "yes" if question.required else "no",
    }
    for name in SETTING_FIELDS:
        value = options.get(name)
        if name in LIST_SETTINGS:
            data[name] = "\n".join(str(v) for v in value or [])
        elif name == "allow_other":
            data[name] = "yes" if value else "no"
        elif value is not None:
            data[name] = Decimal(str(value)) if name in ("min", "max") else value
    return data


def question_data(form: QuestionFormBase) -> QuestionData:
    """What the officer entered. On a locked survey, only the fields actually sent count."""

    def sent(name: str) -> bool:
        return not form.locked or bool(getattr(form, name).raw_data)

    required = None
    if hasattr(form, "required") and sent("required"):
        required = form.required.data == "yes"
    return QuestionData(
        text=form.text.data,
        help_text=form.help_text.data or "",
        required=required,
        options={
            name: setting_value(name, getattr(form, name))
            for name in form.qtype.settings
            if sent(name)
        },
    )


# --- conditions -------------------------------------------------------------------------

OPERATOR_LABELS = {
    "equals": _l("is"),
    "includes": _l("includes all of"),
    "any": _l("is any of"),
}


class ChooseTargetForm(FlaskForm):
    """Step one (a GET form): which earlier question the condition tests."""

    class Meta:
        csrf = False

    on = RadioField(
        _l("Show it only depending on the answer to"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose a question"))],
        widget=GovRadioInput(),
    )


def condition_form_class(target, choices: list[tuple[str, str]] | None) -> type[FlaskForm]:
    """Step two: how the answer should match, and which answers."""
    operators = ("equals", "includes", "any") if target.kind in MULTI_VALUED else ("equals", "any")
    fields = {
        "on": HiddenField(default=str(target.id)),
        "op": RadioField(
            _l("Show it when the answer"),
            choices=[(op, OPERATOR_LABELS[op]) for op in operators],
            validators=[InputRequired(message=_l("Choose how the answer should match"))],
            widget=GovRadioInput(),
        ),
        "submit": SubmitField(_l("Save condition"), widget=GovSubmitInput()),
    }
    if choices is not None:
        fields["values"] = SelectMultipleField(
            _l("Answers"),
            choices=choices,
            validators=[InputRequired(message=_l("Choose at least one answer"))],
            widget=GovCheckboxesInput(),
        )
    else:
        fields["values"] = TextAreaField(
            _l("Answers"),
            description=_l("One per line, exactly as people would give them."),
            validators=[
                InputRequired(message=_l("Enter at least one answer")),
                Length(max=5000),
            ],
            widget=GovTextArea(),
        )
    return type("ConditionForm", (FlaskForm,), fields)


def condition_form_data(condition: dict | None, target, choices) -> dict:
    if not condition or condition.get("question_id") != target.id:
        return {}
    values = [str(v) for v in condition.get("values", [])]
    return {"op": condition["op"], "values": values if choices is not None else "\n".join(values)}


def condition_from(form, target) -> dict:
    data = form.values.data
    values = list(data) if isinstance(data, list) else _lines(data)
    return {"question_id": target.id, "op": form.op.data, "values": values}
