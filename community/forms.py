"""Form pieces shared by every feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput
from wtforms import DateField, SubmitField
from wtforms.validators import Optional


class ConfirmForm(FlaskForm):
    """A form with only a button: for POST actions (sign out, disable, retire)."""

    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())


class DateParts(DateField):
    """A GOV.UK date input (day, month, year) that may be left out of a post entirely.

    govuk-frontend-wtf's widget expects the three parts whenever the form was posted,
    so a post without them (another button on the page) would break the re-render.
    """

    def process(self, formdata, data=None, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if self.raw_data is not None and len(self.raw_data) != 3:
            self.raw_data = None


def optional_date(label, hint=None) -> DateParts:
    """An optional date as three boxes, typed day month year."""
    return DateParts(
        label,
        format="%d %m %Y",
        description=hint,
        validators=[Optional()],
        widget=GovDateInput(),
    )
