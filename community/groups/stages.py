"""Co-production stages: the allowed moves between them and what each allows, in one table."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .models import ProjectStage as S


@dataclass(frozen=True)
class Move:
    """Who makes a move, and what it must record."""

    by: str  # "leader" (the group's leader) or "officer"
    #: Fields the move needs: "mentor", "resources", "reasons", "outcome", "people_reached",
    #: "lessons". Each is stored on the project and shown with the dated update.
    needs: tuple[str, ...] = ()


#: Every allowed move. Anything not here is refused with a message naming the allowed ones.
TRANSITIONS: dict[tuple[S, S], Move] = {
    (S.DRAFT, S.PROPOSED): Move("leader"),
    (S.PROPOSED, S.CO_DESIGN): Move("officer", ("mentor",)),
    (S.PROPOSED, S.NOT_TAKEN_FORWARD): Move("officer", ("reasons",)),
    (S.CO_DESIGN, S.REVIEW): Move("officer"),
    (S.CO_DESIGN, S.NOT_TAKEN_FORWARD): Move("officer", ("reasons",)),
    (S.REVIEW, S.CO_DESIGN): Move("officer"),  # back for more co-design
    (S.REVIEW, S.APPROVED): Move("officer", ("resources",)),
    (S.REVIEW, S.NOT_TAKEN_FORWARD): Move("officer", ("reasons",)),
    (S.APPROVED, S.DELIVERING): Move("officer"),
    (S.DELIVERING, S.EVALUATED): Move("officer", ("outcome", "people_reached", "lessons")),
}

#: What each stage allows: change the proposal, the co-design thread, officers' updates.
STAGE_ALLOWS: dict[S, frozenset[str]] = {
    S.DRAFT: frozenset({"edit"}),
    #: The thread opens on submission, so the leader can talk to officers straight away.
    S.PROPOSED: frozenset({"message", "update"}),
    S.CO_DESIGN: frozenset({"message", "update"}),
    S.REVIEW: frozenset({"message", "update"}),
    S.APPROVED: frozenset({"message", "update"}),
    S.DELIVERING: frozenset({"message", "update"}),
    S.EVALUATED: frozenset({"update"}),
    S.NOT_TAKEN_FORWARD: frozenset({"update"}),
}


def move(from_stage: S, to_stage: S) -> Move | None:
    return TRANSITIONS.get((from_stage, to_stage))


def next_stages(stage: S, by: str = "officer") -> list[S]:
    """The stages a project may move to from ``stage``, in the order of the stages."""
    return [to for (frm, to), m in TRANSITIONS.items() if frm == stage and m.by == by]


def allows(stage: S, action: str) -> bool:
    return action in STAGE_ALLOWS[stage]


#: How each stage is named to people (in pages and mail).
STAGE_LABELS = {
    S.DRAFT: _l("Draft"),
    S.PROPOSED: _l("Proposed"),
    S.CO_DESIGN: _l("In co-design"),
    S.REVIEW: _l("Partnership review"),
    S.APPROVED: _l("Approved"),
    S.NOT_TAKEN_FORWARD: _l("Not taken forward"),
    S.DELIVERING: _l("Delivering"),
    S.EVALUATED: _l("Evaluated"),
}
