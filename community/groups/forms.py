"""Forms for groups and projects."""

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
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from .models import GroupKind, SupportKind

KIND_LABELS = {
    GroupKind.YOUTH_CLUB: _l("Youth club"),
    GroupKind.SCHOOL_COUNCIL: _l("School council"),
    GroupKind.COMMUNITY_ORGANISATION: _l("Community organisation"),
}
SUPPORT_LABELS = {
    SupportKind.MONEY: _l("Money"),
    SupportKind.SPACE: _l("A space to meet or run it"),
    SupportKind.MENTORS: _l("Mentors"),
}
NO_NAMES = _l("Do not include anyone’s name or contact details.")


def _text(label, required: str | None, max_length: int = 3000, hint=NO_NAMES, counted=True):
    """A text area; ``counted`` ones show a character count (templates give the maxlength)."""
    validators = [Length(max=max_length, message=_l("This must be shorter"))]
    validators.insert(0, InputRequired(message=required) if required else Optional())
    widget = GovCharacterCount() if counted else GovTextArea()
    return TextAreaField(label, description=hint or "", validators=validators, widget=widget)


class ApplyForm(FlaskForm):
    name = StringField(
        _l("The group’s name"),
        description=_l("Shown in public with its projects, so use the group’s own name."),
        validators=[
            InputRequired(message=_l("Enter the group’s name")),
            Length(max=120, message=_l("The name must be 120 characters or fewer")),
        ],
        widget=GovTextInput(),
    )
    kind = RadioField(
        _l("What kind of group is it?"),
        choices=[(k.value, label) for k, label in KIND_LABELS.items()],
        description=_l("Choose the one that fits best."),
        validators=[InputRequired(message=_l("Choose what kind of group it is"))],
        widget=GovRadioInput(),
    )
    description = _text(
        _l("About the group"),
        _l("Say what the group does"),
        hint=_l("Shown in public. Do not include anyone’s name or contact details."),
    )
    ward = SelectField(
        _l("Which ward is the group in?"),
        choices=[],
        validators=[InputRequired(message=_l("Choose the group’s ward"))],
        widget=GovSelect(),
    )
    statement = _text(
        _l("Your role in the group"),
        _l("Tell us about your role in the group"),
        hint=_l(
            "For example youth worker, teacher or volunteer, and any safeguarding training "
            "or checks you have (such as a DBS check). Only officers see this."
        ),
    )
    submit = SubmitField(_l("Send application"), widget=GovSubmitInput())


class DeclineForm(FlaskForm):
    reasons = _text(
        _l("Why is the application declined?"),
        _l("Give the reasons"),
        hint=_l("The applicant is sent these reasons."),
        counted=False,
    )
    submit = SubmitField(_l("Decline application"), widget=GovSubmitInput())


class JoinForm(FlaskForm):
    code = StringField(
        _l("Your group’s code"),
        description=_l("Your group’s leader gives you this code. For example, K7PX-3MQ9."),
        validators=[InputRequired(message=_l("Enter your group’s code")), Length(max=20)],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Join the group"), widget=GovSubmitInput())


class ProjectForm(FlaskForm):
    title = StringField(
        _l("The project’s name"),
        validators=[
            InputRequired(message=_l("Enter a name for the project")),
            Length(max=120, message=_l("The name must be 120 characters or fewer")),
        ],
        widget=GovTextInput(),
    )
    # A draft saves whatever is there: these are needed only when the leader submits it
    # (``projects.submit`` says which are missing).
    problem = _text(_l("What problem or harmful story does it answer?"), None)
    audience = _text(_l("Who is it for?"), None, max_length=1000)
    activities = _text(_l("What will the group do?"), None)
    strengths = _text(
        _l("Which positive role models, hopes or community strengths does it build on?"), None
    )
    support_kinds = SelectMultipleField(
        _l("What support does it need? (optional)"),
        description=_l("Choose all that apply."),
        choices=[(k.value, label) for k, label in SUPPORT_LABELS.items()],
        widget=GovCheckboxesInput(),
    )
    support_details = _text(
        _l("Tell us more about the support (optional)"),
        None,
        max_length=1000,
        hint=_l("For example how much money, what kind of space, or what mentors could do."),
    )
    success_measures = _text(_l("How will the group know it worked?"), None)
    issues = SelectMultipleField(
        _l("Which issues is it about? (optional)"),
        description=_l("Choose all that apply."),
        coerce=int,
        widget=GovCheckboxesInput(),
        validate_choice=False,
    )
    principles = SelectMultipleField(
        _l("Which of the partnership’s principles does it follow? (optional)"),
        description=_l("Choose all that apply."),
        coerce=int,
        widget=GovCheckboxesInput(),
        validate_choice=False,
    )
    ward = SelectField(
        _l("Which ward is it for? (optional)"),
        choices=[],
        widget=GovSelect(),
        validate_choice=False,
    )
    submit = SubmitField(_l("Save draft"), widget=GovSubmitInput())


class MessageForm(FlaskForm):
    body = TextAreaField(
        _l("Your message"),
        validators=[
            InputRequired(message=_l("Write a message")),
            Length(max=3000, message=_l("The message must be 3000 characters or fewer")),
        ],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Send message"), widget=GovSubmitInput())


class UpdateForm(FlaskForm):
    note = TextAreaField(
        _l("Update for the group"),
        validators=[
            InputRequired(message=_l("Write the update")),
            Length(max=3000, message=_l("The update must be 3000 characters or fewer")),
        ],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Post update"), widget=GovSubmitInput())


class MoveForm(FlaskForm):
    """Which fields a move needs depends on the stage (``stages.TRANSITIONS``): the service
    checks them, so a refused move always comes back with a message, never an error page."""

    to = RadioField(
        _l("Move the project to"),
        description=_l("Only the stages it can move to from where it is now."),
        choices=[],
        validators=[InputRequired(message=_l("Choose the stage to move it to"))],
        widget=GovRadioInput(),
        validate_choice=False,
    )
    note = _text(
        _l("Update for the group (optional)"),
        None,
        hint=_l("The group sees this, dated, with the move."),
        counted=False,
    )
    mentor = SelectField(
        _l("Officer mentor (for co-design)"), choices=[], widget=GovSelect(), validate_choice=False
    )
    resources = _text(
        _l("Resources the partnership gives (on approval)"), None, hint=None, counted=False
    )
    reasons = _text(_l("Reasons (when not taken forward)"), None, hint=None, counted=False)
    outcome = _text(_l("What happened (on evaluation)"), None, hint=None, counted=False)
    people_reached = IntegerField(
        _l("How many people it reached (on evaluation)"),
        validators=[
            Optional(),
            NumberRange(min=0, message=_l("Enter a number of people, 0 or more")),
        ],
        widget=GovTextInput(),
    )
    lessons = _text(_l("What was learned (on evaluation)"), None, hint=None, counted=False)
    submit = SubmitField(_l("Move the project"), widget=GovSubmitInput())
