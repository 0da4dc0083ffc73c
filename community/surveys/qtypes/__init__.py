"""The registry of question types: each builds its field, validates, stores and counts.

An officer picks a type by its key; ``REGISTRY[key]`` is the one object that knows
everything about that type, so adding a type is adding one class here.
"""

from __future__ import annotations

from .base import OTHER, QuestionType
from .choice import Dropdown, MultipleChoice, SingleChoice
from .scales import LIKERT, Likert, Matrix, Ranking, Scale, agreement_vote
from .text import Date, Information, LongText, Number, ShortText, Ward

REGISTRY: dict[str, QuestionType] = {
    t.key: t
    for t in (
        SingleChoice(),
        MultipleChoice(),
        Dropdown(),
        Likert(),
        Scale(),
        Matrix(),
        Ranking(),
        Number(),
        Date(),
        ShortText(),
        LongText(),
        Ward(),
        Information(),
    )
}

__all__ = ["LIKERT", "OTHER", "REGISTRY", "QuestionType", "agreement_vote"]
