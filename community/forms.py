"""Form pieces shared by every feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField


class ConfirmForm(FlaskForm):
    """A form with only a button: for POST actions (sign out, disable, retire)."""

    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())
