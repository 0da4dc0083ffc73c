"""Second coding: a colleague codes a random sample blind, and agreement is measured.

The sample is drawn, with a stored seed, from the consultation's contributions
that an officer has already coded and that the colleague has not. The colleague
sees the text only (no tags, no suggestions); the first coding is the
contribution's confirmed tags by anyone but the colleague.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import exists, select

from ...accounts.models import User
from ...accounts.permissions import CAPABILITIES
from ...audit.service import record
from ...contributions.models import Contribution
from ...extensions import db
from ...failures import ServiceError
from ...models_base import utcnow
from ..codebook import Codebook
from ..models import CONFIRMED_SOURCES, CodingRound, RoundCode, RoundItem, Tag, code_key
from ..permissions import TAGGABLE
from ..queries import confirmed_tag_exists
from .agreement import CodeAgreement, agreement_by_code, overall_observed


class RoundError(ServiceError):
    """A rule was broken; the message is safe to show."""


def colleagues(user) -> list[User]:
    """Everyone else who may tag, and is active: who can be asked to code a sample."""
    roles = [role for role, caps in CAPABILITIES.items() if "tag" in caps]
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_(roles), User.disabled_at.is_(None), User.id != user.id)
            .order_by(User.display_name, User.id)
        )
    )


def eligible(consultation_id: int, coder_id: int) -> list[int]:
    """Contributions coded by someone, and never by the colleague, in a stable order."""
    by_coder = exists().where(
        Tag.contribution_id == Contribution.id,
        Tag.coder_id == coder_id,
        Tag.source.in_(CONFIRMED_SOURCES),
    )
    return list(
        db.session.scalars(
            select(Contribution.id)
            .where(
                Contribution.consultation_id == consultation_id,
                Contribution.status.in_(TAGGABLE),
                confirmed_tag_exists(),
                ~by_coder,
            )
            .order_by(Contribution.id)
        )
    )


def draw(candidates: list[int], size: int, seed: int) -> list[int]:
    """The seeded sample: the same candidates, size and seed always give the same sample."""
    return random.Random(seed).sample(sorted(candidates), min(size, len(candidates)))


def create(consultation_id: int, requester, coder: User, size: int, seed: int | None = None):
    """Ask a colleague to code a random sample blind."""
    if coder.id == requester.id:
        raise RoundError(_("Ask a colleague: you cannot second-code your own coding"))
    candidates = eligible(consultation_id, coder.id)
    if len(candidates) < 2:
        raise RoundError(_("At least two coded contributions are needed for a sample"))
    seed = secrets.randbelow(2_000_000_000) if seed is None else seed
    sample = draw(candidates, size, seed)
    coding_round = CodingRound(
        consultation_id=consultation_id,
        requested_by_id=requester.id,
        coder_id=coder.id,
        size=len(sample),
        seed=seed,
    )
    coding_round.items = [
        RoundItem(contribution_id=cid, position=n) for n, cid in enumerate(sample, start=1)
    ]
    db.session.add(coding_round)
    db.session.flush()
    record(
        "tagging.round_created",
        "consultation",
        consultation_id,
        actor=requester,
        round=coding_round.id,
        coder=coder.id,
        size=len(sample),
        seed=seed,
    )
    return coding_round


def item_codes(item: RoundItem) -> set[str]:
    return {
        code_key(t, h)
        for t, h in db.session.execute(
            select(RoundCode.term_id, RoundCode.theme_id).where(RoundCode.item_id == item.id)
        )
    }


def save_item(coding_round: CodingRound, item: RoundItem, keys: set[str], codebook: Codebook, user):
    """The colleague's codes for one sampled contribution (nothing ticked is an answer too)."""
    wanted = keys & codebook.active_keys
    existing = {
        code.key: code
        for code in db.session.scalars(select(RoundCode).where(RoundCode.item_id == item.id))
    }
    for key in existing.keys() - wanted:
        db.session.delete(existing[key])
    for key in sorted(wanted - existing.keys()):
        code = RoundCode(item_id=item.id)
        code.set_key(key)
        db.session.add(code)
    item.coded_at = utcnow()
    record(
        "tagging.second_coded",
        "contribution",
        item.contribution_id,
        actor=user,
        round=coding_round.id,
        keys=sorted(wanted),
    )
    db.session.flush()
    if coding_round.completed_at is None and all(i.coded_at for i in coding_round.items):
        coding_round.completed_at = utcnow()


@dataclass
class RoundReport:
    coded: int
    total: int
    rows: list[CodeAgreement]
    observed: float
    mean_kappa: float | None


def report(coding_round: CodingRound) -> RoundReport:
    """Agreement code by code over the items the colleague has coded (three queries)."""
    coded = [i for i in coding_round.items if i.coded_at is not None]
    ids = [i.contribution_id for i in coded]
    first: dict[int, set[str]] = defaultdict(set)
    for cid, t, h in db.session.execute(
        select(Tag.contribution_id, Tag.term_id, Tag.theme_id).where(
            Tag.contribution_id.in_(ids or [-1]),
            Tag.source.in_(CONFIRMED_SOURCES),
            (Tag.coder_id != coding_round.coder_id) | Tag.coder_id.is_(None),
        )
    ):
        first[cid].add(code_key(t, h))
    second: dict[int, set[str]] = defaultdict(set)
    for item_id, t, h in db.session.execute(
        select(RoundCode.item_id, RoundCode.term_id, RoundCode.theme_id).where(
            RoundCode.item_id.in_([i.id for i in coded] or [-1])
        )
    ):
        second[item_id].add(code_key(t, h))
    pairs = [(first[i.contribution_id], second[i.id]) for i in coded]
    rows = agreement_by_code(pairs)
    kappas = [r.kappa for r in rows if r.kappa is not None]
    return RoundReport(
        coded=len(coded),
        total=len(coding_round.items),
        rows=rows,
        observed=overall_observed(pairs, [r.key for r in rows]),
        mean_kappa=sum(kappas) / len(kappas) if kappas else None,
    )
