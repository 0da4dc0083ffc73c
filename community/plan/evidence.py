"""The figures behind a finding: computed live while it is a draft, frozen on publication.

A theme or framework term counts the published contributions to the consultation
tagged with it; a survey item gives how many answered, the share agreeing and the
group-informed consensus across wards; a conversation statement its votes and
consensus; an idea its supporters. Frozen figures are what the public sees, so a
finding's claim never moves when later responses arrive.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from ..contributions.models import Contribution, ContributionStatus
from ..extensions import db
from ..surveys.models import Answer, Response, ResponseStatus, Section, Survey
from ..tagging.models import Tag
from .models import EvidenceKind, Finding, FindingEvidence


@dataclass
class Cache:
    totals: dict[int, int] = field(default_factory=dict)
    consensus: dict[int, dict] = field(default_factory=dict)


def _published_total(consultation_id: int, cache: Cache) -> int:
    if consultation_id not in cache.totals:
        cache.totals[consultation_id] = (
            db.session.scalar(
                select(func.count(Contribution.id)).where(
                    Contribution.consultation_id == consultation_id,
                    Contribution.status == ContributionStatus.PUBLISHED,
                )
            )
            or 0
        )
    return cache.totals[consultation_id]


def tagged_ids(consultation_id: int, *, theme_id=None, term_id=None) -> list[int]:
    """Published contributions to the consultation carrying the theme or term."""
    stmt = (
        select(Tag.contribution_id)
        .join(Contribution, Contribution.id == Tag.contribution_id)
        .where(
            Contribution.consultation_id == consultation_id,
            Contribution.status == ContributionStatus.PUBLISHED,
        )
    )
    stmt = stmt.where(Tag.theme_id == theme_id) if theme_id else stmt.where(Tag.term_id == term_id)
    return sorted(set(db.session.scalars(stmt)))


def _survey_items(survey_id: int, cache: Cache) -> dict:
    if survey_id not in cache.consensus:
        from ..insights.service import survey_consensus

        survey = db.session.get_one(Survey, survey_id)
        cache.consensus[survey_id] = {item.key: item for item in survey_consensus(survey, "ward")}
    return cache.consensus[survey_id]


def _question_figures(evidence: FindingEvidence, cache: Cache) -> dict:
    question = evidence.question
    survey_id = db.session.scalars(
        select(Section.survey_id).where(Section.id == question.section_id)
    ).one()
    key = (
        f"q{question.id}"
        if evidence.item_index is None
        else f"q{question.id}_{evidence.item_index}"
    )
    item = _survey_items(survey_id, cache).get(key)
    if item is None:  # not an agreement item: how many answered
        answered = db.session.scalar(
            select(func.count(Answer.id))
            .join(Response, Response.id == Answer.response_id)
            .where(Answer.question_id == question.id, Response.status == ResponseStatus.SUBMITTED)
        )
        return {"answered": answered}
    return {
        "answered": item.overall.n,
        "agree": item.overall.agree,
        "agree_share": round(item.overall.share, 4),
        "consensus": round(item.consensus, 4) if item.consensus is not None else None,
        "groups": len(item.groups),
    }


def _contribution_figures(contribution: Contribution) -> dict:
    figures: dict = {"kind": contribution.kind}
    if contribution.kind == "idea":
        figures["supporters"] = contribution.support_count
    elif contribution.kind == "statement":
        results = (contribution.conversation.results or {}).get("statements", {})
        stats = results.get(str(contribution.id))
        if stats:
            figures.update(
                votes=stats["votes"],
                agree=stats["agree"],
                agree_share=round(stats["agree_share"], 4),
                consensus=round(stats["consensus_agree"], 4)
                if stats.get("consensus_agree") is not None
                else None,
                groups=len(contribution.conversation.results.get("groups", {})),
            )
    return figures


def live(evidence: FindingEvidence, cache: Cache | None = None) -> dict:
    cache = cache or Cache()
    consultation_id = evidence.finding.consultation_id
    if evidence.kind in (EvidenceKind.THEME, EvidenceKind.TERM):
        ids = tagged_ids(consultation_id, theme_id=evidence.theme_id, term_id=evidence.term_id)
        total = _published_total(consultation_id, cache)
        return {
            "contributions": len(ids),
            "of": total,
            "share": round(len(ids) / total, 4) if total else 0.0,
            "ids": ids,
        }
    if evidence.kind == EvidenceKind.QUESTION:
        return _question_figures(evidence, cache)
    return _contribution_figures(evidence.contribution)


def figures(evidence: FindingEvidence, cache: Cache | None = None) -> dict:
    """What to show: the frozen figures once published, else the live ones."""
    return evidence.frozen if evidence.frozen is not None else live(evidence, cache)


def totals(finding: Finding, per_evidence: list[dict]) -> dict:
    contributions: set[int] = set()
    answered = 0
    for evidence, numbers in zip(finding.evidence, per_evidence, strict=True):
        if evidence.kind == EvidenceKind.CONTRIBUTION:
            contributions.add(evidence.contribution_id)
        contributions.update(numbers.get("ids", []))
        answered = max(answered, numbers.get("answered", 0))
    return {
        "contributions": len(contributions),
        "answered": answered,
        "evidence": len(finding.evidence),
    }


def finding_figures(finding: Finding, cache: Cache | None = None) -> tuple[dict, list[dict]]:
    cache = cache or Cache()
    per = [figures(e, cache) for e in finding.evidence]
    if finding.is_published and finding.figures:
        return finding.figures, per
    return totals(finding, per), per


def freeze(finding: Finding, when: datetime) -> None:
    """Publish a finding: store its figures as they are now."""
    cache = Cache()
    per = []
    for evidence in finding.evidence:
        evidence.frozen = live(evidence, cache)
        per.append(evidence.frozen)
    finding.figures = totals(finding, per)
    finding.published_at = when


# --- what happened to what I said -------------------------------------------------------


def findings_using(
    user_id: int,
) -> tuple[list[tuple[Contribution, list[Finding]]], list[tuple[Response, list[Finding]]]]:
    """The published findings that rest on a person's contributions and survey answers.

    A finding uses a contribution when it cites it, or cites a theme or term it was
    tagged with in the same consultation; it uses a survey response when it cites a
    question the response answered.
    """
    contributions = list(
        db.session.scalars(
            select(Contribution)
            .where(Contribution.author_id == user_id)
            .order_by(Contribution.created_at.desc(), Contribution.id.desc())
        )
    )
    responses = list(
        db.session.scalars(
            select(Response)
            .where(Response.user_id == user_id, Response.status == ResponseStatus.SUBMITTED)
            .order_by(Response.submitted_at.desc())
        )
    )
    consultation_ids = {c.consultation_id for c in contributions if c.consultation_id}
    survey_consultation = (
        dict(
            db.session.execute(
                select(Survey.id, Survey.consultation_id).where(
                    Survey.id.in_([r.survey_id for r in responses])
                )
            ).all()
        )
        if responses
        else {}
    )
    consultation_ids |= set(survey_consultation.values())
    findings = (
        list(
            db.session.scalars(
                select(Finding)
                .where(
                    Finding.consultation_id.in_(consultation_ids),
                    Finding.published_at.is_not(None),
                )
                .order_by(Finding.position)
            )
        )
        if consultation_ids
        else []
    )
    tags = defaultdict(set)
    for contribution_id, theme_id, term_id in db.session.execute(
        select(Tag.contribution_id, Tag.theme_id, Tag.term_id).where(
            Tag.contribution_id.in_([c.id for c in contributions])
        )
    ):
        tags[contribution_id].add(("theme", theme_id) if theme_id else ("term", term_id))
    answered = defaultdict(set)
    if responses:
        for response_id, question_id in db.session.execute(
            select(Answer.response_id, Answer.question_id).where(
                Answer.response_id.in_([r.id for r in responses])
            )
        ):
            answered[response_id].add(question_id)

    def uses_contribution(finding: Finding, contribution: Contribution) -> bool:
        if finding.consultation_id != contribution.consultation_id:
            return False
        for evidence in finding.evidence:
            if evidence.contribution_id == contribution.id:
                return True
            key = ("theme", evidence.theme_id) if evidence.theme_id else ("term", evidence.term_id)
            if (
                evidence.kind in (EvidenceKind.THEME, EvidenceKind.TERM)
                and key in tags[contribution.id]
            ):
                return True
        return False

    def uses_response(finding: Finding, response: Response) -> bool:
        if finding.consultation_id != survey_consultation.get(response.survey_id):
            return False
        return any(
            e.kind == EvidenceKind.QUESTION and e.question_id in answered[response.id]
            for e in finding.evidence
        )

    return (
        [(c, [f for f in findings if uses_contribution(f, c)]) for c in contributions],
        [(r, [f for f in findings if uses_response(f, r)]) for r in responses],
    )
