"""A closed consultation's aggregate results as open data, with small numbers suppressed.

One dataset per consultation (JSON, and the same figures as a tidy CSV): survey
question counts exactly as the public results page shows them (the same disclosure
rules, so the two never disagree), agreement across wards (a table with totals, so
the secondary suppression of ``suppression.suppress_table`` applies), conversation
statements' votes, and the published findings with the plan actions responding to
them. A suppressed count is ``null`` (an empty cell in the CSV): never a number that
could be told apart from a real one.

Only consultations that are closed (or have published their outcome) and whose
results are public have open data.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from .. import disclosure
from ..consultations.models import Audience, Consultation, Phase
from ..contributions.models import ContributionStatus
from ..conversations.models import Statement
from ..extensions import db
from ..insights import service as insights
from ..insights.cache import figures as figure_cache
from ..models_base import utcnow
from ..surveys.results import counts as results
from ..surveys.results import page as results_page
from . import suppression

#: Phases whose results may be published as open data.
OPEN_PHASES = (Phase.CLOSED, Phase.OUTCOME)


def available(consultation: Consultation) -> bool:
    """Closed (or outcome published) with public results."""
    return consultation.phase in OPEN_PHASES and consultation.results_public


def available_query():
    """Consultations with open data, the most recently closed first."""
    return (
        select(Consultation)
        .where(
            Consultation.phase.in_([p.value for p in OPEN_PHASES]),
            Consultation.results_public.is_(True),
        )
        .order_by(Consultation.closes_at.desc(), Consultation.id.desc())
    )


def licence() -> dict:
    config = current_app.config
    return {"name": config["OPEN_DATA_LICENCE_NAME"], "url": config["OPEN_DATA_LICENCE_URL"]}


def attribution() -> str:
    config = current_app.config
    return config["OPEN_DATA_ATTRIBUTION"] or _(
        "Contains public sector information from %(partnership)s (%(service)s), licensed "
        "under the %(licence)s.",
        partnership=config["PARTNERSHIP_NAME"],
        service=config["SERVICE_NAME"],
        licence=config["OPEN_DATA_LICENCE_NAME"],
    )


def limit_for(consultation: Consultation) -> int:
    return disclosure.threshold(youth=consultation.audience == Audience.YOUTH)


def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def shown(cell: disclosure.Cell) -> int | None:
    """A count as published: None when suppressed."""
    return None if cell.suppressed else cell.count


def consultation_summary(consultation: Consultation) -> dict:
    return {
        "slug": consultation.slug,
        "title": consultation.title,
        "summary": consultation.summary,
        "phase": consultation.phase.value
        if isinstance(consultation.phase, Phase)
        else str(consultation.phase),
        "opens_at": iso(consultation.opens_at),
        "closes_at": iso(consultation.closes_at),
        "outcome_published_at": iso(consultation.outcome_published_at),
        "results_public": consultation.results_public,
        "terms": [
            {"vocabulary": t.vocabulary.code, "code": t.code, "name": t.name}
            for t in consultation.terms
        ],
        "url": url_for("consultations.show", slug=consultation.slug, _external=True),
    }


def suppression_note(limit: int) -> dict:
    return {
        "threshold": limit,
        "youth_threshold": disclosure.YOUTH_THRESHOLD,
        "note": _(
            "Counts from 1 to %(n)s are not published (1 to %(y)s for young people), and "
            "further counts are withheld where they would let a withheld count be worked "
            "out from the totals. A withheld count is null.",
            n=limit - 1,
            y=disclosure.YOUTH_THRESHOLD - 1,
        ),
    }


def dataset(consultation: Consultation) -> dict:
    """Everything published about a consultation's results, suppressed."""
    limit = limit_for(consultation)
    return {
        "consultation": consultation_summary(consultation),
        "publisher": current_app.config["PARTNERSHIP_NAME"],
        "licence": licence(),
        "attribution": attribution(),
        "generated_at": iso(utcnow()),
        "suppression": suppression_note(limit),
        "surveys": survey_results(consultation),
        "survey_consensus": survey_consensus(consultation),
        "conversations": conversations(consultation),
        "findings": findings(consultation),
    }


# --- surveys -------------------------------------------------------------------------


def _options(chart: results.Chart) -> list[dict]:
    return [{"label": bar.label, "count": shown(bar.cell)} for bar in chart.bars]


def survey_results(consultation: Consultation) -> list[dict]:
    """Each survey's questions, counted as the public results page counts them.

    Kept in the process under the same fingerprint as the results page (the survey's
    results version, the questions' wording, the language), so a popular survey's API
    answer and downloads read its answers once, not per request; the figures are the
    results page's own (cached the same way), and only a question with statistics
    reads its answers again, grouped by the database."""
    surveys = []
    for survey in consultation.surveys:
        answerable = [q for q in survey.questions if q.type.takes_answer]
        key = (
            "open-data-survey",
            str(db.engine.url),
            survey.id,
            str(get_locale()),
            results_page.fingerprint(survey),
            results_page.structure(answerable),
        )
        surveys.append(figure_cache.get(key, lambda survey=survey: _survey(survey)))
    return surveys


def _survey(survey) -> dict:
    summary = results_page.figures(survey, public=True)
    return {
        "id": survey.id,
        "title": survey.title,
        "responses": shown(summary.responses),
        "questions": [_question(q, survey.id) for q in summary.questions],
    }


def _question(result: results.QuestionResult, survey_id: int) -> dict:
    question = result.question
    item: dict[str, Any] = {
        "id": question.id,
        "number": result.number,
        "text": question.text,
        "kind": question.kind,
        "answered": shown(result.answered),
        "options": [],
        "statements": [],
        "summary": None,
        "ranking": [],
        "withheld": result.withheld,
    }
    if question.kind == "matrix":
        # Each statement's options chart, then its agreement chart (left out: its sums
        # are the options' sums and are hidden with them).
        for chart in result.charts[::2]:
            item["statements"].append(
                {"text": chart.title, "answered": shown(chart.base), "options": _options(chart)}
            )
    elif result.charts:
        item["options"] = _options(result.charts[0])
    aggregate = None
    if result.stats or result.ranking:
        values = results_page.answer_values(survey_id, question.id)
        aggregate = question.type.aggregate(question, values)
    if result.stats and question.kind == "scale":
        item["summary"] = {
            "mean": round(aggregate["mean"], 2),
            "median": None,
            "lowest": None,
            "highest": None,
        }
    elif result.stats and question.kind == "number":
        item["summary"] = {
            "mean": round(aggregate["mean"], 2),
            "median": aggregate["median"],
            "lowest": aggregate["min"],
            "highest": aggregate["max"],
        }
    if result.ranking:
        item["ranking"] = [
            {"label": row["label"], "mean_position": round(row["mean_position"], 2)}
            for row in aggregate["mean_positions"]
        ]
    return item


# --- agreement across wards ----------------------------------------------------------

AGREEMENT = ("agree", "neutral", "disagree")


def survey_consensus(consultation: Consultation) -> list[dict]:
    """Agreement items by ward, as a table with totals suppressed as a whole."""
    limit = limit_for(consultation)
    items = []
    for survey in consultation.surveys:
        for item in insights.survey_consensus(survey, "ward"):
            items.append(_consensus_item(survey.id, item, limit))
    return items


def _counts(share: insights.GroupShare) -> list[int]:
    return [share.agree, share.neutral, share.disagree]


def _consensus_item(survey_id: int, item: insights.Item, limit: int) -> dict:
    overall = _counts(item.overall)
    rows = [_counts(g) for g in item.groups]
    # Everyone not in a group large enough to show: the table's last row, so that the
    # overall figures less the groups' cannot give it away.
    other = [total - sum(row[i] for row in rows) for i, total in enumerate(overall)]
    table = suppression.suppress_table([*rows, other], limit)
    names = [g.name for g in item.groups] + [_("Other wards, or ward not given")]
    groups = []
    for index, name in enumerate(names):
        cells = table.cells[index]
        groups.append(
            {
                "name": name,
                "is_other": index == len(names) - 1,
                "people": shown(table.row_totals[index]),
                **{key: shown(cell) for key, cell in zip(AGREEMENT, cells, strict=True)},
            }
        )
    return {
        "survey_id": survey_id,
        "question_id": item.question_id,
        "key": item.key,
        "text": item.text,
        "grouping": "ward",
        "people": shown(table.total),
        **{
            key: shown(cell) for key, cell in zip(AGREEMENT, table.column_totals or [], strict=True)
        },
        "group_consensus": round(item.consensus, 4) if item.consensus is not None else None,
        "groups": groups,
    }


# --- conversations -------------------------------------------------------------------


def conversations(consultation: Consultation) -> list[dict]:
    """Each conversation's published statements with their votes (stored results)."""
    limit = limit_for(consultation)
    found = []
    for conversation in consultation.conversations:
        stored = conversation.results or {}
        published = {
            s.id: s.body
            for s in db.session.scalars(
                select(Statement)
                .where(
                    Statement.conversation_id == conversation.id,
                    Statement.status == ContributionStatus.PUBLISHED,
                )
                .order_by(Statement.id)
            )
        }
        statements = []
        for sid, body in published.items():
            figures = stored.get("statements", {}).get(str(sid))
            if figures is None:
                continue
            public = disclosure.statement_votes(figures, limit)
            share = public["agree_share"]
            consensus = public["consensus_agree"]
            statements.append(
                {
                    "id": sid,
                    "text": body,
                    "votes": public["votes"],
                    "agree": public["agree"],
                    "disagree": public["disagree"],
                    "pass": public["pass"],
                    "agree_share": None if share is None else round(share, 4),
                    "group_consensus": None if consensus is None else round(consensus, 4),
                }
            )
        found.append(
            {
                "id": conversation.id,
                "question": conversation.question,
                "attribution": conversation.attribution,
                "participants": shown(disclosure.shown_total(stored.get("participants", 0), limit)),
                "computed_at": iso(conversation.results_computed_at),
                "statements": statements,
            }
        )
    return found


# --- findings and the plan's response ------------------------------------------------


def findings(consultation: Consultation) -> list[dict]:
    """Published findings ("you said") and what the partnership did ("we did").

    Their frozen evidence figures are left out: they are counts of contributions that
    the outcome page publishes through its own suppression, not repeated here.
    """
    from ..plan.models import Finding

    found = db.session.scalars(
        select(Finding)
        .where(Finding.consultation_id == consultation.id, Finding.published_at.is_not(None))
        .order_by(Finding.position, Finding.id)
    )
    return [finding_item(f) for f in found]


def finding_item(finding) -> dict:
    response = finding.response
    return {
        "id": finding.id,
        "consultation": finding.consultation.slug,
        "statement": finding.statement,
        "published_at": iso(finding.published_at),
        "terms": [
            {"vocabulary": t.vocabulary.code, "code": t.code, "name": t.name} for t in finding.terms
        ],
        "response": None
        if response is None
        else {
            "kind": response.kind.value,
            "explanation": response.explanation,
            "action": action_item(response.action) if response.action else None,
        },
    }


def action_item(action) -> dict:
    """A plan action as published (the lead organisation, not the officer's name)."""
    return {
        "id": action.id,
        "reference": action.reference,
        "title": action.title,
        "description": action.description,
        "priority": {
            "id": action.priority.id,
            "number": action.priority.number,
            "title": action.priority.title,
        },
        "lead_organisation": action.lead_organisation.value,
        "status": action.status.value,
        "progress": action.progress,
        "starts_on": action.starts_on.isoformat() if action.starts_on else None,
        "due_on": action.due_on.isoformat() if action.due_on else None,
        "url": url_for("plan.action", action_id=action.id, _external=True),
    }
