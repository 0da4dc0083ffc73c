"""Forms built at run time from a survey's questions, plus the fixed survey forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, EmailField, RadioField, SubmitField
from wtforms.validators import Email, Optional

from ...privacy import wording
from .. import about_you


def section_form_class(questions) -> type[FlaskForm]:
    """A form class holding the fields of the given questions (each type builds its own)."""
    fields = {}
    for question in questions:
        if question.type.takes_answer:
            fields.update(question.type.fields(question))
    fields["submit"] = SubmitField(_l("Continue"), widget=GovSubmitInput())
    return type("SectionForm", (FlaskForm,), fields)


def check_form(question, form) -> bool:
    """Run the type's own rules after WTForms'; put each problem on its field."""
    ok = True
    for name, message in question.type.check(question, form):
        field = getattr(form, name)
        field.errors = [*field.errors, message]
        ok = False
    return ok


def about_you_form_class(keys: list[str]) -> type[FlaskForm]:
    fields = {}
    for key in keys:
        question = about_you.QUESTIONS[key]
        fields[key] = RadioField(
            question.text,
            choices=[(code, label) for code, label in about_you.choices(question)],
            validators=[Optional()],
            validate_choice=False,
            widget=GovRadioInput(),
        )
    if any(about_you.QUESTIONS[k].special for k in keys):
        fields["special_consent"] = BooleanField(
            wording.SPECIAL_CATEGORY, widget=GovCheckboxInput()
        )
    fields["submit"] = SubmitField(_l("Continue"), widget=GovSubmitInput())
    return type("AboutYouForm", (FlaskForm,), fields)


class SubmitResponseForm(FlaskForm):
    hear_back = BooleanField(
        wording.HEAR_BACK,
        widget=GovCheckboxInput(),
    )
    receipt_email = EmailField(
        _l("Email address for a copy of your answers (optional)"),
        description=_l("We use it once, to send the copy, and do not keep it."),
        validators=[
            Optional(),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
        ],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Send your response"), widget=GovSubmitInput())
