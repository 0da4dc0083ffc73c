"""What the API returns: plain dicts built from the same services the pages use.

Who may read what (decided here, documented in the README and the OpenAPI document):

- Open data needs no token: the consultation list and pages, questions, the
  framework, published findings, plan actions, and the results and consensus of
  consultations whose results are public (closed, results public). Calls without a
  token have a lower rate limit (per address) than calls with one (per token).
- The analysis scope adds the consultations shared with the token's organisation
  (their results and consensus before they are public), every consultation's themes
  and framework tag counts when shared, and partner figures. Figures are suppressed
  the same way for everyone: nothing the API returns is a count below the threshold.
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import false, func, select
from sqlalchemy.orm import selectinload

from .. import disclosure
from ..consultations.models import Consultation, Phase
from ..contributions.models import Contribution, ContributionStatus
from ..extensions import db
from ..framework.models import Term, Vocabulary
from ..opendata import service as opendata
from ..partners import service as partners
from ..tagging.models import Tag, Theme
from .models import ApiToken, TokenScope


def _url(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=True, **values)


def public_consultations():
    """Every consultation that is not a draft, newest first, with the terms it lists."""
    return (
        select(Consultation)
        .options(selectinload(Consultation.terms).joinedload(Term.vocabulary))
        .where(Consultation.phase != Phase.DRAFT.value)
        .order_by(Consultation.opens_at.desc(), Consultation.id.desc())
    )


def shared_with(token: ApiToken | None, consultation: Consultation, shared: set | None = None):
    """Whether an analysis token's organisation has had this consultation shared with it."""
    if token is None or not token.scope.covers(TokenScope.ANALYSIS):
        return False
    if shared is not None:
        return consultation.id in shared
    return partners.is_shared_with(consultation, token.organisation)


def shared_ids(token: ApiToken | None) -> set[int]:
    """The consultations shared with the token's organisation (one query)."""
    from ..partners.models import ConsultationShare

    if token is None or token.organisation is None:
        return set()
    return set(
        db.session.scalars(
            select(ConsultationShare.consultation_id).where(
                ConsultationShare.organisation == token.organisation
            )
        )
    )


def consultation_item(
    consultation: Consultation, token: ApiToken | None, shared: set | None = None
) -> dict:
    slug = consultation.slug
    is_open = opendata.available(consultation)
    return {
        **opendata.consultation_summary(consultation),
        "open_data": is_open,
        "shared_with_you": shared_with(token, consultation, shared),
        "links": {
            "self": _url("api.consultation", slug=slug),
            "questions": _url("api.questions", slug=slug),
            "results": _url("api.results", slug=slug),
            "consensus": _url("api.consensus", slug=slug),
            "tags": _url("api.tags", slug=slug),
            "open_data_json": _url("opendata.dataset_json", slug=slug) if is_open else None,
            "open_data_csv": _url("opendata.dataset_csv", slug=slug) if is_open else None,
        },
    }


def questions(consultation: Consultation) -> list[dict]:
    items = []
    for survey in consultation.surveys:
        number = 0
        for section in survey.sections:
            for question in section.questions:
                if not question.type.takes_answer:
                    continue
                number += 1
                options = question.options or {}
                items.append(
                    {
                        "id": question.id,
                        "survey_id": survey.id,
                        "survey_title": survey.title,
                        "section": section.title,
                        "number": number,
                        "text": question.text,
                        "kind": question.kind,
                        "required": bool(question.required),
                        "help_text": question.help_text or "",
                        "choices": [str(c) for c in options.get("choices", [])],
                        "statements": [str(s) for s in options.get("statements", [])],
                    }
                )
    return items


def results(consultation: Consultation) -> dict:
    limit = opendata.limit_for(consultation)
    return {
        "consultation": consultation.slug,
        "licence": opendata.licence(),
        "attribution": opendata.attribution(),
        "suppression": opendata.suppression_note(limit),
        "surveys": opendata.survey_results(consultation),
        "findings": opendata.findings(consultation),
    }


def consensus(consultation: Consultation) -> dict:
    limit = opendata.limit_for(consultation)
    return {
        "consultation": consultation.slug,
        "suppression": opendata.suppression_note(limit),
        "survey_consensus": opendata.survey_consensus(consultation),
        "conversations": opendata.conversations(consultation),
    }


def _count(value: int, limit: int) -> int | None:
    """A count as the API publishes it (community.disclosure): None when withheld."""
    return opendata.shown(disclosure.count(value, limit=limit))


def tags(consultation: Consultation) -> dict:
    """Published contributions tagged to each framework term and consultation theme.

    A contribution can carry many tags, so the counts add up to nothing published and
    only small counts are withheld.
    """
    limit = opendata.limit_for(consultation)
    published = (
        Contribution.consultation_id == consultation.id,
        Contribution.status == ContributionStatus.PUBLISHED,
    )
    term_counts = db.session.execute(
        select(
            Vocabulary.code, Term.code, Term.name, func.count(func.distinct(Tag.contribution_id))
        )
        .join(Term, Term.id == Tag.term_id)
        .join(Vocabulary, Vocabulary.id == Term.vocabulary_id)
        .join(Contribution, Contribution.id == Tag.contribution_id)
        .where(*published)
        .group_by(Vocabulary.code, Term.code, Term.name)
        .order_by(Vocabulary.code, Term.code)
    ).all()
    theme_counts = dict(
        db.session.execute(
            select(Tag.theme_id, func.count(func.distinct(Tag.contribution_id)))
            .join(Contribution, Contribution.id == Tag.contribution_id)
            .where(*published, Tag.theme_id.is_not(None))
            .group_by(Tag.theme_id)
        ).all()
    )
    themes = db.session.scalars(
        select(Theme)
        .where(Theme.consultation_id == consultation.id, Theme.retired_at.is_(None))
        .order_by(Theme.position, Theme.id)
    ).all()
    return {
        "consultation": consultation.slug,
        "suppression": opendata.suppression_note(limit),
        "framework": [
            {"vocabulary": vocabulary, "code": code, "name": name, "count": _count(n, limit)}
            for vocabulary, code, name, n in term_counts
        ],
        "themes": [
            {
                "code": theme.code,
                "name": theme.name,
                "description": theme.description,
                "count": _count(theme_counts.get(theme.id, 0), limit),
                "terms": [t.code for t in theme.terms],
            }
            for theme in themes
        ],
    }


def framework() -> list[dict]:
    vocabularies = db.session.scalars(select(Vocabulary).order_by(Vocabulary.position)).all()
    terms = db.session.scalars(
        select(Term).where(Term.retired_at.is_(None)).order_by(Term.position, Term.id)
    ).all()
    by_vocabulary: dict[int, list] = {}
    for term in terms:
        by_vocabulary.setdefault(term.vocabulary_id, []).append(
            {"code": term.code, "name": term.name, "description": term.description}
        )
    return [
        {
            "code": v.code,
            "name": v.name,
            "description": v.description,
            "terms": by_vocabulary.get(v.id, []),
        }
        for v in vocabularies
    ]


def findings_query(slug: str | None):
    from ..plan.models import Finding

    stmt = (
        select(Finding)
        .join(Consultation, Consultation.id == Finding.consultation_id)
        .where(Finding.published_at.is_not(None))
        .order_by(Finding.published_at.desc(), Finding.id)
    )
    if slug:
        # NUL cannot be in a slug (and PostgreSQL refuses it in text): nothing matches.
        stmt = stmt.where(Consultation.slug == slug if "\x00" not in slug else false())
    return stmt


def actions_query():
    from ..plan.models import PlanAction, Priority

    return (
        select(PlanAction)
        .join(Priority, Priority.id == PlanAction.priority_id)
        .order_by(Priority.plan_id.desc(), Priority.position, PlanAction.position, PlanAction.id)
    )


def term_id(code: str | None, vocabulary: str) -> int | None:
    """A term's id from its code (None when not given); -1 when no such term."""
    if not code:
        return None
    if "\x00" in code:
        return -1
    found = db.session.scalar(
        select(Term.id).join(Vocabulary).where(Vocabulary.code == vocabulary, Term.code == code)
    )
    return -1 if found is None else found


def partner_figure_item(figure: partners.PublishedFigure) -> dict:
    return {
        "id": figure.id,
        "organisation": figure.organisation.value,
        "agreement": {
            "name": figure.agreement_name,
            "reference": figure.agreement_reference,
            "signed_on": figure.agreement_signed_on.isoformat(),
        },
        "issue": {"code": figure.issue_code, "name": figure.issue_name},
        "ward": None
        if figure.ward_code is None
        else {"code": figure.ward_code, "name": figure.ward_name},
        "measure": figure.measure,
        "period_start": figure.period_start.isoformat(),
        "period_end": figure.period_end.isoformat(),
        "value": figure.value,
        "counts_youth": figure.counts_youth,
    }
