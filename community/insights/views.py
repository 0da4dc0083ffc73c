"""Consensus views: per consultation (surveys and conversations), across the partnership,
per issue or principle over time, and (for analysts) the responses behind a number."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accounts.permissions import can, requires
from ..consultations import permissions as consultation_permissions
from ..consultations.models import Consultation, Phase
from ..consultations.service import get_by_slug
from ..extensions import db
from ..framework.models import Term, Vocabulary, active_terms_query
from ..surveys.models import Survey
from ..surveys.structure import with_sections
from ..wards.figures import agreement_map
from . import answers, charts, service, trends
from .quarters import Quarter

bp = Blueprint("insights", __name__)

GROUPING_LABELS = {"ward": "Ward", "age_band": "Age band", "respondent": "Respondent type"}
TREND_VOCABULARIES = ("issue", "principle")


def _links() -> dict[str, bool]:
    """Which numbers lead on to the answers behind them: analysts see responses, people
    who tag or analyse see contributions; everyone else sees the figures alone."""
    return {
        "answers": can(current_user, "analyse"),
        "contributions": can(current_user, "tag") or can(current_user, "analyse"),
    }


def _consultation_or_404(slug: str) -> Consultation:
    consultation = get_by_slug(slug)
    if consultation is None or not consultation_permissions.can_view(current_user, consultation):
        abort(404)
    if not consultation_permissions.can_see_results(current_user, consultation):
        abort(403)
    return consultation


@bp.route("/consultations/<slug>/consensus")
def consultation(slug: str):
    """Where people agree and where groups divide, for every survey item in a consultation."""
    consultation = _consultation_or_404(slug)
    grouping = request.args.get("grouping", "ward")
    if grouping not in service.GROUPINGS:
        grouping = "ward"
    figures = service.figures_for(list(consultation.surveys), grouping)
    return render_template(
        "insights/consultation.html",
        consultation=consultation,
        surveys=[(survey, figures[survey.id].items) for survey in consultation.surveys],
        withheld={
            (survey.id, item.key): service.withheld_groups(item)
            for survey in consultation.surveys
            for item in figures[survey.id].items
        }
        if not can(current_user, "analyse")
        else {},
        grouping=grouping,
        grouping_labels={k: _(v) for k, v in GROUPING_LABELS.items()},
        min_group=service.MIN_GROUP,
        min_youth=service.MIN_YOUTH_GROUP,
        links=_links(),
        not_shown=service.NOT_SHOWN,
    )


@bp.route("/consultations/<slug>/consensus/answers")
@requires("analyse")
def answers_list(slug: str):
    """The responses behind a number: an item, a vote, a group, a quarter (analysts)."""
    consultation = _consultation_or_404(slug)
    filters = answers.AnswerFilters.from_args(request.args)
    try:
        listing = answers.listing(
            consultation, filters, per_page=current_app.config["ITEMS_PER_PAGE"]
        )
    except answers.BadFilter:
        abort(404)
    return render_template(
        "insights/answers.html",
        consultation=consultation,
        filters=filters,
        page=listing,
        summary=_summary(filters, listing),
        can_tag=can(current_user, "tag"),
    )


VOTE_LABELS = {
    "agree": _l("Agree"),
    "disagree": _l("Disagree"),
    "neutral": _l("Neither agree nor disagree"),
}


def _summary(filters: answers.AnswerFilters, listing: answers.Listing) -> list[dict]:
    """What the list is narrowed to, as summary list rows."""
    rows = []

    def add(key: str, value: str) -> None:
        rows.append({"key": {"text": key}, "value": {"text": value}})

    if len(listing.surveys) == 1:
        add(_("Survey"), listing.surveys[0].title)
    if listing.item_text:
        add(_("Question"), listing.item_text)
    if filters.vote:
        add(_("Answer"), str(VOTE_LABELS[filters.vote]))
    if filters.group:
        add(
            _(GROUPING_LABELS[filters.grouping]),
            service.group_label(filters.grouping, filters.group),
        )
    if listing.quarter:
        add(_("Sent in"), listing.quarter.label)
    return rows


def _visible_consultations() -> list[Consultation]:
    """Consultations with results the viewer may see, with their surveys and terms (the
    surveys' sections and questions from the process's copy: ``surveys/structure.py``)."""
    consultations = db.session.scalars(
        select(Consultation)
        .where(Consultation.phase.in_([Phase.CLOSED.value, Phase.OUTCOME.value, Phase.OPEN.value]))
        .options(
            selectinload(Consultation.terms),
            selectinload(Consultation.surveys).lazyload(Survey.sections),
        )
        .order_by(Consultation.closes_at, Consultation.id)
    ).all()
    for consultation in consultations:
        for survey in consultation.surveys:
            with_sections(survey)
    return [c for c in consultations if consultation_permissions.can_see_results(current_user, c)]


def _figures(consultations: list[Consultation]) -> dict[int, service.SurveyFigures]:
    return service.figures_for([s for c in consultations for s in c.surveys], "ward")


@bp.route("/consensus/")
def partnership():
    """Across consultations: per issue and principle, how much evidence, how much agreement,
    and how both changed over time."""
    visible = _visible_consultations()
    issues = db.session.scalars(active_terms_query("issue")).all()
    principles = db.session.scalars(active_terms_query("principle")).all()
    figures = _figures(visible)
    cells = {}
    for consultation in visible:
        items = [item for survey in consultation.surveys for item in figures[survey.id].items]
        codes = {t.code for t in consultation.terms}
        for issue in issues:
            for principle in principles:
                if issue.code in codes and principle.code in codes:
                    cell = cells.setdefault(
                        (issue.code, principle.code), {"consultations": [], "items": []}
                    )
                    cell["consultations"].append((consultation, len(items)))
                    cell["items"].extend(items)
    over_time = trends.term_trends(visible, [*issues, *principles], figures)
    return render_template(
        "insights/partnership.html",
        issues=issues,
        principles=principles,
        cells=cells,
        issue_trends=[over_time[t.code] for t in issues if t.code in over_time],
        principle_trends=[over_time[t.code] for t in principles if t.code in over_time],
        ward_agreement=agreement_map(
            "agreement-wards",
            [item for c in visible for survey in c.surveys for item in figures[survey.id].items],
        ),
    )


@bp.route("/consensus/terms/<code>")
def term(code: str):
    """One issue or principle over time: every quarter, and the consultations behind it."""
    term = db.session.scalar(
        select(Term)
        .join(Vocabulary)
        .where(Term.code == code, Vocabulary.code.in_(TREND_VOCABULARIES))
    )
    if term is None:
        abort(404)
    visible = _visible_consultations()
    trend = trends.term_trends(visible, [term], _figures(visible)).get(term.code)
    return render_template(
        "insights/term.html",
        term=term,
        trend=trend,
        chart=charts.trend_chart(trend) if trend else None,
        links=_links(),
    )


def quarter_label(key: str) -> str:
    quarter = Quarter.parse(key)
    return quarter.label if quarter else ""


bp.add_app_template_filter(quarter_label, "quarter_label")
