"""Conversation forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
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
    question = StringField(
        _l("Question"),
        validators=[InputRequired(message=_l("Enter the question")), Length(max=300)],
        widget=GovTextInput(),
    )
    attribution = TextAreaField(
        _l("Attribution"),
        description=_l("The licence statement the data requires, shown with the conversation."),
        validators=[Length(max=2000)],
        widget=GovTextArea(),
    )
    comments = FileField(
        _l("comments.csv"),
        validators=[FileRequired(message=_l("Choose the comments.csv file"))],
        widget=GovFileInput(),
    )
    votes = FileField(
        _l("votes.csv"),
        validators=[FileRequired(message=_l("Choose the votes.csv file"))],
        widget=GovFileInput(),
    )
    submit = SubmitField(_l("Import"), widget=GovSubmitInput())
