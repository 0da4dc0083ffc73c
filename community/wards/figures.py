"""The figures the pages map: who took part, how much people agree, what to follow.

Each function returns a ``WardMap`` ready for the ``ward_map`` macro. They take
figures already suppressed for the public by their own pages (participation rows,
group shares that hide small groups), so the map never shows more than the table
it sits beside.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from ..consultations.models import Consultation, Phase, consultation_terms
from ..extensions import db
from ..framework.models import Term, Vocabulary
from .service import Figure, WardMap, build


def _codes_by_name() -> dict[str, str]:
    stmt = select(Term.name, Term.code).join(Vocabulary).where(Vocabulary.code == "area")
    return dict(db.session.execute(stmt).all())


def participation_map(map_id: str, rows, *, limit: int = 5) -> WardMap:
    """Survey responses by ward (``plan.participation`` rows: a label and a Cell)."""
    codes = _codes_by_name()
    figures = {}
    for row in rows:
        code = codes.get(row.label)
        if code is None:
            continue
        if row.cell.suppressed:
            text = (
                _("fewer than %(n)s", n=limit)
                if row.cell.reason in ("small", "group")
                else _("not shown")
            )
            figures[code] = Figure(None, text)
        else:
            figures[code] = Figure(row.cell.count, f"{row.cell.count:,}")
    return build(
        map_id,
        figures,
        title=_("Who answered the surveys, by ward"),
        value_heading=_("Responses"),
    )


def agreement_map(map_id: str, items) -> WardMap:
    """Share of agreement answers that agreed, by ward, over every item given.

    Items' group shares already leave out wards too small to show, so a ward appears
    only where its answers are published on the consultations' own pages.
    """
    agree: dict[str, int] = {}
    answered: dict[str, int] = {}
    for item in items:
        for group in item.groups:
            if group.n:
                agree[group.key] = agree.get(group.key, 0) + group.agree
                answered[group.key] = answered.get(group.key, 0) + group.n
    figures = {
        code: Figure(
            100 * agree[code] / n,
            ngettext(
                "%(pct)s%% of %(num)d", "%(pct)s%% of %(num)d", n, pct=round(100 * agree[code] / n)
            ),
        )
        for code, n in answered.items()
    }
    return build(
        map_id,
        figures,
        title=_("Agreement by ward, across the plan's surveys"),
        value_heading=_("Answers that agreed"),
        fmt=lambda v: f"{v:.0f}%",
    )


def follow_map(map_id: str) -> WardMap:
    """Published consultations about each ward; each ward links to its list and follow button."""
    counts = dict(
        db.session.execute(
            select(Term.code, func.count(Consultation.id))
            .join(consultation_terms, consultation_terms.c.term_id == Term.id)
            .join(Consultation, Consultation.id == consultation_terms.c.consultation_id)
            .where(Consultation.phase != Phase.DRAFT.value)
            .group_by(Term.code)
        ).all()
    )
    figures = {
        code: Figure(n, ngettext("%(num)d consultation", "%(num)d consultations", n))
        for code, n in counts.items()
    }
    return build(
        map_id,
        figures,
        title=_("Choose a ward to see and follow its consultations"),
        value_heading=_("Consultations about the ward"),
        href=lambda code: url_for("consultations.index", ward=code, _anchor="follow"),
        link_text=_("see and follow"),
    )
