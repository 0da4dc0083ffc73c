"""Forms for deleting an account (by its owner, or by an administrator on request)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

KEEP, WITHDRAW = "keep", "withdraw"


def _contributions_field(label):
    return RadioField(
        label,
        choices=[
            (
                WITHDRAW,
                _l("Withdraw it: nobody will see it again"),
            ),
            (
                KEEP,
                _l("Keep it without a name, so it still counts in what the partnership heard"),
            ),
        ],
        validators=[InputRequired(message=_l("Select what should happen to what you wrote"))],
        widget=GovRadioInput(),
    )


class DeleteAccountForm(FlaskForm):
    contributions = _contributions_field(
        _l("What should happen to what you wrote (ideas, comments, statements, answers)?")
    )
    password = PasswordField(
        _l("Your password"),
        description=_l("So we know it is you."),
        validators=[InputRequired(message=_l("Enter your password"))],
        widget=GovPasswordInput(),
    )
    confirm = BooleanField(
        _l("I understand that this cannot be undone"),
        validators=[InputRequired(message=_l("Confirm that you understand this cannot be undone"))],
        widget=GovCheckboxInput(),
    )
    submit = SubmitField(_l("Delete my account"), widget=GovSubmitInput())


class AdminEraseForm(FlaskForm):
    contributions = _contributions_field(_l("What should happen to what they wrote?"))
    request_reference = StringField(
        _l("Reference of the person's request"),
        description=_l(
            "For example the case number of their email or letter. It goes in the audit log, "
            "so do not put their name or address here."
        ),
        validators=[
            InputRequired(message=_l("Enter the reference of the request")),
            Length(max=60, message=_l("The reference must be 60 characters or fewer")),
        ],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Erase this person"), widget=GovSubmitInput())
