"""Forms for officers: sharing a consultation, agreements, and partner figures."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..accounts.models import Organisation

WHOLE_AREA = "0"


class DayField(DateField):
    """A GOV.UK date input (day, month, year) that survives a post without it."""

    def process(self, formdata, data=None, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if self.raw_data is not None and len(self.raw_data) != 3:
            # The widget needs three parts to show again; InputRequired sees nothing given.
            self.raw_data = None


def organisation_choices():
    return [(o.value, o.label) for o in Organisation]


class ShareForm(FlaskForm):
    organisations = SelectMultipleField(
        _l("Share the analysis with"),
        description=_l(
            "Their analysts can then read this consultation's results, agreement and tag "
            "counts through the partner API with an analysis token, before the results "
            "are public. Counts stay suppressed."
        ),
        choices=[],
        widget=GovCheckboxesInput(),
    )
    submit = SubmitField(_l("Save sharing"), widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations.choices = organisation_choices()


class AgreementForm(FlaskForm):
    organisation = RadioField(
        _l("Partner organisation"),
        choices=[],
        validators=[InputRequired(message=_l("Choose the organisation"))],
        widget=GovRadioInput(),
    )
    name = StringField(
        _l("Agreement name"),
        validators=[
            InputRequired(message=_l("Enter the agreement's name")),
            Length(max=160, message=_l("This must be 160 characters or fewer")),
        ],
        widget=GovTextInput(),
    )
    reference = StringField(
        _l("Reference"),
        description=_l("The agreement's own reference, for example ISA-2025-014."),
        validators=[Length(max=60, message=_l("This must be 60 characters or fewer"))],
        widget=GovTextInput(),
    )
    signed_on = DayField(
        _l("Date signed"),
        format="%d %m %Y",
        description=_l("For example, 1 4 2025"),
        validators=[InputRequired(message=_l("Enter the date it was signed"))],
        widget=GovDateInput(),
    )
    purpose = TextAreaField(
        _l("What the data may be used for"),
        validators=[Length(max=2000, message=_l("This must be 2,000 characters or fewer"))],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Save agreement"), widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = organisation_choices()


class FigureForm(FlaskForm):
    agreement_id = SelectField(
        _l("Information-sharing agreement"),
        coerce=int,
        choices=[],
        validators=[InputRequired(message=_l("Choose the agreement"))],
        widget=GovSelect(),
    )
    measure = StringField(
        _l("What was counted"),
        description=_l("For example, Anti-social behaviour reports."),
        validators=[
            InputRequired(message=_l("Enter what was counted")),
            Length(max=160, message=_l("This must be 160 characters or fewer")),
        ],
        widget=GovTextInput(),
    )
    issue_id = SelectField(
        _l("Issue"),
        coerce=int,
        choices=[],
        validators=[InputRequired(message=_l("Choose an issue"))],
        widget=GovSelect(),
    )
    ward_id = SelectField(
        _l("Ward"),
        coerce=int,
        choices=[],
        validators=[InputRequired(message=_l("Choose a ward, or the whole area"))],
        widget=GovSelect(),
    )
    period_start = DayField(
        _l("Period starts"),
        format="%d %m %Y",
        description=_l("For example, 1 3 2026"),
        validators=[InputRequired(message=_l("Enter the first day of the period"))],
        widget=GovDateInput(),
    )
    period_end = DayField(
        _l("Period ends"),
        format="%d %m %Y",
        description=_l("The last day counted, for example 31 3 2026"),
        validators=[InputRequired(message=_l("Enter the last day of the period"))],
        widget=GovDateInput(),
    )
    value = IntegerField(
        _l("Count"),
        validators=[
            InputRequired(message=_l("Enter the count as a whole number")),
            NumberRange(min=0, max=10**9, message=_l("Enter a count of 0 or more")),
        ],
        widget=GovTextInput(),
    )
    counts_youth = BooleanField(
        _l("This counts under-18s (published only from 10)"),
        validators=[Optional()],
        widget=GovCheckboxInput(),
    )
    notes = TextAreaField(
        _l("Notes"),
        validators=[Length(max=2000, message=_l("This must be 2,000 characters or fewer"))],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Save figure"), widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and self.period_end.data < self.period_start.data:
            self.period_end.errors.append(_l("The period must end on or after the day it starts"))
            ok = False
        return ok
