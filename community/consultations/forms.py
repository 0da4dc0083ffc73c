"""Forms for officers building consultations."""

from __future__ import annotations

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
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional

from ..forms import optional_date
from .models import Audience, ModerationPolicy

YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]

POLICY_LABELS = {
    ModerationPolicy.PRE_YOUTH_ANON: _l(
        "Check contributions from young people and anonymous contributions before they "
        "are published (recommended)"
    ),
    ModerationPolicy.PRE_ALL: _l("Check every contribution before it is published"),
    ModerationPolicy.POST: _l(
        "Publish at once and check afterwards (young people’s contributions are always "
        "checked first)"
    ),
}
AUDIENCE_LABELS = {
    Audience.EVERYONE: _l("Everyone"),
    Audience.YOUTH: _l("Young people (13 to 17) only"),
    Audience.GROUP: _l("A group (invited members only)"),
}


class ConsultationForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[
            InputRequired(message=_l("Enter a title")),
            Length(max=160, message=_l("Title must be 160 characters or fewer")),
        ],
        widget=GovTextInput(),
    )
    slug = StringField(
        _l("Web address (optional)"),
        description=_l(
            "The last part of the page’s address, made from the title if left empty. "
            "Once published it only changes if you change it here, and the old address "
            "keeps working."
        ),
        validators=[Optional(), Length(max=70, message=_l("This must be 70 characters or fewer"))],
        widget=GovTextInput(),
    )
    summary = TextAreaField(
        _l("Summary"),
        description=_l("One or two sentences, shown in lists."),
        validators=[
            InputRequired(message=_l("Enter a summary")),
            Length(max=600, message=_l("Summary must be 600 characters or fewer")),
        ],
        widget=GovTextArea(),
    )
    body = TextAreaField(
        _l("What the consultation is about"),
        description=_l(
            "You can use headings (h2, h3), paragraphs, lists and links. Anything else is removed."
        ),
        validators=[Length(max=20000, message=_l("This must be 20,000 characters or fewer"))],
        widget=GovTextArea(),
    )
    why_asking = TextAreaField(
        _l("Why we are asking"), validators=[Length(max=2000)], widget=GovTextArea()
    )
    how_used = TextAreaField(
        _l("How responses will be used"), validators=[Length(max=2000)], widget=GovTextArea()
    )
    opens_on = optional_date(_l("Opening date"), _l("For example, 27 3 2026"))
    closes_on = optional_date(_l("Closing date"), _l("It stays open until the end of this day."))
    contact_name = StringField(
        _l("Contact name"), validators=[Length(max=120)], widget=GovTextInput()
    )
    contact_email = StringField(
        _l("Contact email address"),
        validators=[
            Optional(),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
        ],
        widget=GovTextInput(),
    )
    documents = TextAreaField(
        _l("Related documents"),
        description=_l(
            "One per line: the title, a vertical bar, then the web address. "
            "For example: Partnership Plan | https://example.org/plan.pdf"
        ),
        validators=[Length(max=5000)],
        widget=GovTextArea(),
    )
    issues = SelectMultipleField(_l("Issues it concerns"), coerce=int, widget=GovCheckboxesInput())
    principles = SelectMultipleField(
        _l("Principles it concerns"), coerce=int, widget=GovCheckboxesInput()
    )
    wards = SelectMultipleField(_l("Wards it concerns"), coerce=int, widget=GovCheckboxesInput())
    moderation_policy = RadioField(
        _l("Moderation"),
        choices=[(p.value, label) for p, label in POLICY_LABELS.items()],
        default=ModerationPolicy.PRE_YOUTH_ANON.value,
        widget=GovRadioInput(),
    )
    audience = RadioField(
        _l("Who can take part"),
        choices=[(a.value, label) for a, label in AUDIENCE_LABELS.items()],
        default=Audience.EVERYONE.value,
        widget=GovRadioInput(),
    )
    allow_anonymous = RadioField(
        _l("Can people take part without an account?"),
        choices=YES_NO,
        default="no",
        widget=GovRadioInput(),
    )
    results_public = RadioField(
        _l("Publish results once it closes?"), choices=YES_NO, default="yes", widget=GovRadioInput()
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.opens_on.data and self.closes_on.data and self.closes_on.data < self.opens_on.data:
            self.closes_on.errors.append(
                _l("The closing date must be on or after the opening date")
            )
            ok = False
        return ok


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=[], widget=GovSelect())
    issue = SelectField(_l("Issue"), choices=[], widget=GovSelect())
    ward = SelectField(_l("Ward"), choices=[], widget=GovSelect())
    submit = SubmitField(_l("Filter"), widget=GovSubmitInput())
