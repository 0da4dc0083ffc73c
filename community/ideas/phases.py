"""What each phase of an idea board allows, in one table."""

from __future__ import annotations

from .models import BoardPhase

BOARD_ALLOWS: dict[BoardPhase, set[str]] = {
    BoardPhase.COLLECTING: {"post", "edit", "support", "comment"},
    BoardPhase.SUPPORTING: {"support", "comment"},
    BoardPhase.REVIEW: {"comment"},
    BoardPhase.OUTCOME: set(),
}


def board_allows(board, action: str) -> bool:
    """The board's phase allows it, and its consultation (if any) is open."""
    if board.consultation is not None and board.consultation.phase != "open":
        return False
    return action in BOARD_ALLOWS[board.phase]
