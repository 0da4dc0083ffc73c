"""Loading and editing the framework. Terms are never deleted, only retired."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..audit.service import record
from ..extensions import db
from ..failures import ServiceError
from ..shortcache import cached, forget_on_commit
from .models import Term, Vocabulary

WARD_NAMES, WARD_CHOICES = "ward_names", "ward_choices"
forget_on_commit(Term, WARD_NAMES, WARD_CHOICES)


class FrameworkError(ServiceError):
    """A rule was broken; the message is safe to show."""


@dataclass
class SeedReport:
    vocabularies_added: int = 0
    terms_added: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.vocabularies_added or self.terms_added)


def seed(path: str | Path) -> SeedReport:
    """Add every vocabulary and term in the file that is not there yet.

    Existing rows are left alone (an officer may have renamed or retired them), so
    running it twice changes nothing.
    """
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    report = SeedReport()
    existing = {v.code: v for v in db.session.scalars(select(Vocabulary))}
    for v_position, v_data in enumerate(data.get("vocabulary", []), start=1):
        vocabulary = existing.get(v_data["code"])
        if vocabulary is None:
            vocabulary = Vocabulary(
                code=v_data["code"],
                name=v_data["name"],
                description=v_data.get("description", ""),
                position=v_data.get("position", v_position),
                open_list=v_data.get("open_list", True),
            )
            db.session.add(vocabulary)
            db.session.flush()
            report.vocabularies_added += 1
        codes = set(
            db.session.scalars(select(Term.code).where(Term.vocabulary_id == vocabulary.id))
        )
        for t_position, t_data in enumerate(v_data.get("term", []), start=1):
            if t_data["code"] in codes:
                continue
            db.session.add(
                Term(
                    vocabulary_id=vocabulary.id,
                    code=t_data["code"],
                    name=t_data["name"],
                    description=t_data.get("description", ""),
                    position=t_position,
                )
            )
            report.terms_added += 1
    db.session.flush()
    return report


def ward_names() -> dict[str, str]:
    """Every ward's name by its code (retired wards too); kept briefly (shortcache)."""
    return cached(
        WARD_NAMES,
        lambda: dict(
            db.session.execute(
                select(Term.code, Term.name).join(Vocabulary).where(Vocabulary.code == "area")
            ).all()
        ),
    )


def ward_choices() -> list[tuple[str, str]]:
    """The wards a person may choose (not retired), in order; kept briefly (shortcache)."""
    from .models import active_terms_query

    return cached(
        WARD_CHOICES,
        lambda: [(t.code, t.name) for t in db.session.scalars(active_terms_query("area"))],
    )


def vocabularies() -> list[Vocabulary]:
    from sqlalchemy.orm import selectinload

    return list(
        db.session.scalars(
            select(Vocabulary).options(selectinload(Vocabulary.terms)).order_by(Vocabulary.position)
        )
    )


def get_vocabulary(code: str) -> Vocabulary | None:
    return db.session.scalar(select(Vocabulary).where(Vocabulary.code == code))


def slugify(text: str) -> str:
    text = text.lower().replace("&", "and").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60] or "term"


def add_term(vocabulary: Vocabulary, name: str, description: str, code: str = "") -> Term:
    if not vocabulary.open_list:
        raise FrameworkError(_("Terms cannot be added to this list: it comes from the plan"))
    code = (code or slugify(name)).strip()
    taken = db.session.scalar(
        select(func.count()).where(Term.vocabulary_id == vocabulary.id, Term.code == code)
    )
    if taken:
        raise FrameworkError(_("There is already a term with the code %(code)s", code=code))
    position = (
        db.session.scalar(
            select(func.max(Term.position)).where(Term.vocabulary_id == vocabulary.id)
        )
        or 0
    ) + 1
    term = Term(
        vocabulary=vocabulary,
        code=code,
        name=name.strip(),
        description=description.strip(),
        position=position,
    )
    db.session.add(term)
    db.session.flush()
    record("term.added", "term", term.id, vocabulary=vocabulary.code, code=code)
    return term


def edit_term(term: Term, name: str, description: str) -> None:
    changes = {}
    if term.name != name.strip():
        changes["name"] = [term.name, name.strip()]
        term.name = name.strip()
    if term.description != description.strip():
        changes["description"] = "changed"
        term.description = description.strip()
    if changes:
        record("term.edited", "term", term.id, **changes)


def retire_term(term: Term) -> None:
    if term.is_active:
        term.retire()
        record("term.retired", "term", term.id)


def restore_term(term: Term) -> None:
    if not term.is_active:
        term.restore()
        record("term.restored", "term", term.id)
