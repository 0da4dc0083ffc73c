"""The words a person agrees to, in one place: the forms show them and each consent
record keeps the exact text, so "Agreed" on the consents page always means "agreed
to these words", never a box the person did not see or tick."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import ConsentPurpose

PRIVACY_NOTICE = _l(
    "By creating an account you agree to how we use your information, as set out in "
    "our privacy notice."
)
HEAR_BACK = _l("Email me when the partnership publishes what it did as a result")
ABOUT_YOU = _l(
    "These questions are optional. They help the partnership check it hears from every "
    "part of the community. Your answers are stored apart from your response. Officers "
    "analysing the consultation can see your age, ward, gender and connection beside your "
    "answers; answers about ethnicity and disability are only ever used in totals. "
    "Published figures never show groups of fewer than 5 people."
)
SPECIAL_CATEGORY = _l(
    "I agree that my answers about ethnicity and disability can be used, "
    "in totals only, to check the partnership hears from everyone"
)

WORDING = {
    ConsentPurpose.PRIVACY_NOTICE: PRIVACY_NOTICE,
    ConsentPurpose.HEAR_BACK: HEAR_BACK,
    ConsentPurpose.ABOUT_YOU: ABOUT_YOU,
    ConsentPurpose.SPECIAL_CATEGORY: SPECIAL_CATEGORY,
}
