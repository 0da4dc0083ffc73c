"""A survey's order (and renumbering it) and what its conditions allow.

A condition may test only an earlier question: for a section, one in an earlier
section; for a question, one in an earlier section or before it on its own page.
"""

from __future__ import annotations

from flask_babel import gettext as _

from ...extensions import db
from ...framework.models import active_terms_query
from ..conditions import OPERATORS, describe
from ..models import Question, Section, Survey
from ..qtypes import LIKERT, OTHER

#: Question types a condition can test: by a value from a list, or by a typed value.
LISTED_TARGETS = ("single_choice", "dropdown", "multiple_choice", "likert", "scale", "ward")
TYPED_TARGETS = ("number", "short_text")
#: Types whose answer can hold several values (so "includes" means something).
MULTI_VALUED = ("multiple_choice",)


def ordered_sections(survey: Survey) -> list[Section]:
    """By position, whatever order the loaded list is in after a change."""
    return sorted(survey.sections, key=lambda s: (s.position, s.id or 0))


def ordered_questions(section: Section) -> list[Question]:
    return sorted(section.questions, key=lambda q: (q.position, q.id or 0))


def renumber(items) -> None:
    """Positions 1, 2, 3 … in the order given."""
    for position, item in enumerate(items, start=1):
        item.position = position


def swap(items: list, item, direction: str) -> bool:
    """Move ``item`` one place "up" or "down" and renumber; False when it cannot."""
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    renumber(items)
    return True


def next_position(items) -> int:
    return max((i.position for i in items), default=0) + 1


def _name(item) -> str:
    return item.title if isinstance(item, Section) else item.text


def earlier(survey: Survey, item) -> list[Question]:
    """The questions a resident meets before ``item`` (a section or a question)."""
    found: list[Question] = []
    for section in ordered_sections(survey):
        if section is item:
            return found
        for question in ordered_questions(section):
            if question is item:
                return found
            found.append(question)
    return found


def condition_targets(survey: Survey, item) -> list[Question]:
    """The earlier questions a condition on ``item`` can test."""
    return [q for q in earlier(survey, item) if q.kind in LISTED_TARGETS + TYPED_TARGETS]


def condition_choices(question: Question) -> list[tuple[str, str]] | None:
    """The values a condition can pick for this question, or None when they are typed in."""
    kind = question.kind
    if kind in ("single_choice", "dropdown", "multiple_choice"):
        pairs = [(str(c), str(c)) for c in question.options.get("choices", [])]
        if question.options.get("allow_other"):
            pairs.append((OTHER, _("Other")))
        return pairs
    if kind == "likert":
        return [(str(value), str(label)) for value, label in LIKERT]
    if kind == "scale":
        return [(str(n), str(n)) for n in range(11)]
    if kind == "ward":
        return [(t.code, t.name) for t in db.session.scalars(active_terms_query("area"))]
    return None


def problem(condition: dict | None, before: list[Question]) -> str | None:
    """Why a condition cannot work after the questions ``before`` (None when it can)."""
    if not condition:
        return None
    targets = {q.id: q for q in before if q.kind in LISTED_TARGETS + TYPED_TARGETS}
    target = targets.get(condition.get("question_id", 0))
    if target is None:
        return _("it must depend on an earlier question that has set answers")
    values = [str(v) for v in condition.get("values") or []]
    if condition.get("op") not in OPERATORS:
        return _("choose how the answer should match")
    if not values:
        return _("choose at least one answer")
    choices = condition_choices(target)
    missing = [v for v in values if choices is not None and v not in dict(choices)]
    if missing:
        return _("“%(text)s” has no answer “%(value)s”", text=target.text, value=missing[0])
    if target.kind not in MULTI_VALUED and condition["op"] != "any" and len(values) > 1:
        return _("“%(text)s” takes one answer: choose one, or “is any of”", text=target.text)
    return None


def first_problem(survey: Survey) -> str | None:
    """The first condition in the survey that would test a later or unsuitable answer."""
    before: list[Question] = []
    for section in ordered_sections(survey):
        items = [(section, list(before))]
        for question in ordered_questions(section):
            items.append((question, list(before)))
            before.append(question)
        for item, seen in items:
            reason = problem(item.condition, seen)
            if reason:
                return _(
                    "The condition on “%(name)s” would stop working (%(problem)s). "
                    "Change or remove that condition first.",
                    name=_name(item),
                    problem=reason,
                )
    return None


def dependent(survey: Survey, ids: set[int], exclude: Section | None = None) -> str | None:
    """Why the questions ``ids`` cannot go: something outside ``exclude`` depends on them."""
    for section in ordered_sections(survey):
        if section is exclude:
            continue
        items: list[Section | Question] = [section, *ordered_questions(section)]
        for item in items:
            if item.condition and item.condition.get("question_id") in ids:
                return _(
                    "“%(name)s” is shown depending on it: remove that condition first",
                    name=_name(item),
                )
    return None


def condition_texts(survey: Survey) -> dict[str, dict[int, str]]:
    """Each condition in plain English (values shown by their labels), for the overview."""
    by_id = {q.id: q for q in survey.questions}
    texts: dict[str, dict[int, str]] = {"sections": {}, "questions": {}}
    for key, items in (("sections", survey.sections), ("questions", survey.questions)):
        for item in items:
            if item.condition:
                texts[key][item.id] = describe_condition(item.condition, by_id)
    return texts


def describe_condition(condition: dict, by_id: dict[int, Question]) -> str:
    target = by_id.get(condition.get("question_id", 0))
    if target is None:
        return _("depends on a question that no longer exists")
    labels = dict(condition_choices(target) or [])
    shown = {**condition, "values": [labels.get(str(v), v) for v in condition.get("values", [])]}
    return describe(shown, target.text)
