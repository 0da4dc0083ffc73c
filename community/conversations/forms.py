"""Conversation forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from .service import MAX_STATEMENT_LENGTH


class StatementForm(FlaskForm):
    text = TextAreaField(
        _l("Add your own statement"),
        description=_l(
            "One clear point others can agree or disagree with. "
            "Do not include names or contact details."
        ),
        validators=[
            InputRequired(message=_l("Enter a statement")),
            Length(
                max=MAX_STATEMENT_LENGTH,
                message=_l("A statement must be %(n)d characters or fewer", n=MAX_STATEMENT_LENGTH),
            ),
        ],
        widget=GovCharacterCount(),
    )
    submit = SubmitField(_l("Add statement"), widget=GovSubmitInput())


class ConversationForm(FlaskForm):
    question = StringField(
        _l("Question"),
        validators=[InputRequired(message=_l("Enter the question")), Length(max=300)],
        widget=GovTextInput(),
    )
    description = TextAreaField(
        _l("More about it (optional)"), validators=[Length(max=2000)], widget=GovTextArea()
    )
    seeds = TextAreaField(
        _l("Starting statements"),
        description=_l("One per line. People vote on these first; they can add their own."),
        validators=[Length(max=20000)],
        widget=GovTextArea(),
    )
    allow_statements = RadioField(
        _l("Can participants add statements?"),
        choices=[("yes", _l("Yes")), ("no", _l("No"))],
        default="yes",
        widget=GovRadioInput(),
    )
    submit = SubmitField(_l("Create conversation"), widget=GovSubmitInput())


class ImportForm(FlaskForm):
    """A Pol.is export: a .zip of the folder, or its CSV files one by one."""

    question = StringField(
        _l("Question"),
        description=_l("Leave blank to use the topic in the export’s summary.csv."),
        validators=[Length(max=300)],
        widget=GovTextInput(),
    )
    attribution = TextAreaField(
        _l("Attribution"),
        description=_l("The licence statement the data requires, shown with the conversation."),
        validators=[Length(max=2000)],
        widget=GovTextArea(),
    )
    archive = FileField(
        _l("The export as a .zip file"),
        description=_l("The zip of a Pol.is export folder. Or leave this and upload the files."),
        widget=GovFileInput(),
    )
    comments = FileField(_l("comments.csv"), widget=GovFileInput())
    votes = FileField(
        _l("votes.csv (optional if you upload participants-votes.csv)"), widget=GovFileInput()
    )
    participants_votes = FileField(
        _l("participants-votes.csv (optional if you upload votes.csv)"), widget=GovFileInput()
    )
    submit = SubmitField(_l("Import"), widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        """A zip, or comments.csv with votes.csv or participants-votes.csv."""
        ok = super().validate(extra_validators)
        if self.archive.data:
            return ok
        if not self.comments.data:
            self.archive.errors.append(_l("Choose the export’s .zip file, or its comments.csv"))
            return False
        if not (self.votes.data or self.participants_votes.data):
            self.votes.errors.append(
                _l("Choose votes.csv or participants-votes.csv to go with comments.csv")
            )
            return False
        return ok
