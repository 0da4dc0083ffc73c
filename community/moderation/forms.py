"""Moderation forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length

from ..i18n import current_language, language_name, languages
from .models import ReportReason

REPORT_LABELS = {
    ReportReason.SPAM: _l("Spam or advertising"),
    ReportReason.ABUSIVE: _l("Abusive, offensive or hateful"),
    ReportReason.PERSONAL: _l("It shares personal information"),
    ReportReason.OFF_TOPIC: _l("Off topic"),
    ReportReason.SAFEGUARDING: _l("I am worried someone is at risk of harm (safeguarding)"),
}


class PublishForm(FlaskForm):
    redact = BooleanField(
        _l(
            "Replace personal information (email addresses, phone numbers, postcodes, "
            "addresses) with “[removed]”"
        ),
        widget=GovCheckboxInput(),
    )
    submit = SubmitField(_l("Publish"), widget=GovSubmitInput())


class RejectForm(FlaskForm):
    template = RadioField(
        _l("Reason"),
        choices=[],
        validators=[InputRequired(message=_l("Choose a reason"))],
        widget=GovRadioInput(),
    )
    note = TextAreaField(
        _l("Note to the author (optional)"),
        validators=[Length(max=1000, message=_l("Note must be 1000 characters or fewer"))],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Reject"), widget=GovSubmitInput())


class HideForm(FlaskForm):
    note = TextAreaField(
        _l("Why (for the record)"), validators=[Length(max=1000)], widget=GovTextArea()
    )
    submit = SubmitField(_l("Hide"), widget=GovSubmitInput())


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("What is wrong with it?"),
        choices=[(r.value, label) for r, label in REPORT_LABELS.items()],
        validators=[InputRequired(message=_l("Choose what is wrong"))],
        widget=GovRadioInput(),
    )
    note = TextAreaField(
        _l("Anything else we should know (optional)"),
        validators=[Length(max=1000, message=_l("This must be 1000 characters or fewer"))],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Send report"), widget=GovSubmitInput())


class AbuseTermForm(FlaskForm):
    phrase = StringField(
        _l("Word or phrase"),
        description=_l(
            "End it with * to hold every ending (kurw*). Korean, Tamil and Arabic words are "
            "found inside longer words too."
        ),
        validators=[InputRequired(message=_l("Enter a word or phrase")), Length(max=80)],
        widget=GovTextInput(),
    )
    language = SelectField(_l("Language"), widget=GovSelect())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [(code, language_name(code)) for code in languages()]
        if self.language.data not in dict(self.language.choices):
            self.language.data = current_language()  # the moderator's own, unless chosen

    submit = SubmitField(_l("Add"), widget=GovSubmitInput())


class TemplateForm(FlaskForm):
    code = StringField(
        _l("Short code"),
        validators=[InputRequired(message=_l("Enter a code")), Length(max=40)],
        widget=GovTextInput(),
    )
    title = StringField(
        _l("Title"),
        validators=[InputRequired(message=_l("Enter a title")), Length(max=120)],
        widget=GovTextInput(),
    )
    message = TextAreaField(
        _l("What the author is told"),
        validators=[InputRequired(message=_l("Enter the message")), Length(max=1000)],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Add reason"), widget=GovSubmitInput())
