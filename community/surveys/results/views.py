"""Survey results: the public page, analysts' cross-tabulation and spreadsheet downloads."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, make_response, render_template, request
from flask_login import current_user

from ...accounts.permissions import can, requires
from ...audit.service import record
from ...consultations import permissions as consultation_permissions
from ...extensions import db, login_manager
from ...failures import attempt
from ..models import Survey
from . import counts as results
from . import crosstab, exports
from . import page as results_page

bp = Blueprint("survey_results", __name__, url_prefix="/surveys")


def load_survey(survey_id: int) -> Survey:
    """The survey, or 404 if it does not exist or its consultation is a draft you cannot see."""
    survey = db.session.get(Survey, survey_id)
    if survey is None or not consultation_permissions.can_view(current_user, survey.consultation):
        abort(404)
    return survey


@bp.route("/<int:survey_id>/results")
def show(survey_id: int):
    """Counts, charts and published free text; analysts see true counts and every answer."""
    survey = load_survey(survey_id)
    if not consultation_permissions.can_see_results(current_user, survey.consultation):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return render_template("surveys/results/not_public.html", survey=survey), 403
    analyst = can(current_user, "analyse")
    # Analysts can look at the page exactly as the public sees it.
    public = not analyst or request.args.get("view") == "public"
    summary = results_page.figures(survey, public=public)
    more = {}
    for result in summary.questions:
        result.texts, more[result.question.id] = results_page.texts(survey, result, public=public)
    return render_template(
        "surveys/results/show.html", survey=survey, results=summary, analyst=analyst, more=more
    )


@bp.route("/<int:survey_id>/results/questions/<int:question_id>/answers")
def answers(survey_id: int, question_id: int):
    """Every written answer to one question, a page at a time, newest first."""
    survey = load_survey(survey_id)
    if not consultation_permissions.can_see_results(current_user, survey.consultation):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return render_template("surveys/results/not_public.html", survey=survey), 403
    public = not can(current_user, "analyse") or request.args.get("view") == "public"
    summary = results_page.figures(survey, public=public)
    result = next((r for r in summary.questions if r.question.id == question_id), None)
    if result is None or not results_page.has_texts(result.question):
        abort(404)
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404)
    per_page = results_page.TEXTS_PER_PAGE
    texts, more = results_page.texts(
        survey, result, public=public, offset=(page - 1) * per_page, limit=per_page
    )
    if page > 1 and not texts:
        abort(404)
    return render_template(
        "surveys/results/answers.html",
        survey=survey,
        result=result,
        texts=texts,
        page=page,
        more=more,
        public=public,
        first=(page - 1) * per_page + 1,
    )


@bp.route("/<int:survey_id>/results/crosstab")
@requires("analyse")
def crosstab_page(survey_id: int):
    """Pick a question and a breakdown (ward, age band, any "about you" answer)."""
    survey = load_survey(survey_id)
    questions = crosstab.questions(survey)
    breakdowns = crosstab.breakdowns(survey)
    question = next((q for q in questions if str(q.id) == request.args.get("question")), None)
    breakdown = next((b for b in breakdowns if b.key == request.args.get("by")), None)
    table = None
    if question is not None and breakdown is not None:
        data = results.load(survey, about_you=breakdown.key.startswith("about:"))
        table = crosstab.crosstab(survey, data, question, breakdown)
    return render_template(
        "surveys/results/crosstab.html",
        survey=survey,
        questions=questions,
        breakdowns=breakdowns,
        question=question,
        breakdown=breakdown,
        table=table,
    )


def _download(survey: Survey, extension: str):
    made = exports.download(
        survey, extension, include_about_you=exports.can_see_about_you(current_user)
    )
    attempt(
        partial(
            record,
            "survey.exported",
            "survey",
            survey.id,
            format=extension,
            responses=made.responses,
            about_you=made.about_you,
        )
    )
    response = make_response(made.body)
    response.mimetype = made.mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    # Personal answers: never kept by a browser or a proxy.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:survey_id>/results/export.csv")
@requires("analyse")
def export_csv(survey_id: int):
    """Every submitted response as CSV (audited)."""
    return _download(load_survey(survey_id), "csv")


@bp.route("/<int:survey_id>/results/export.xlsx")
@requires("analyse")
def export_xlsx(survey_id: int):
    """Every submitted response as an Excel workbook (audited)."""
    return _download(load_survey(survey_id), "xlsx")
