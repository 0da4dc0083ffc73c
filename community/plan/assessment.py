"""The strategic assessment's tables: findings, their evidence figures, and actions.

One table each, as header and rows, for the partnership's spreadsheet and CSV exports
(`plan/partnership_views.py`). Every figure passes through ``community.disclosure``:
a withheld figure is an empty cell, as in the open data.
"""

from __future__ import annotations

from sqlalchemy import select

from .. import disclosure
from ..consultations.models import Audience
from ..extensions import db
from .forms import RESPONSE_LABELS, STATUS_LABELS
from .models import Finding, FindingEvidence, PlanAction

Table = tuple[list[str], list[list]]

FINDING_HEADER = [
    "finding",
    "consultation",
    "statement",
    "terms",
    "published",
    "contributions",
    "answered",
    "evidence items",
    "response",
    "explanation",
    "action",
    "action status",
]
EVIDENCE_HEADER = [
    "finding",
    "kind",
    "evidence",
    "contributions",
    "answered",
    "share agreeing",
    "consensus",
    "groups",
    "supporters",
    "votes",
]
ACTION_HEADER = [
    "action",
    "priority",
    "title",
    "lead organisation",
    "lead officer",
    "starts",
    "due",
    "status",
    "progress %",
    "findings behind it",
]


def tables() -> dict[str, Table]:
    """Every table of the assessment, by the name its sheet and CSV file take."""
    findings = db.session.scalars(
        select(Finding).where(Finding.published_at.is_not(None)).order_by(Finding.published_at)
    ).all()
    return {
        "findings": (FINDING_HEADER, [_finding_row(f) for f in findings]),
        "evidence": (
            EVIDENCE_HEADER,
            [_evidence_row(f, e) for f in findings for e in f.evidence],
        ),
        "actions": (ACTION_HEADER, _action_rows(findings)),
    }


def _shown(value):
    """A withheld figure (``community.disclosure``) is an empty cell."""
    return "" if value is None or value == disclosure.SMALL else value


def _youth(finding: Finding) -> bool:
    return finding.consultation.audience == Audience.YOUTH


def _finding_row(f: Finding) -> list:
    totals = disclosure.public_figures(f.figures, youth=_youth(f))
    response = f.response
    action = response.action if response and response.action_id else None
    return [
        f.id,
        f.consultation.title,
        f.statement,
        "; ".join(t.name for t in f.terms),
        f.published_at.date().isoformat() if f.published_at else "",
        _shown(totals.get("contributions", 0)),
        _shown(totals.get("answered", 0)),
        f.figures.get("evidence", 0),
        str(RESPONSE_LABELS[response.kind]) if response else "",
        response.explanation if response else "",
        action.reference if action else "",
        str(STATUS_LABELS[action.status]) if action else "",
    ]


def _evidence_target(e: FindingEvidence) -> str:
    return (
        (e.theme.name if e.theme else "")
        or (e.term.name if e.term else "")
        or (e.question.text if e.question else "")
        or (f"#{e.contribution_id}" if e.contribution_id else "")
    )


def _evidence_row(f: Finding, e: FindingEvidence) -> list:
    frozen = disclosure.public_figures(e.frozen or {}, youth=_youth(f))
    return [
        f.id,
        e.kind.value,
        _evidence_target(e),
        *(
            _shown(frozen.get(key, ""))
            for key in (
                "contributions",
                "answered",
                "agree_share",
                "consensus",
                "groups",
                "supporters",
                "votes",
            )
        ),
    ]


def _action_rows(findings) -> list[list]:
    behind: dict[int, int] = {}
    for f in findings:
        if f.response and f.response.action_id:
            behind[f.response.action_id] = behind.get(f.response.action_id, 0) + 1
    actions = db.session.scalars(select(PlanAction)).all()
    return [
        [
            a.reference,
            a.priority.title,
            a.title,
            a.lead_organisation.label,
            a.lead_officer_name,
            a.starts_on.isoformat() if a.starts_on else "",
            a.due_on.isoformat() if a.due_on else "",
            str(STATUS_LABELS[a.status]),
            a.progress,
            behind.get(a.id, 0),
        ]
        for a in sorted(actions, key=lambda a: (a.priority.position, a.position))
    ]
