"""Forms for themes and second-coding rounds.

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
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional


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


class RoundForm(FlaskForm):
    coder = SelectField(
        _l("Colleague who codes the sample"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose a colleague"))],
        widget=GovSelect(),
    )
    size = IntegerField(
        _l("How many contributions to sample"),
        default=20,
        validators=[
            InputRequired(message=_l("Enter how many contributions to sample")),
            NumberRange(min=2, max=500, message=_l("Sample between 2 and 500 contributions")),
        ],
        widget=GovTextInput(),
    )
    seed = IntegerField(
        _l("Random seed (optional)"),
        description=_l("The same seed draws the same sample again. Left empty, one is chosen."),
        validators=[
            Optional(),
            NumberRange(min=0, max=2_000_000_000, message=_l("Enter a whole number")),
        ],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Ask for a second coding"), widget=GovSubmitInput())
