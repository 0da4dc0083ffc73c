"""Tagging rules: code one contribution, code many at once, decide on suggestions.

Every change to a contribution's codes is audited, and asks for the suggestion
model to be retrained once the request's transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from ... import jobs
from ...audit.service import record
from ...contributions.models import Contribution
from ...extensions import db
from ...failures import ServiceError
from ..codebook import Codebook
from ..models import SuggestionDecision, SuggestionMethod, Tag, TagSource, parse_key
from ..permissions import TAGGABLE
from ..suggestions.classifier import Suggestion


class TaggingError(ServiceError):
    """A rule was broken; the message is safe to show."""


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    pinned: list[str] = field(default_factory=list)
    unpinned: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.pinned or self.unpinned)


def _audit(action: str, contribution: Contribution, key: str, codebook: Codebook, user, **more):
    code = codebook.by_key.get(key)
    record(
        action,
        "contribution",
        contribution.id,
        actor=user,
        consultation=contribution.consultation_id,
        key=key,
        code=code.code if code else "",
        group=code.group if code else "",
        **more,
    )


def _new_tag(contribution: Contribution, key: str, user, source: TagSource) -> Tag:
    tag = Tag(contribution_id=contribution.id, coder_id=user.id, source=source)
    tag.set_key(key)
    db.session.add(tag)
    return tag


def save_codes(
    contribution: Contribution,
    user,
    codebook: Codebook,
    *,
    checked: set[str],
    was_checked: set[str],
    pins_shown: set[str] = frozenset(),
    pins: set[str] = frozenset(),
) -> Changes:
    """Apply what the officer changed on the reading view.

    Only what changed since the page was shown is applied (``was_checked`` is what
    it showed as ticked), so two officers coding the same contribution do not undo
    each other's work; retired codes are never on the form, so they are kept.
    """
    valid = codebook.active_keys
    existing = {tag.key: tag for tag in _tags_of(contribution.id)}
    changes = Changes()
    for key in sorted((checked & valid) - existing.keys()):
        _new_tag(contribution, key, user, TagSource.OFFICER)
        _audit("tagging.tag_added", contribution, key, codebook, user, source="officer")
        changes.added.append(key)
    for key in sorted((was_checked & valid) - checked):
        tag = existing.pop(key, None)
        if tag is not None:
            db.session.delete(tag)
            _audit("tagging.tag_removed", contribution, key, codebook, user)
            changes.removed.append(key)
    for key, tag in existing.items():
        if key in pins_shown and tag.pinned != (key in pins):
            tag.pinned = key in pins
            action = "tagging.tag_pinned" if tag.pinned else "tagging.tag_unpinned"
            _audit(action, contribution, key, codebook, user)
            (changes.pinned if tag.pinned else changes.unpinned).append(key)
    if changes.added or changes.removed:
        jobs.after_commit("retrain_suggestions")
    db.session.flush()
    return changes


def _tags_of(contribution_id: int) -> list[Tag]:
    return list(db.session.scalars(select(Tag).where(Tag.contribution_id == contribution_id)))


def bulk_add(
    consultation_id: int, contribution_ids: list[int], key: str, user, codebook: Codebook
) -> int:
    """Add one code to many contributions of a consultation; returns how many were new."""
    if key not in codebook.active_keys:
        raise TaggingError(_("Choose a term or theme to add."))
    term_id, theme_id = parse_key(key)
    contributions = db.session.scalars(
        select(Contribution).where(
            Contribution.id.in_(contribution_ids),
            Contribution.consultation_id == consultation_id,
            Contribution.status.in_(TAGGABLE),
        )
    ).all()
    column = Tag.term_id if term_id is not None else Tag.theme_id
    already = set(
        db.session.scalars(
            select(Tag.contribution_id).where(
                Tag.contribution_id.in_([c.id for c in contributions]),
                column == (term_id if term_id is not None else theme_id),
            )
        )
    )
    added = 0
    for contribution in contributions:
        if contribution.id in already:
            continue
        _new_tag(contribution, key, user, TagSource.OFFICER)
        _audit("tagging.tag_added", contribution, key, codebook, user, source="officer", bulk=True)
        added += 1
    if added:
        jobs.after_commit("retrain_suggestions")
    db.session.flush()
    return added


def decide_suggestion(
    contribution: Contribution, suggestion: Suggestion, accept: bool, user, codebook: Codebook
) -> SuggestionDecision:
    """Record an officer's decision on a suggestion; accepting it adds the tag."""
    decision = SuggestionDecision(
        contribution_id=contribution.id,
        method=SuggestionMethod(suggestion.method),
        score=suggestion.score,
        accepted=accept,
        decided_by_id=user.id,
    )
    decision.set_key(suggestion.key)
    db.session.add(decision)
    action = "tagging.suggestion_accepted" if accept else "tagging.suggestion_rejected"
    _audit(action, contribution, suggestion.key, codebook, user, method=suggestion.method)
    if accept and suggestion.key not in {t.key for t in _tags_of(contribution.id)}:
        _new_tag(contribution, suggestion.key, user, TagSource.SUGGESTION)
        _audit(
            "tagging.tag_added", contribution, suggestion.key, codebook, user, source="suggestion"
        )
        jobs.after_commit("retrain_suggestions")
    db.session.flush()
    return decision
