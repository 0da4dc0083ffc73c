"""The form asking a colleague for a second coding."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import IntegerField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional


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
