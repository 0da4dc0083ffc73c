"""The trend of an issue or principle as a bar chart (the survey results' accessible SVG)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from ..surveys.results.charts import bar_chart


@dataclass
class _Bar:
    label: str
    share: float
    text: str
    hidden: bool = False


@dataclass
class _Chart:
    id: str
    title: str
    bars: list[_Bar]
    summary: str
    base_text: str = ""


def _voice(cell) -> str:
    responses = ngettext("%(num)d response", "%(num)d responses", cell.responses)
    contributions = ngettext("%(num)d contribution", "%(num)d contributions", cell.contributions)
    return _("%(responses)s, %(contributions)s", responses=responses, contributions=contributions)


def trend_chart(trend) -> Markup:
    """One bar per quarter: survey responses and contributions together, as a share of the
    busiest quarter; the words say both numbers, and the table beside it says everything."""
    busiest = max((c.responses + c.contributions for c in trend.totals.values()), default=0)
    bars = [
        _Bar(
            label=quarter.label,
            share=(cell.responses + cell.contributions) / busiest if busiest else 0.0,
            text=_voice(cell),
        )
        for quarter, cell in trend.totals.items()
    ]
    chart = _Chart(
        id=f"trend-{trend.term.code}",
        title=_("Community voice on %(term)s, by quarter", term=trend.term.name),
        bars=bars,
        summary=_(
            "Bars are as long as the quarter’s responses and contributions together, "
            "against the busiest quarter."
        ),
    )
    return bar_chart(chart)
