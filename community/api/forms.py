"""The form administrators issue partner API tokens with."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from ..accounts.models import Organisation
from ..partners.forms import DayField
from .models import TokenScope

SCOPE_LABELS = {
    TokenScope.OPEN_DATA: _l("Open data: published results of closed consultations"),
    TokenScope.ANALYSIS: _l(
        "Analysis: also consultations shared with the organisation, their themes and tag "
        "counts, and partner figures"
    ),
}
NO_ORGANISATION = "none"


class TokenForm(FlaskForm):
    name = StringField(
        _l("What the token is for"),
        description=_l("For example, Police analysts’ dashboard."),
        validators=[
            InputRequired(message=_l("Enter what the token is for")),
            Length(max=120, message=_l("This must be 120 characters or fewer")),
        ],
        widget=GovTextInput(),
    )
    organisation = RadioField(
        _l("Organisation"),
        choices=[],
        validators=[InputRequired(message=_l("Choose the organisation"))],
        widget=GovRadioInput(),
    )
    scope = RadioField(
        _l("What it may read"),
        choices=[(s.value, label) for s, label in SCOPE_LABELS.items()],
        default=TokenScope.OPEN_DATA.value,
        validators=[InputRequired(message=_l("Choose what it may read"))],
        widget=GovRadioInput(),
    )
    expires_on = DayField(
        _l("Expiry date"),
        format="%d %m %Y",
        description=_l("It works until the end of this day. For example, 31 3 2027"),
        validators=[InputRequired(message=_l("Enter the expiry date"))],
        widget=GovDateInput(),
    )
    submit = SubmitField(_l("Issue token"), widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = [(o.value, o.label) for o in Organisation] + [
            (NO_ORGANISATION, _l("None (open data only)"))
        ]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if (
            ok
            and self.scope.data == TokenScope.ANALYSIS.value
            and self.organisation.data == NO_ORGANISATION
        ):
            self.organisation.errors.append(
                _l("Choose the organisation: analysis covers what is shared with it")
            )
            ok = False
        return ok
