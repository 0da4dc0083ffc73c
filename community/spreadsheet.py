"""One rule for every cell we write to a CSV or spreadsheet: no formulas.

Why one place: each export (survey responses, tagging, the evidence matrix, open
data, "your data", the Pol.is export) writes text people typed, and a spreadsheet
opening ``=HYPERLINK(...)`` runs it. Every exporter calls ``neutralise`` (or a
writer built on it), and a test checks every export route for a live formula.
Pure Python, no Flask: the consensus maths may use it too.
"""

from __future__ import annotations

import re
from typing import Any

#: A cell starting with one of these is a formula to a spreadsheet (tab and carriage
#: return too: some programs strip them and then read what follows).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A plain number ("-3", "+44", "2.5") is not a formula, so it is left alone.
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
#: Control characters a spreadsheet cell cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE,
#: written out so that openpyxl is imported only when a workbook is made).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def neutralise(value: Any) -> Any:
    """Prefix a would-be formula with a quote, so a spreadsheet shows it as text."""
    if isinstance(value, str) and is_live_formula(value):
        return "'" + value
    return value


def is_live_formula(cell: str) -> bool:
    """What a test looks for: a cell a spreadsheet would run."""
    return cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell)
