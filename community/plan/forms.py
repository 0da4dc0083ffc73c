"""Forms for findings, responses and the plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
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

from ..accounts.models import Organisation
from ..forms import optional_date
from ..framework.models import Term
from ..framework.service import get_vocabulary
from .models import ActionStatus, ResponseKind

STATUS_LABELS = {
    ActionStatus.PLANNED: _l("Planned"),
    ActionStatus.IN_PROGRESS: _l("In progress"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.PAUSED: _l("Paused"),
    ActionStatus.DROPPED: _l("Dropped"),
}
RESPONSE_LABELS = {
    ResponseKind.NEW_ACTION: _l("A new plan action"),
    ResponseKind.CHANGED_ACTION: _l("A change to an existing action"),
    ResponseKind.EXISTING_ACTION: _l("An existing action already answers it"),
    ResponseKind.NOT_TAKEN_FORWARD: _l("Not taken forward"),
}
#: The vocabularies a finding or priority is tagged with, in the order shown.
TERM_FIELDS = (
    ("issues", "issue"),
    ("principles", "principle"),
    ("five_cs", "five_c"),
    ("prevention", "prevention"),
)


def _terms(label, hint=None):
    return SelectMultipleField(
        label, choices=[], coerce=int, description=hint, widget=GovCheckboxesInput()
    )


class TermsMixin:
    """Checkboxes for each framework vocabulary, filled from the database."""

    if TYPE_CHECKING:  # mixed into a FlaskForm

        def is_submitted(self) -> bool: ...

    issues = _terms(_l("Issues"))
    principles = _terms(_l("Public health principles"))
    five_cs = _terms(_l("The 5Cs"))
    prevention = _terms(_l("Prevention level"))

    def fill_terms(self, chosen: list[Term] | None = None) -> None:
        for name, code in TERM_FIELDS:
            vocabulary = get_vocabulary(code)
            terms = [t for t in (vocabulary.terms if vocabulary else []) if t.retired_at is None]
            field = getattr(self, name)
            field.choices = [(t.id, t.name) for t in terms]
            if chosen is not None and not self.is_submitted():
                field.data = [
                    t.id for t in chosen if t.vocabulary_id == getattr(vocabulary, "id", None)
                ]

    def chosen_term_ids(self) -> list[int]:
        return [i for name, _code in TERM_FIELDS for i in (getattr(self, name).data or [])]


class FindingForm(TermsMixin, FlaskForm):
    statement = TextAreaField(
        _l("What people said"),
        description=_l(
            "One plain-English sentence or two, that the evidence below can be checked against."
        ),
        validators=[
            InputRequired(message=_l("Write the finding")),
            Length(max=1000, message=_l("The finding must be 1,000 characters or fewer")),
        ],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Save finding"), widget=GovSubmitInput())


class EvidenceForm(FlaskForm):
    evidence = SelectField(
        _l("Evidence to add"),
        choices=[],
        description=_l(
            "Themes and terms count the tagged contributions; figures freeze on publication."
        ),
        validators=[Optional()],
        widget=GovSelect(),
    )
    contribution = IntegerField(
        _l("Or a contribution number"),
        description=_l("The number shown in the tagging view, to cite one quote."),
        validators=[Optional()],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Add evidence"), widget=GovSubmitInput())


class ResponseForm(FlaskForm):
    kind = RadioField(
        _l("What did the partnership do?"),
        choices=[(k.value, label) for k, label in RESPONSE_LABELS.items()],
        validators=[InputRequired(message=_l("Choose what the partnership did"))],
        widget=GovRadioInput(),
    )
    action = SelectField(
        _l("The plan action (for a change or an existing action)"),
        choices=[],
        validators=[Optional()],
        validate_choice=False,
        widget=GovSelect(),
    )
    explanation = TextAreaField(
        _l("Explanation for the public"),
        description=_l("What changed, or why it was not taken forward."),
        validators=[Length(max=2000)],
        widget=GovTextArea(),
    )
    priority = SelectField(
        _l("Priority for the new action"),
        choices=[],
        validators=[Optional()],
        validate_choice=False,
        widget=GovSelect(),
    )
    new_title = StringField(
        _l("New action title"), validators=[Length(max=200)], widget=GovTextInput()
    )
    new_lead = SelectField(
        _l("Lead organisation for the new action"),
        choices=[],
        validators=[Optional()],
        validate_choice=False,
        widget=GovSelect(),
    )
    new_due = optional_date(_l("New action due date"), _l("For example, 31 3 2027"))
    submit = SubmitField(_l("Save response"), widget=GovSubmitInput())


class PriorityForm(TermsMixin, FlaskForm):
    title = StringField(
        _l("Priority"),
        validators=[InputRequired(message=_l("Enter the priority")), Length(max=160)],
        widget=GovTextInput(),
    )
    summary = TextAreaField(_l("Summary"), validators=[Length(max=2000)], widget=GovTextArea())
    submit = SubmitField(_l("Save priority"), widget=GovSubmitInput())


def organisation_choices() -> list[tuple[str, str]]:
    return [(o.value, o.label) for o in Organisation]


class ActionForm(FlaskForm):
    title = StringField(
        _l("Action"),
        validators=[InputRequired(message=_l("Enter the action")), Length(max=200)],
        widget=GovTextInput(),
    )
    description = TextAreaField(
        _l("Description"), validators=[Length(max=4000)], widget=GovTextArea()
    )
    lead_organisation = SelectField(
        _l("Lead organisation"), choices=[], validate_choice=False, widget=GovSelect()
    )
    lead_officer_name = StringField(
        _l("Lead officer (job title)"), validators=[Length(max=120)], widget=GovTextInput()
    )
    starts_on = optional_date(_l("Start date"), _l("For example, 1 4 2026"))
    due_on = optional_date(_l("Due date"), _l("For example, 31 3 2027"))
    status = SelectField(
        _l("Status"),
        choices=[(s.value, label) for s, label in STATUS_LABELS.items()],
        widget=GovSelect(),
    )
    progress = IntegerField(
        _l("Progress (%)"),
        default=0,
        validators=[
            InputRequired(message=_l("Enter progress from 0 to 100")),
            NumberRange(0, 100, message=_l("Progress must be from 0 to 100")),
        ],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Save action"), widget=GovSubmitInput())


class UpdateForm(FlaskForm):
    body = TextAreaField(
        _l("What has happened"),
        validators=[InputRequired(message=_l("Say what has happened")), Length(max=4000)],
        widget=GovTextArea(),
    )
    status = SelectField(
        _l("Status now"),
        choices=[(s.value, label) for s, label in STATUS_LABELS.items()],
        widget=GovSelect(),
    )
    progress = IntegerField(
        _l("Progress now (%)"),
        validators=[
            InputRequired(message=_l("Enter progress from 0 to 100")),
            NumberRange(0, 100, message=_l("Progress must be from 0 to 100")),
        ],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Add update"), widget=GovSubmitInput())
