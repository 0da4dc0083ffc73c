"""The codes an officer can use on a consultation: every framework vocabulary, then its themes.

Loaded in a fixed number of queries (vocabularies with their terms, themes with
their mapped terms), whatever the number of terms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..framework.models import Vocabulary
from .models import Theme, code_key

#: The group that holds a consultation's own themes.
THEMES = "themes"


@dataclass(frozen=True)
class Code:
    """One term or theme, as the tagging screens need it."""

    key: str
    code: str
    name: str
    description: str
    group: str
    active: bool
    term_id: int | None = None
    theme_id: int | None = None


@dataclass
class Group:
    """A vocabulary (or the consultation's themes) and its active codes, in order."""

    code: str
    name: str
    codes: list[Code] = field(default_factory=list)


@dataclass
class Codebook:
    groups: list[Group]
    #: Every code by key, retired ones too (old tags keep their names).
    by_key: dict[str, Code]
    themes: list[Theme]

    @property
    def active(self) -> list[Code]:
        return [c for g in self.groups for c in g.codes]

    @property
    def active_keys(self) -> set[str]:
        return {c.key for c in self.active}

    def group_name(self, group_code: str) -> str:
        return next((g.name for g in self.groups if g.code == group_code), group_code)

    def label(self, key: str) -> str:
        code = self.by_key.get(key)
        return code.name if code else key

    def mapped_terms(self) -> dict[str, set[str]]:
        """For each framework term key, the keys of themes mapped onto it."""
        found: dict[str, set[str]] = {}
        for theme in self.themes:
            for term in theme.terms:
                found.setdefault(code_key(term.id, None), set()).add(theme.key)
        return found


def load(consultation_id: int) -> Codebook:
    """The framework's vocabularies and the consultation's themes."""
    vocabularies = db.session.scalars(
        select(Vocabulary).options(selectinload(Vocabulary.terms)).order_by(Vocabulary.position)
    ).all()
    themes = db.session.scalars(
        select(Theme)
        .where(Theme.consultation_id == consultation_id)
        .order_by(Theme.position, Theme.id)
    ).all()
    groups: list[Group] = []
    by_key: dict[str, Code] = {}
    for vocabulary in vocabularies:
        group = Group(vocabulary.code, vocabulary.name)
        for term in vocabulary.terms:
            code = Code(
                key=code_key(term.id, None),
                code=term.code,
                name=term.name,
                description=term.description,
                group=vocabulary.code,
                active=term.is_active,
                term_id=term.id,
            )
            by_key[code.key] = code
            if code.active:
                group.codes.append(code)
        groups.append(group)
    theme_group = Group(THEMES, _("Themes of this consultation"))
    for theme in themes:
        code = Code(
            key=theme.key,
            code=theme.code,
            name=theme.name,
            description=theme.description,
            group=THEMES,
            active=theme.is_active,
            theme_id=theme.id,
        )
        by_key[code.key] = code
        if code.active:
            theme_group.codes.append(code)
    groups.append(theme_group)
    return Codebook(groups=groups, by_key=by_key, themes=list(themes))
