"""Calendar quarters: how the consensus views group time (January to March is quarter 1)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l

_NAMES = {
    1: _l("January to March %(year)d"),
    2: _l("April to June %(year)d"),
    3: _l("July to September %(year)d"),
    4: _l("October to December %(year)d"),
}
_KEY = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1 to 4

    @classmethod
    def of(cls, when: datetime) -> Quarter:
        when = when.astimezone(UTC)
        return cls(when.year, (when.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, key: str | None) -> Quarter | None:
        """``"2026-Q1"`` (as in links) to a quarter; None for anything else."""
        match = _KEY.match((key or "").strip())
        return cls(int(match.group(1)), int(match.group(2))) if match else None

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return str(_NAMES[self.number]) % {"year": self.year}

    @property
    def start(self) -> datetime:
        return datetime(self.year, 3 * self.number - 2, 1, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """The first moment after the quarter."""
        following = self.next()
        return datetime(following.year, 3 * following.number - 2, 1, tzinfo=UTC)

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def contains(self, when: datetime | None) -> bool:
        return when is not None and Quarter.of(when) == self


def span(first: Quarter, last: Quarter) -> list[Quarter]:
    """Every quarter from ``first`` to ``last``, so quiet quarters show as zero, not as gaps."""
    quarters, current = [], first
    while current <= last:
        quarters.append(current)
        current = current.next()
    return quarters
