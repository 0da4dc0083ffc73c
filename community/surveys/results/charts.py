"""Horizontal bar charts as server-rendered SVG: no JavaScript, no inline styles.

Each chart is an image with a title and a description that says every figure in
words; labels and values are drawn as text, so nothing depends on colour. Bars
are sized by share of the people answering, never by the largest count, so a
withheld count cannot be read off the scale. Colours and fonts come from classes
(assets/scss/_charts.scss), with presentation attributes as a fallback; the CSP
allows no ``style`` attributes.
"""

from __future__ import annotations

from typing import Protocol

from flask_babel import gettext as _
from markupsafe import Markup

from ...i18n import text_direction

#: Height of one bar's row (label line and bar) in pixels.
ROW = 50
#: Widest bar, as a percentage of the chart's width (the rest holds the value).
MAX_WIDTH = 68.0
BAR_HEIGHT = 18
#: Longer labels are shortened in the chart; the table beside it has them in full.
LABEL_CHARACTERS = 70
BRAND = "#00625e"
TRACK = "#dde9e9"
TEXT = "#0b0c0c"


class _Bar(Protocol):
    label: str
    share: float | None
    text: str
    hidden: bool


class _Chart(Protocol):
    """What drawing a chart reads (read-only, so frozen dataclasses fit)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def bars(self) -> list: ...
    @property
    def base_text(self) -> str: ...


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def description(chart: _Chart) -> str:
    """Every figure in the chart as a sentence, for people who cannot see it."""
    figures = "; ".join(f"{bar.label}: {bar.text}" for bar in chart.bars)
    summary = getattr(chart, "summary", "")  # a chart of something other than answers
    if summary:
        return f"{figures}. {summary}"
    return _("%(figures)s. People answering: %(total)s.", figures=figures, total=chart.base_text)


_LABEL = Markup('<text class="cv-chart__label" x="{x}" y="{y}" fill="{fill}"{anchor}>{text}</text>')
_TRACK = Markup(
    '<rect class="cv-chart__track" x="{x}%" y="{y}" width="{width}%" height="{height}" '
    'fill="{fill}"/>'
)
_BAR = Markup(
    '<rect class="cv-chart__bar" x="{x}%" y="{y}" width="{width}%" height="{height}" '
    'fill="{fill}"/>'
)
_VALUE = Markup('<text class="{classes}" x="{x}%" y="{y}" fill="{fill}"{anchor}>{text}</text>')
#: Right to left (Arabic): labels start at the right and bars grow leftwards.
_END = Markup(' text-anchor="end"')
_SVG = Markup(
    '<svg xmlns="http://www.w3.org/2000/svg" class="cv-chart" width="100%" height="{height}" '
    'role="img" focusable="false" aria-labelledby="{id}-title {id}-desc">'
    '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{rows}</svg>'
)


def _row(index: int, bar: _Bar, rtl: bool = False) -> Markup:
    top = index * ROW
    label_y, bar_y, value_y = top + 18, top + 26, top + 26 + BAR_HEIGHT - 4
    width = 0.0 if bar.hidden or not bar.share else round(bar.share * MAX_WIDTH, 2)
    anchor = _END if rtl else ""
    parts = [
        _LABEL.format(
            x="100%" if rtl else "0", y=label_y, fill=TEXT, anchor=anchor, text=_short(bar.label)
        ),
        _TRACK.format(
            x=round(100 - MAX_WIDTH, 2) if rtl else 0,
            y=bar_y,
            width=MAX_WIDTH,
            height=BAR_HEIGHT,
            fill=TRACK,
        ),
    ]
    if width:
        x = round(100 - width, 2) if rtl else 0
        parts.append(_BAR.format(x=x, y=bar_y, width=width, height=BAR_HEIGHT, fill=BRAND))
    value_x = 1 if bar.hidden else round(width + 1, 2)
    # A withheld count is words in the empty track, not a bar.
    parts.append(
        _VALUE.format(
            classes="cv-chart__value cv-chart__value--withheld"
            if bar.hidden
            else "cv-chart__value",
            x=round(100 - value_x, 2) if rtl else value_x,
            y=value_y,
            fill=TEXT,
            anchor=anchor,
            text=bar.text,
        )
    )
    return Markup('<g class="cv-chart__row">{}</g>').format(Markup("").join(parts))


def bar_chart(chart: _Chart) -> Markup:
    """The chart as an accessible SVG image (``role="img"``, title and description)."""
    return _SVG.format(
        id=f"chart-{chart.id}",
        height=len(chart.bars) * ROW + 4,
        title=chart.title,
        desc=description(chart),
        rows=Markup("").join(
            _row(i, bar, text_direction() == "rtl") for i, bar in enumerate(chart.bars)
        ),
    )
