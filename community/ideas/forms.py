"""Idea forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length

from .models import BoardPhase, IdeaStatus

STATUS_LABELS = {
    IdeaStatus.SUBMITTED: _l("Submitted"),
    IdeaStatus.UNDER_CONSIDERATION: _l("Under consideration"),
    IdeaStatus.ACCEPTED: _l("Accepted"),
    IdeaStatus.IN_PROGRESS: _l("In progress"),
    IdeaStatus.IMPLEMENTED: _l("Done"),
    IdeaStatus.NOT_TAKEN_FORWARD: _l("Not taken forward"),
}
PHASE_LABELS = {
    BoardPhase.COLLECTING: _l("Collecting ideas"),
    BoardPhase.SUPPORTING: _l("Supporting ideas"),
    BoardPhase.REVIEW: _l("Under review"),
    BoardPhase.OUTCOME: _l("Outcome"),
}


class IdeaForm(FlaskForm):
    title = StringField(
        _l("Your idea in a few words"),
        validators=[
            InputRequired(message=_l("Enter a title for your idea")),
            Length(max=120, message=_l("Title must be 120 characters or fewer")),
        ],
        widget=GovTextInput(),
    )
    description = TextAreaField(
        _l("Describe your idea"),
        description=_l(
            "What would change, where, and who it would help. "
            "Do not include names or contact details."
        ),
        validators=[
            InputRequired(message=_l("Describe your idea")),
            Length(max=3000, message=_l("Description must be 3000 characters or fewer")),
        ],
        widget=GovCharacterCount(),
    )
    issues = SelectMultipleField(
        _l("Which issues is it about? (optional)"),
        coerce=int,
        widget=GovCheckboxesInput(),
        validate_choice=False,
    )
    ward = SelectField(
        _l("Which ward is it about? (optional)"),
        choices=[],
        widget=GovSelect(),
        validate_choice=False,
    )
    #: Set once the author has seen similar ideas and chosen to post anyway.
    confirmed = HiddenField()
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class EditIdeaForm(FlaskForm):
    title = IdeaForm.title
    description = IdeaForm.description
    submit = SubmitField(_l("Save changes"), widget=GovSubmitInput())


class CommentForm(FlaskForm):
    text = TextAreaField(
        _l("Add a comment"),
        validators=[
            InputRequired(message=_l("Enter a comment")),
            Length(max=1000, message=_l("Comment must be 1000 characters or fewer")),
        ],
        widget=GovTextArea(),
    )
    parent = HiddenField()
    submit = SubmitField(_l("Post comment"), widget=GovSubmitInput())


class RespondForm(FlaskForm):
    status = RadioField(
        _l("Status"),
        choices=[(s.value, label) for s, label in STATUS_LABELS.items()],
        validators=[InputRequired(message=_l("Choose a status"))],
        widget=GovRadioInput(),
    )
    explanation = TextAreaField(
        _l("Public explanation"),
        validators=[InputRequired(message=_l("Explain the decision")), Length(max=3000)],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Publish response"), widget=GovSubmitInput())


class BoardForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(message=_l("Enter a title")), Length(max=160)],
        widget=GovTextInput(),
    )
    description = TextAreaField(
        _l("Description"), validators=[Length(max=3000)], widget=GovTextArea()
    )
    phase = RadioField(
        _l("Phase"),
        choices=[(p.value, label) for p, label in PHASE_LABELS.items()],
        default=BoardPhase.COLLECTING.value,
        widget=GovRadioInput(),
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())
