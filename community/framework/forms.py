"""Forms for editing the framework."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp


class TermForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[
            InputRequired(message=_l("Enter a name")),
            Length(max=120, message=_l("Name must be 120 characters or fewer")),
        ],
        widget=GovTextInput(),
    )
    description = TextAreaField(
        _l("What it means, in plain English"),
        validators=[Length(max=2000, message=_l("Description must be 2000 characters or fewer"))],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class NewTermForm(TermForm):
    code = StringField(
        _l("Code (optional)"),
        description=_l("Letters, numbers and hyphens. Left empty, it is made from the name."),
        validators=[
            Optional(),
            Length(max=60, message=_l("Code must be 60 characters or fewer")),
            Regexp(
                r"^[A-Za-z0-9-]+$", message=_l("Code can only use letters, numbers and hyphens")
            ),
        ],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Add term"), widget=GovSubmitInput())
