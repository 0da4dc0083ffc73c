"""Forms for a consultation's themes.

The reading view and bulk tagging post plain checkbox lists (like the moderation
queue's bulk form), checked against the codebook in the service.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length


class ThemeForm(FlaskForm):
    name = StringField(
        _l("Theme"),
        validators=[
            InputRequired(message=_l("Enter the theme")),
            Length(max=120, message=_l("Theme must be 120 characters or fewer")),
        ],
        widget=GovTextInput(),
    )
    description = TextAreaField(
        _l("What belongs under it (optional)"),
        description=_l("Its words also help suggest it for contributions that use them."),
        validators=[Length(max=2000, message=_l("Description must be 2000 characters or fewer"))],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Save theme"), widget=GovSubmitInput())


class MergeForm(FlaskForm):
    target = SelectField(
        _l("Merge into"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the theme to merge into"))],
        widget=GovSelect(),
    )
    submit = SubmitField(_l("Merge themes"), widget=GovSubmitInput())


class MapForm(FlaskForm):
    terms = SelectMultipleField(
        _l("Framework terms this theme belongs under"), coerce=int, widget=GovCheckboxesInput()
    )
    submit = SubmitField(_l("Save links"), widget=GovSubmitInput())
