"""The partnership plan: loading it, its priorities and actions, and their updates.

Findings, their evidence and the responses to them are in ``findings.py``; publishing
an outcome is in ``outcomes.py``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..accounts.models import Organisation
from ..accounts.permissions import can
from ..audit.service import record
from ..extensions import db
from ..failures import ServiceError
from ..framework.models import Term, Vocabulary
from .models import (
    ActionStatus,
    ActionUpdate,
    Plan,
    PlanAction,
    Priority,
)


class PlanError(ServiceError):
    """A change the rules do not allow; the message is for the person."""


# --- the plan ------------------------------------------------------------------------


def terms_by_ids(ids: list[int]) -> list[Term]:
    return list(db.session.scalars(select(Term).where(Term.id.in_(ids)))) if ids else []


def current_plan() -> Plan | None:
    return db.session.scalar(select(Plan).order_by(Plan.period.desc()).limit(1))


def _terms_by_code() -> dict[tuple[str, str], Term]:
    rows = db.session.execute(select(Vocabulary.code, Term).join(Term.vocabulary)).all()
    return {(vocab, term.code): term for vocab, term in rows}


def seed_plan(path: str | Path) -> bool:
    """Load the plan from a TOML file unless a plan for its period exists. True if loaded.

    Like the framework seed it never overwrites: once loaded, the plan is edited in
    the app by officers and partners.
    """
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    plan_data = data["plan"]
    if db.session.scalar(select(Plan.id).where(Plan.period == plan_data["period"])):
        return False
    terms = _terms_by_code()
    plan = Plan(title=plan_data["title"], period=plan_data["period"], summary=plan_data["summary"])
    db.session.add(plan)
    for p_index, item in enumerate(data.get("priority", [])):
        priority = Priority(
            plan=plan, title=item["title"], summary=item.get("summary", ""), position=p_index
        )
        priority.terms = [
            terms[tuple(code.split(":", 1))]
            for code in item.get("terms", [])
            if tuple(code.split(":", 1)) in terms
        ]
        db.session.add(priority)
        for a_index, action in enumerate(item.get("action", [])):
            db.session.add(
                PlanAction(
                    priority=priority,
                    position=a_index,
                    title=action["title"],
                    description=action.get("description", ""),
                    lead_organisation=Organisation(action["lead"]),
                    lead_officer_name=action.get("lead_officer", ""),
                    starts_on=action.get("starts"),
                    due_on=action.get("due"),
                    status=ActionStatus(action.get("status", "planned")),
                    progress=action.get("progress", 0),
                )
            )
    db.session.flush()
    return True


def can_edit_action(user, action: PlanAction) -> bool:
    """Officers edit every action; a partner edits the actions their organisation leads."""
    if can(user, "manage_plan"):
        return True
    return (
        can(user, "update_plan_actions")
        and user.organisation is not None
        and user.organisation == action.lead_organisation
    )


@dataclass
class ActionData:
    title: str
    description: str
    lead_organisation: Organisation
    lead_officer_name: str = ""
    starts_on: date | None = None
    due_on: date | None = None
    status: ActionStatus = ActionStatus.PLANNED
    progress: int = 0


def _check_dates(data: ActionData) -> None:
    if data.starts_on and data.due_on and data.due_on < data.starts_on:
        raise PlanError(_("The due date must be on or after the start date"))
    if not 0 <= data.progress <= 100:
        raise PlanError(_("Progress must be from 0 to 100"))


def create_action(priority: Priority, data: ActionData, user) -> PlanAction:
    _check_dates(data)
    position = db.session.scalar(
        select(func.count(PlanAction.id)).where(PlanAction.priority_id == priority.id)
    )
    action = PlanAction(priority=priority, position=position, **vars(data))
    db.session.add(action)
    db.session.flush()
    record("plan.action_created", "plan_action", action.id, actor=user)
    return action


def edit_action(action: PlanAction, data: ActionData, user) -> None:
    _check_dates(data)
    changed = {k: v for k, v in vars(data).items() if getattr(action, k) != v}
    for key, value in changed.items():
        setattr(action, key, value)
    record("plan.action_edited", "plan_action", action.id, actor=user, fields=sorted(changed))


def add_update(
    action: PlanAction, body: str, status: ActionStatus, progress: int, user
) -> ActionUpdate:
    """A dated progress update; the action takes its status and progress."""
    if not body.strip():
        raise PlanError(_("Say what has happened"))
    if not 0 <= progress <= 100:
        raise PlanError(_("Progress must be from 0 to 100"))
    update_row = ActionUpdate(
        action=action, body=body.strip(), status=status, progress=progress, author_id=user.id
    )
    action.status, action.progress = status, progress
    db.session.add(update_row)
    db.session.flush()
    record(
        "plan.action_updated",
        "plan_action",
        action.id,
        actor=user,
        status=status.value,
        progress=progress,
    )
    return update_row


def create_priority(plan: Plan, title: str, summary: str, terms: list[Term], user) -> Priority:
    position = db.session.scalar(select(func.count(Priority.id)).where(Priority.plan_id == plan.id))
    priority = Priority(plan=plan, title=title, summary=summary, position=position)
    priority.terms = terms
    db.session.add(priority)
    db.session.flush()
    record("plan.priority_created", "plan_priority", priority.id, actor=user)
    return priority


def edit_priority(priority: Priority, title: str, summary: str, terms: list[Term], user) -> None:
    priority.title, priority.summary, priority.terms = title, summary, terms
    record("plan.priority_edited", "plan_priority", priority.id, actor=user)
