"""A consultation's own codebook: add, rename, map onto the framework, merge, retire.

Themes are never deleted. Merging moves every tag (and every suggestion decision
and second coder's code) to the target theme and retires the merged one, which
remembers where its tags went.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from ... import jobs
from ...audit.service import record
from ...extensions import db
from ...failures import ServiceError
from ...framework.models import Term
from ...framework.service import slugify
from ...models_base import utcnow
from ..models import RoundCode, SuggestionDecision, Tag, Theme


class ThemeError(ServiceError):
    """A rule was broken; the message is safe to show."""


def _name_taken(consultation_id: int, name: str, but: int | None = None) -> bool:
    stmt = select(func.count()).where(
        Theme.consultation_id == consultation_id,
        Theme.retired_at.is_(None),
        func.lower(Theme.name) == name.lower(),
    )
    if but is not None:
        stmt = stmt.where(Theme.id != but)
    return bool(db.session.scalar(stmt))


def add_theme(consultation_id: int, name: str, description: str, user) -> Theme:
    """A new theme, with a code made from its name (unique in the consultation)."""
    name = name.strip()
    if _name_taken(consultation_id, name):
        raise ThemeError(_("There is already a theme called “%(name)s”", name=name))
    codes = set(
        db.session.scalars(select(Theme.code).where(Theme.consultation_id == consultation_id))
    )
    base = slugify(name)[:50]
    code, n = base, 1
    while code in codes:
        n += 1
        code = f"{base}-{n}"
    position = (
        db.session.scalar(
            select(func.max(Theme.position)).where(Theme.consultation_id == consultation_id)
        )
        or 0
    ) + 1
    theme = Theme(
        consultation_id=consultation_id,
        code=code,
        name=name,
        description=description.strip(),
        position=position,
        created_by_id=user.id,
    )
    db.session.add(theme)
    db.session.flush()
    record(
        "tagging.theme_added",
        "theme",
        theme.id,
        actor=user,
        consultation=consultation_id,
        code=code,
    )
    return theme


def edit_theme(theme: Theme, name: str, description: str, user) -> None:
    """Rename a theme or reword what belongs under it (its code stays)."""
    name = name.strip()
    if _name_taken(theme.consultation_id, name, but=theme.id):
        raise ThemeError(_("There is already a theme called “%(name)s”", name=name))
    changes = {}
    if name != theme.name:
        changes["name"] = [theme.name, name]
        theme.name = name
    if description.strip() != theme.description:
        changes["description"] = "changed"
        theme.description = description.strip()
    if changes:
        record("tagging.theme_edited", "theme", theme.id, actor=user, **changes)


def map_terms(theme: Theme, term_ids: list[int], user) -> None:
    """Set the framework terms a theme belongs under (links to retired terms are kept)."""
    chosen = list(
        db.session.scalars(select(Term).where(Term.id.in_(term_ids), Term.retired_at.is_(None)))
    )
    kept = [t for t in theme.terms if not t.is_active]
    before = {t.code for t in theme.terms}
    theme.terms = kept + chosen
    after = {t.code for t in theme.terms}
    if before != after:
        record(
            "tagging.theme_mapped",
            "theme",
            theme.id,
            actor=user,
            added=sorted(after - before),
            removed=sorted(before - after),
        )


def merge(source: Theme, target: Theme, user) -> int:
    """Move everything coded to ``source`` onto ``target``, then retire ``source``.

    Returns how many contributions' tags moved. A contribution that already had
    both keeps one tag (pinned if either was).
    """
    if source.id == target.id or source.consultation_id != target.consultation_id:
        raise ThemeError(_("Choose another theme of the same consultation"))
    if not source.is_active or not target.is_active:
        raise ThemeError(_("Only themes in use can be merged"))
    moved = _move(Tag, "contribution_id", source, target, user)
    _move(SuggestionDecision, "contribution_id", source, target, None)
    _move(RoundCode, "item_id", source, target, None)
    theme_terms = {t.id: t for t in [*target.terms, *source.terms]}
    target.terms = list(theme_terms.values())
    source.merged_into_id = target.id
    source.retired_at = utcnow()
    record(
        "tagging.theme_merged",
        "theme",
        source.id,
        actor=user,
        into=target.id,
        into_code=target.code,
        moved=moved,
    )
    jobs.after_commit("retrain_suggestions")
    db.session.flush()
    return moved


def _move(model, owner: str, source: Theme, target: Theme, user) -> int:
    owned = {
        getattr(row, owner): row
        for row in db.session.scalars(select(model).where(model.theme_id == target.id))
    }
    moved = 0
    for row in db.session.scalars(select(model).where(model.theme_id == source.id)):
        kept = owned.get(getattr(row, owner))
        if kept is not None:
            if getattr(row, "pinned", False):
                kept.pinned = True
            db.session.delete(row)
        else:
            row.theme_id = target.id
            if isinstance(row, Tag):
                row.updated_at = utcnow()
        if user is not None:
            moved += 1
            record(
                "tagging.tag_moved",
                "contribution",
                row.contribution_id,
                actor=user,
                consultation=source.consultation_id,
                key_from=source.key,
                key_to=target.key,
            )
    db.session.flush()
    return moved


def retire(theme: Theme, user) -> None:
    """Hide a theme from new coding; its tags stay."""
    if theme.is_active:
        theme.retired_at = utcnow()
        record("tagging.theme_retired", "theme", theme.id, actor=user)


def restore(theme: Theme, user) -> None:
    """Bring back a retired theme (not a merged one: its tags now live elsewhere)."""
    if theme.merged_into_id is not None:
        raise ThemeError(_("A merged theme cannot be brought back"))
    if _name_taken(theme.consultation_id, theme.name, but=theme.id):
        raise ThemeError(_("There is already a theme called “%(name)s”", name=theme.name))
    if not theme.is_active:
        theme.retired_at = None
        record("tagging.theme_restored", "theme", theme.id, actor=user)
