"""What each phase of a consultation allows, declared in one table."""

from __future__ import annotations

from .models import Phase

#: For each phase: may people respond (surveys), comment, vote, and who sees results.
#: "staff" means officers and analysts only; "public" means everyone when the
#: consultation says results are public.
PHASE_ALLOWS: dict[Phase, dict[str, object]] = {
    Phase.DRAFT: {"respond": False, "comment": False, "vote": False, "results": "staff"},
    Phase.SCHEDULED: {"respond": False, "comment": False, "vote": False, "results": "staff"},
    Phase.OPEN: {"respond": True, "comment": True, "vote": True, "results": "staff"},
    Phase.CLOSED: {"respond": False, "comment": False, "vote": False, "results": "public"},
    Phase.OUTCOME: {"respond": False, "comment": False, "vote": False, "results": "public"},
}


def allows(phase: Phase, action: str) -> object:
    return PHASE_ALLOWS[phase][action]
