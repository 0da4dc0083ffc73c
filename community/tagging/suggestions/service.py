"""Suggestions from the officers' own tags: the retraining job, the current model, precision.

Training never happens on a request: saving tags asks for the
``retrain_suggestions`` job after the commit (a thread of the web process, or
``flask worker``). The job compares a fingerprint of the confirmed tags with
the last model's and does nothing when they match, so running it often is cheap.
The trained model is stored in ``tagging_models`` as plain arrays and cached in
each process by id and fingerprint.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select

from ... import jobs
from ...contributions.models import Contribution
from ...extensions import db
from ..codebook import Codebook
from ..models import CONFIRMED_SOURCES, SuggestionDecision, SuggestionModel, Tag, code_key
from ..queries import confirmed_tag_exists
from .classifier import (
    MAX_SUGGESTIONS,
    Classifier,
    Suggestion,
    keyword_seeds,
    keyword_suggestions,
    train,
    trainable_labels,
)

log = logging.getLogger(__name__)

#: Older models are kept for a while (a worker may still be using one), then removed.
KEEP_MODELS = 3

_training = threading.Lock()
_loaded: dict[tuple[int, str], Classifier] = {}


def fingerprint() -> str:
    """Changes whenever a confirmed tag is added, removed or moved."""
    count, last_id, last_change = db.session.execute(
        select(func.count(), func.max(Tag.id), func.max(Tag.updated_at)).where(
            Tag.source.in_(CONFIRMED_SOURCES)
        )
    ).one()
    stamp = last_change.isoformat() if last_change is not None else ""
    return f"{count}:{last_id or 0}:{stamp}"


def training_data() -> tuple[list[str], list[set[str]]]:
    """Every contribution an officer has coded, with its codes (two queries)."""
    labels: dict[int, set[str]] = defaultdict(set)
    for cid, term_id, theme_id in db.session.execute(
        select(Tag.contribution_id, Tag.term_id, Tag.theme_id).where(
            Tag.source.in_(CONFIRMED_SOURCES)
        )
    ):
        labels[cid].add(code_key(term_id, theme_id))
    rows = db.session.execute(
        select(Contribution.id, Contribution.body)
        .where(confirmed_tag_exists())
        .order_by(Contribution.id)
    ).all()
    rows = [(cid, body) for cid, body in rows if cid in labels]
    return [body for _, body in rows], [labels[cid] for cid, _ in rows]


def retrain() -> str | None:
    """Train a new model if the confirmed tags changed since the last one."""
    with _training:
        current = fingerprint()
        if not _changed(current):
            return None
        texts, label_sets = training_data()
        classifier = train(texts, label_sets)
        model = SuggestionModel(
            fingerprint=current,
            ready=classifier is not None,
            documents=len(texts),
            arrays=classifier.to_bytes() if classifier is not None else None,
            summary={"labels": trainable_labels(label_sets)},
        )
        db.session.add(model)
        db.session.flush()
        keep = set(
            db.session.scalars(
                select(SuggestionModel.id).order_by(SuggestionModel.id.desc()).limit(KEEP_MODELS)
            )
        )
        db.session.execute(delete(SuggestionModel).where(SuggestionModel.id.not_in(keep)))
        db.session.commit()
        if classifier is None:
            return f"not enough tags yet ({len(texts)} coded contributions)"
        return f"trained on {len(texts)} contributions, {len(classifier.labels)} codes"


def _changed(current: str) -> bool:
    last = db.session.execute(
        select(SuggestionModel.fingerprint).order_by(SuggestionModel.id.desc()).limit(1)
    ).scalar()
    return last != current


@jobs.job("retrain_suggestions")
def retrain_job():
    """The background job: retrain when the officers' tags have changed (training, with
    scikit-learn, in a process of its own under `flask worker`)."""
    if not _changed(fingerprint()):
        return None
    return jobs.heavy(retrain)


def current() -> Classifier | None:
    """The newest trained classifier, loaded once per process."""
    row = db.session.execute(
        select(SuggestionModel.id, SuggestionModel.fingerprint)
        .where(SuggestionModel.ready.is_(True))
        .order_by(SuggestionModel.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    cache_key = (row.id, row.fingerprint)
    if cache_key not in _loaded:
        data = db.session.scalar(select(SuggestionModel.arrays).where(SuggestionModel.id == row.id))
        _loaded.clear()
        _loaded[cache_key] = Classifier.from_bytes(data)
    return _loaded[cache_key]


def status():
    """The newest model row (trained or not), without its arrays; None before the first."""
    return db.session.execute(
        select(
            SuggestionModel.id,
            SuggestionModel.created_at,
            SuggestionModel.ready,
            SuggestionModel.documents,
            SuggestionModel.summary,
        )
        .order_by(SuggestionModel.id.desc())
        .limit(1)
    ).first()


def decided_keys(contribution_id: int) -> set[str]:
    return {
        code_key(t, h)
        for t, h in db.session.execute(
            select(SuggestionDecision.term_id, SuggestionDecision.theme_id).where(
                SuggestionDecision.contribution_id == contribution_id
            )
        )
    }


def for_contribution(
    contribution: Contribution, codebook: Codebook, tagged: set[str]
) -> list[Suggestion]:
    """Codes to suggest: the classifier's for codes it has learned, keywords for the rest.

    Codes already on the contribution, and ones an officer already decided on for
    it, are not suggested again.
    """
    exclude = tagged | decided_keys(contribution.id)
    allowed = codebook.active_keys
    classifier = current()
    found: list[Suggestion] = []
    learned: set[str] = set()
    if classifier is not None:
        learned = set(classifier.labels)
        found = classifier.suggest(contribution.body, allowed=allowed, exclude=exclude)
    seeds = keyword_seeds((c.key, c.name, c.description) for c in codebook.active)
    found += keyword_suggestions(contribution.body, seeds, exclude=exclude | learned)
    return found[:MAX_SUGGESTIONS]


@dataclass
class Precision:
    """Of the suggestions officers decided on, how many they accepted."""

    accepted: int = 0
    decided: int = 0
    by_method: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def share(self) -> float | None:
        return self.accepted / self.decided if self.decided else None


def precision(consultation_id: int) -> Precision:
    """Precision of suggestions for one consultation, overall and by method (one query)."""
    result = Precision()
    rows = db.session.execute(
        select(SuggestionDecision.method, SuggestionDecision.accepted, func.count())
        .join(Contribution, Contribution.id == SuggestionDecision.contribution_id)
        .where(Contribution.consultation_id == consultation_id)
        .group_by(SuggestionDecision.method, SuggestionDecision.accepted)
    ).all()
    for method, accepted, count in rows:
        got, seen = result.by_method.get(method.value, (0, 0))
        result.by_method[method.value] = (got + (count if accepted else 0), seen + count)
        result.accepted += count if accepted else 0
        result.decided += count
    return result
