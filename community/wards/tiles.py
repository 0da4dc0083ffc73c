"""The tile map: one equal square per ward, placed to follow the borough roughly.

North (Tudor, Kingston Gate) at the top, the Thames on the west, New Malden and
Motspur Park to the east, down to Chessington South & Malden Rushett at the foot.
Another deployment replaces ``LAYOUT`` with its own areas (a ward missing from it
is listed in the table only). Pure data and geometry: no Flask, no database.
"""

from __future__ import annotations

#: Ward code (the ``area`` term's code) -> (column, row) on the grid.
LAYOUT: dict[str, tuple[int, int]] = {
    "tudor": (0, 0),
    "kingston-gate": (1, 0),
    "canbury-gardens": (0, 1),
    "coombe-hill": (1, 1),
    "kingston-town": (0, 2),
    "norbiton": (1, 2),
    "coombe-vale": (2, 2),
    "st-marks-and-seething-wells": (0, 3),
    "surbiton-hill": (1, 3),
    "new-malden-village": (2, 3),
    "berrylands": (1, 4),
    "green-lane-and-st-james": (2, 4),
    "motspur-park-and-old-malden-east": (3, 4),
    "tolworth": (0, 5),
    "alexandra": (1, 5),
    "old-malden": (2, 5),
    "hook-and-chessington-north": (0, 6),
    "king-georges-and-sunray": (1, 6),
    "chessington-south-and-malden-rushett": (0, 7),
}

#: Short labels in up to two lines, so each fits its tile (full names are in the table).
LABELS: dict[str, tuple[str, ...]] = {
    "tudor": ("Tudor",),
    "kingston-gate": ("Kingston", "Gate"),
    "canbury-gardens": ("Canbury", "Gardens"),
    "coombe-hill": ("Coombe Hill",),
    "kingston-town": ("Kingston", "Town"),
    "norbiton": ("Norbiton",),
    "coombe-vale": ("Coombe Vale",),
    "st-marks-and-seething-wells": ("St Mark's &", "Seething W."),
    "surbiton-hill": ("Surbiton", "Hill"),
    "new-malden-village": ("New Malden", "Village"),
    "berrylands": ("Berrylands",),
    "green-lane-and-st-james": ("Green Lane", "& St James"),
    "motspur-park-and-old-malden-east": ("Motspur Pk &", "Old Malden E"),
    "tolworth": ("Tolworth",),
    "alexandra": ("Alexandra",),
    "old-malden": ("Old Malden",),
    "hook-and-chessington-north": ("Hook & Chess.", "North"),
    "king-georges-and-sunray": ("King George's", "& Sunray"),
    "chessington-south-and-malden-rushett": ("Chessington S", "& M. Rushett"),
}

TILE = 110  # the side of one tile, in SVG units
GAP = 6


def size() -> tuple[int, int]:
    """Width and height of the whole grid in SVG units."""
    cols = max(c for c, _ in LAYOUT.values()) + 1
    rows = max(r for _, r in LAYOUT.values()) + 1
    return cols * TILE, rows * TILE


def position(code: str) -> tuple[int, int] | None:
    """The top-left corner of a ward's tile, or None if it has no place on the grid."""
    if code not in LAYOUT:
        return None
    col, row = LAYOUT[code]
    return col * TILE + GAP // 2, row * TILE + GAP // 2


def label(code: str, name: str) -> tuple[str, ...]:
    return LABELS.get(code, (name,))
