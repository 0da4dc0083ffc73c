"""Account forms, rendered with GOV.UK Frontend widgets."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from .models import AgeBand, Role

AGE_BAND_LABELS = {
    AgeBand.UNDER_13: _l("Under 13"),
    AgeBand.AGE_13_15: _l("13 to 15"),
    AgeBand.AGE_16_17: _l("16 or 17"),
    AgeBand.AGE_18_24: _l("18 to 24"),
    AgeBand.AGE_25_34: _l("25 to 34"),
    AgeBand.AGE_35_44: _l("35 to 44"),
    AgeBand.AGE_45_54: _l("45 to 54"),
    AgeBand.AGE_55_64: _l("55 to 64"),
    AgeBand.AGE_65_74: _l("65 to 74"),
    AgeBand.AGE_75_PLUS: _l("75 or over"),
}

ROLE_LABELS = {
    Role.RESIDENT: _l("Resident"),
    Role.YOUTH: _l("Youth member"),
    Role.GROUP_LEADER: _l("Group leader"),
    Role.PARTNER: _l("Partner"),
    Role.MODERATOR: _l("Moderator"),
    Role.OFFICER: _l("Officer"),
    Role.ADMIN: _l("Administrator"),
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _email_field():
    return EmailField(
        _l("Email address"),
        filters=[_strip],
        validators=[
            InputRequired(message=_l("Enter your email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
        ],
        widget=GovTextInput(),
    )


class NewPassword:
    """Validator: long enough, not too long (argon2 takes any length; we cap at 128)."""

    def __call__(self, form, field):
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        if len(field.data or "") < minimum:
            raise ValidationError(_l("Password must be %(n)s characters or more", n=minimum))
        if len(field.data) > 128:
            raise ValidationError(_l("Password must be 128 characters or fewer"))


def _new_password_fields():
    password = PasswordField(
        _l("Create a password"),
        description=_l("Use 10 characters or more. A few unrelated words make a strong password."),
        validators=[InputRequired(message=_l("Enter a password")), NewPassword()],
        widget=GovPasswordInput(),
    )
    confirm = PasswordField(
        _l("Confirm your password"),
        validators=[
            InputRequired(message=_l("Confirm your password")),
            EqualTo("password", message=_l("Passwords must match")),
        ],
        widget=GovPasswordInput(),
    )
    return password, confirm


class RegisterForm(FlaskForm):
    email = _email_field()
    display_name = StringField(
        _l("Display name"),
        filters=[_strip],
        description=_l(
            "Shown next to what you write, if you are 18 or over. "
            "It does not need to be your real name."
        ),
        validators=[
            InputRequired(message=_l("Enter a display name")),
            Length(max=60, message=_l("Display name must be 60 characters or fewer")),
        ],
        widget=GovTextInput(),
    )
    age_band = RadioField(
        _l("How old are you?"),
        description=_l(
            "We ask so we can keep young people safe. If you are 13 to 17, what you write "
            "is checked before it is published and your name is never shown."
        ),
        choices=[(band.value, label) for band, label in AGE_BAND_LABELS.items()],
        validators=[InputRequired(message=_l("Select your age"))],
        widget=GovRadioInput(),
    )
    password, confirm_password = _new_password_fields()
    submit = SubmitField(_l("Create account"), widget=GovSubmitInput())

    def validate_age_band(self, field):
        if field.data == AgeBand.UNDER_13.value:
            raise ValidationError(_l("You must be 13 or over to register"))


class SignInForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(message=_l("Enter your password"))],
        widget=GovPasswordInput(),
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class EmailOnlyForm(FlaskForm):
    email = _email_field()
    submit = SubmitField(_l("Send the link"), widget=GovSubmitInput())


class ResetPasswordForm(FlaskForm):
    password, confirm_password = _new_password_fields()
    submit = SubmitField(_l("Save new password"), widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(message=_l("Enter your current password"))],
        widget=GovPasswordInput(),
    )
    password, confirm_password = _new_password_fields()
    submit = SubmitField(_l("Change password"), widget=GovSubmitInput())


class ProfileForm(FlaskForm):
    display_name = RegisterForm.display_name
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search by email or name"), widget=GovTextInput())
    role = SelectField(
        _l("Role"),
        choices=[("", _l("Any role"))] + [(r.value, label) for r, label in ROLE_LABELS.items()],
        default="",  # the first visit, with no filter, is "Any role", not an error
        widget=GovSelect(),
    )
    submit = SubmitField(_l("Search"), widget=GovSubmitInput())


class ChangeRoleForm(FlaskForm):
    role = RadioField(
        _l("Role"),
        choices=[(r.value, label) for r, label in ROLE_LABELS.items() if r != Role.YOUTH],
        validators=[InputRequired(message=_l("Select a role"))],
        widget=GovRadioInput(),
    )
    organisation = SelectField(
        _l("Organisation"),
        description=_l("For partners and officers: they update the plan actions it leads."),
        choices=[],
        validate_choice=False,
        widget=GovSelect(),
    )
    submit = SubmitField(_l("Save role and organisation"), widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Organisation

        self.organisation.choices = [("", _l("None"))] + [(o.value, o.label) for o in Organisation]
