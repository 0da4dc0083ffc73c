"""Agreement between two coders: observed agreement and Cohen's kappa, as pure functions.

Kappa corrects observed agreement for the agreement two coders would reach by
chance, given how often each uses each category::

    kappa = (p_o - p_e) / (1 - p_e)
    p_o   = share of items both coders put in the same category
    p_e   = sum over categories of (share coder 1 used it) × (share coder 2 used it)

For tagging, each code is its own yes/no question per item, so agreement is
reported code by code. When chance agreement is certain (both coders gave every
item the same single category) kappa is 0/0: it is reported as not defined
(``None``) rather than as a number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass


def observed_agreement(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """The share of items on which the two coders agree (None for no items)."""
    _check(first, second)
    if not first:
        return None
    return sum(a == b for a, b in zip(first, second, strict=True)) / len(first)


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """Cohen's kappa for two coders' categories of the same items (None if not defined)."""
    _check(first, second)
    n = len(first)
    if n == 0:
        return None
    agree = sum(a == b for a, b in zip(first, second, strict=True))
    used_first, used_second = Counter(first), Counter(second)
    chance = sum(used_first[c] * used_second[c] for c in used_first)  # over n²
    if chance == n * n:
        return None
    # (agree/n - chance/n²) / (1 - chance/n²), kept in integers until the end.
    return (agree * n - chance) / (n * n - chance)


def _check(first: Sequence, second: Sequence) -> None:
    if len(first) != len(second):
        raise ValueError("both coders must code the same items")


@dataclass(frozen=True)
class CodeAgreement:
    """How two coders agree on one code over the same items."""

    key: str
    n: int
    both: int
    first_only: int
    second_only: int
    neither: int
    observed: float | None
    kappa: float | None


def code_agreement(key: str, items: Sequence[tuple[set[str], set[str]]]) -> CodeAgreement:
    """Agreement on ``key``, given each item's codes from the first and the second coder."""
    first = [key in a for a, _ in items]
    second = [key in b for _, b in items]
    pairs = Counter(zip(first, second, strict=True))
    return CodeAgreement(
        key=key,
        n=len(items),
        both=pairs[True, True],
        first_only=pairs[True, False],
        second_only=pairs[False, True],
        neither=pairs[False, False],
        observed=observed_agreement(first, second),
        kappa=cohen_kappa(first, second),
    )


def agreement_by_code(
    items: Sequence[tuple[set[str], set[str]]], keys: Iterable[str] | None = None
) -> list[CodeAgreement]:
    """One row per code either coder used (or per given key), in key order."""
    if keys is None:
        keys = {k for a, b in items for k in a | b}
    return [code_agreement(key, items) for key in sorted(keys)]


def overall_observed(items: Sequence[tuple[set[str], set[str]]], keys: Iterable[str]) -> float:
    """Agreement over every (item, code) decision, for a one-number summary."""
    keys = list(keys)
    decisions = len(items) * len(keys)
    if not decisions:
        return 0.0
    same = sum((k in a) == (k in b) for a, b in items for k in keys)
    return same / decisions
