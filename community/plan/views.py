"""Public pages: the plan, outcomes (we asked, you said, we did), and what happened to mine."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..accounts.permissions import can
from ..consultations import service as consultations
from ..consultations.models import Consultation, Phase
from ..contributions.models import Contribution, ContributionStatus
from ..extensions import db
from ..failures import attempt
from ..framework.models import active_terms_query
from ..pagination import paginate
from . import evidence as figures
from . import outcomes as closing
from . import service
from .findings import findings_for
from .forms import RESPONSE_LABELS, STATUS_LABELS
from .models import EvidenceKind, Finding, FindingEvidence, FindingResponse, PlanAction
from .participation import participation

bp = Blueprint("plan", __name__)


def public_link(contribution: Contribution) -> str | None:
    """Where the public can read a contribution in its own place, if it has one."""
    if contribution.kind == "idea":
        return url_for("ideas.show", board_id=contribution.board_id, idea_id=contribution.id)
    if contribution.kind == "project":
        return url_for("groups.project", project_id=contribution.id)
    if contribution.kind == "statement":
        return url_for("conversations.show", conversation_id=contribution.conversation_id)
    return None


def _actions_behind(action_id: int | None = None) -> dict[int, list[Finding]]:
    """Published findings answered by each action (or one): "what residents said behind this"."""
    stmt = (
        select(FindingResponse.action_id, Finding)
        .join(Finding, Finding.id == FindingResponse.finding_id)
        .where(FindingResponse.action_id.is_not(None), Finding.published_at.is_not(None))
        .order_by(Finding.published_at.desc())
    )
    if action_id is not None:
        stmt = stmt.where(FindingResponse.action_id == action_id)
    rows = db.session.execute(stmt).all()
    behind: defaultdict[int, list[Finding]] = defaultdict(list)
    for behind_id, finding in rows:
        if behind_id is not None:  # the query keeps only answered findings
            behind[behind_id].append(finding)
    return behind


@bp.app_template_global()
def findings_citing(contribution) -> list[Finding]:
    """Published findings that cite a contribution (for its own page: "used in findings")."""
    if contribution is None or getattr(contribution, "id", None) is None:
        return []
    return list(
        db.session.scalars(
            select(Finding)
            .join(FindingEvidence, FindingEvidence.finding_id == Finding.id)
            .where(
                FindingEvidence.contribution_id == contribution.id,
                Finding.published_at.is_not(None),
            )
            .order_by(Finding.published_at)
        ).unique()
    )


@bp.route("/plan/")
def index():
    """The partnership plan: priorities, actions, their status, and the voices behind them."""
    plan = service.current_plan()
    return render_template(
        "plan/index.html",
        plan=plan,
        behind=_actions_behind(),
        only_overdue=request.args.get("overdue") == "yes",
        status_labels=STATUS_LABELS,
        can_manage=can(current_user, "update_plan_actions"),
    )


@bp.route("/plan/actions/<int:action_id>")
def action(action_id: int):
    """One action: who leads it, progress updates, and what residents said behind it."""
    item = db.get_or_404(PlanAction, action_id)
    return render_template(
        "plan/action.html",
        action=item,
        findings=_actions_behind(item.id).get(item.id, []),
        status_labels=STATUS_LABELS,
        can_edit=service.can_edit_action(current_user, item),
    )


@bp.route("/outcomes/")
def outcomes():
    """Every published outcome, filterable by issue and ward."""
    issue = request.args.get("issue", "")
    ward = request.args.get("ward", "")
    page = paginate(
        consultations.public_query(phase=Phase.OUTCOME.value, issue=issue, ward=ward),
        per_page=20,
    )
    return render_template(
        "plan/outcomes.html",
        page=page,
        issue=issue,
        ward=ward,
        issues=db.session.scalars(active_terms_query("issue")).all(),
        wards=db.session.scalars(active_terms_query("area")).all(),
    )


def _load_outcome(slug: str) -> Consultation:
    consultation = consultations.get_by_slug(slug)
    if consultation is None:
        abort(404)
    published = consultation.phase == Phase.OUTCOME
    if not published and not can(current_user, "manage_consultations"):
        abort(404)
    return consultation


@bp.route("/consultations/<slug>/outcome")
def outcome(slug: str):
    """We asked, you said, we did (officers may preview it before it is published)."""
    consultation = _load_outcome(slug)
    published = consultation.phase == Phase.OUTCOME
    findings = findings_for(consultation.id, published_only=published)
    cache = figures.Cache()
    shown = [(f, *figures.finding_figures(f, cache)) for f in findings]
    mine: set[int] = set()
    if current_user.is_authenticated:
        used_contributions, used_responses = figures.findings_using(current_user.id)
        for _thing, used in [*used_contributions, *used_responses]:
            mine.update(f.id for f in used)
    return render_template(
        "plan/outcome.html",
        consultation=consultation,
        published=published,
        findings=shown,
        took_part=participation(consultation, public=not can(current_user, "analyse")),
        response_labels=RESPONSE_LABELS,
        status_labels=STATUS_LABELS,
        mine=mine,
        public_link=public_link,
        kinds=EvidenceKind,
    )


@bp.route("/consultations/<slug>/outcome/evidence/<int:evidence_id>")
def evidence(slug: str, evidence_id: int):
    """What people said behind one piece of evidence: the contributions it counted."""
    consultation = _load_outcome(slug)
    item = db.session.get(FindingEvidence, evidence_id)
    if item is None or item.finding.consultation_id != consultation.id:
        abort(404)
    if not item.finding.is_published and not can(current_user, "manage_consultations"):
        abort(404)
    numbers = figures.figures(item)
    ids = numbers.get("ids", [])
    if item.kind == EvidenceKind.CONTRIBUTION:
        ids = [item.contribution_id]
    # Only what is still public: a contribution hidden or withdrawn since is not shown.
    contributions = (
        db.session.scalars(
            select(Contribution)
            .where(Contribution.id.in_(ids), Contribution.status == ContributionStatus.PUBLISHED)
            .order_by(Contribution.created_at)
        ).all()
        if ids
        else []
    )
    return render_template(
        "plan/evidence.html",
        consultation=consultation,
        evidence=item,
        numbers=numbers,
        contributions=contributions,
        withdrawn=len(ids) - len(contributions),
        public_link=public_link,
        kinds=EvidenceKind,
    )


@bp.route("/account/what-happened")
@login_required
def my_contributions():
    """What happened to what I said: my contributions and responses, and the findings using them."""
    contributions, responses = figures.findings_using(current_user.id)
    return render_template(
        "plan/mine.html",
        contributions=contributions,
        responses=responses,
        response_labels=RESPONSE_LABELS,
        status_labels=STATUS_LABELS,
        public_link=public_link,
    )


@bp.route("/outcomes/stop/<token>")
def stop_hearing_back(token: str):
    """One click from the outcome mail: no more news about that consultation."""
    consultation = attempt(lambda: closing.stop_hearing_back(token)).value
    if consultation is None:
        abort(404)
    return render_template("plan/stopped.html", consultation=consultation)
