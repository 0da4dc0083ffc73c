"""A section's questions as a first visit shows them, drawn once per survey structure.

Most section pages are first visits: nobody has answered these questions yet, so the
radios, checkboxes and text boxes are the same for everyone who opens the section.
Drawing them (GOV.UK macros, a dozen calls per option) was about half of each section
page (issue 15). So the markup of an unanswered section is kept in the process, under
the survey's structure version (``updated_at``, moved by any change to a section or
question: ``surveys/structure.py``) and the questions shown (conditions can hide
some). It is kept only where nothing else can change it:

- in the language surveys are written in (a translation is edited apart from the
  survey; other languages are drawn each time);
- with no ward question (its choices are the framework's areas, edited apart too);
- before any answer and without errors (a GET of an unanswered section).

The CSRF and one-time tokens are outside this markup, in the page around it.
"""

from __future__ import annotations

from flask import get_template_attribute
from markupsafe import Markup

from ...i18n import is_source_language
from ...insights.cache import figures as figure_cache
from .. import structure

#: Question kinds whose markup depends on more than the question itself.
_DRAWN_EACH_TIME = frozenset({"ward"})


def section_fields(survey, section, questions: list, form, *, answered: bool) -> Markup | None:
    """The kept markup of the section's questions, or None to draw them in the page."""
    if answered or form.errors or not is_source_language():
        return None
    if any(q.kind in _DRAWN_EACH_TIME for q in questions):
        return None
    key = ("section-fields", *structure.version(survey), section.id, tuple(q.id for q in questions))
    return figure_cache.get(key, lambda: draw(form, questions))


def draw(form, questions: list) -> Markup:
    """The questions' fields as the section page draws them (``_question.html``)."""
    fields = get_template_attribute("surveys/_question.html", "question_fields")
    return Markup("\n").join(fields(form, question) for question in questions)
