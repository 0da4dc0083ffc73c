"""The partner API: read-only JSON under /api/v1/, described by /api/v1/openapi.json.

Tokens come in ``Authorization: Bearer <token>``; no cookies are read or set. Every
call is logged (token, route, status, time), and rate-limited per token, or per
address for calls without one. Every 200 carries an ETag; If-None-Match gives 304.
"""

from __future__ import annotations

import time
from functools import wraps

from flask import Blueprint, current_app, g, jsonify, redirect, request, url_for
from flask_limiter.util import get_remote_address

from ..consultations.models import Consultation, Phase
from ..consultations.service import get_by_slug
from ..extensions import csrf, limiter
from ..models_base import utcnow
from ..opendata import service as opendata
from ..pagination import paginate_select
from ..partners import service as partners
from . import calls, openapi, service
from .models import TokenScope
from .tokens import Presented, from_header

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

MAX_PER_PAGE = 100


# --- who is calling ------------------------------------------------------------------


def presented() -> Presented:
    """The token in this request's Authorization header (looked up once per request)."""
    if "api_presented" not in g:
        g.api_presented = from_header(request.headers.get("Authorization"))
    return g.api_presented


def _token():
    return presented().token


def _rate_key() -> str:
    token = _token()
    if token is not None:
        return f"api-token:{token.id}"
    return f"api-address:{get_remote_address() or 'unknown'}"


limiter.limit(
    lambda: current_app.config["API_RATE_LIMIT"],
    key_func=_rate_key,
    exempt_when=lambda: _token() is None,
    scope="api-token",
)(bp)
limiter.limit(
    lambda: current_app.config["API_ANONYMOUS_RATE_LIMIT"],
    key_func=_rate_key,
    exempt_when=lambda: _token() is not None,
    scope="api-anonymous",
)(bp)


def error(status: int, code: str, message: str, headers: dict | None = None):
    response = jsonify({"error": {"status": status, "code": code, "message": message}})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _unauthorised(message: str):
    return error(
        401,
        "unauthorised",
        message,
        {"WWW-Authenticate": 'Bearer realm="api", error="invalid_token"'},
    )


def _unknown_parameters() -> list[str]:
    """Query parameters the OpenAPI document does not declare for this operation."""
    if request.url_rule is None:
        return []
    path = request.url_rule.rule.removeprefix(bp.url_prefix).replace("<", "{").replace(">", "}")
    allowed = openapi.query_parameters(path or "/")
    return sorted(set(request.args) - allowed)


@bp.before_request
def _authenticate():
    g.api_started = time.perf_counter()
    found = presented()
    if found.given and not found.valid:
        return _unauthorised("The token is not valid: unknown, expired or revoked.")
    unknown = _unknown_parameters()
    if unknown:
        return error(400, "bad_request", f"Unknown query parameters: {', '.join(unknown)}")
    if found.token is not None:
        found.token.last_used_at = utcnow()
    return None


def needs(scope: TokenScope):
    """View decorator: 401 without a token, 403 with one that lacks the scope."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            problem = _scope_problem(scope)
            return problem if problem is not None else view(*args, **kwargs)

        wrapped.api_scope = scope
        return wrapped

    return decorator


def _scope_problem(scope: TokenScope):
    token = _token()
    if token is None:
        return _unauthorised("This needs a token with the analysis scope.")
    if not token.scope.covers(scope):
        return error(403, "insufficient_scope", "This token's scope does not cover this.")
    return None


@bp.after_app_request
def _log_call(response):
    """Log every call under /api/ (even to a route that does not exist): no personal data."""
    if not request.path.startswith("/api/"):
        return response
    token = _token() if "api_presented" in g else None
    started = g.get("api_started")
    rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
    calls.log_call(
        token_id=token.id if token is not None else None,
        method=request.method,
        endpoint=rule,
        status=response.status_code,
        ms=int((time.perf_counter() - started) * 1000) if started else 0,
    )
    response.headers["Vary"] = "Authorization"
    response.headers.setdefault("Cache-Control", "no-cache")
    return response


# --- responses -----------------------------------------------------------------------


def ok(data, *, private: bool = False):
    """A 200 with an ETag of its body; 304 when the caller already has it."""
    response = jsonify(data)
    response.headers["Cache-Control"] = "private, no-cache" if private else "no-cache"
    response.add_etag()
    return response.make_conditional(request)


class BadRequest(Exception):
    pass


def _int_arg(name: str, default: int, low: int, high: int | None = None) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit():
        raise BadRequest(f"{name} must be a whole number")
    value = int(raw)
    if value < low or (high is not None and value > high):
        raise BadRequest(f"{name} must be from {low}" + (f" to {high}" if high else " up"))
    return value


def paged(stmt, make, **link_args):
    """A page of ``stmt`` (a select, or a list) as ``{data, meta, links}``, or a 400."""
    try:
        page = _int_arg("page", 1, 1, 100000)
        per_page = _int_arg("per_page", current_app.config["ITEMS_PER_PAGE"], 1, MAX_PER_PAGE)
    except BadRequest as problem:
        return None, error(400, "bad_request", str(problem))
    if isinstance(stmt, list):
        total, items = len(stmt), stmt[(page - 1) * per_page : page * per_page]
    else:
        found = paginate_select(stmt, page=page, per_page=per_page)
        total, items = found.total, found.items
    pages = (total + per_page - 1) // per_page

    def link(number: int | None) -> str | None:
        if number is None:
            return None
        return url_for(
            request.endpoint, page=number, per_page=per_page, _external=True, **link_args
        )

    body = {
        "data": [make(item) for item in items],
        "meta": {"page": page, "per_page": per_page, "total": total, "pages": pages},
        "links": {
            "self": link(page),
            "first": link(1),
            "last": link(max(pages, 1)),
            "prev": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if page < pages else None,
        },
    }
    return body, None


def _consultation_or_404(slug: str) -> Consultation | None:
    # PostgreSQL refuses NUL in text; no slug or code has one, so it matches nothing.
    consultation = None if "\x00" in slug else get_by_slug(slug)
    if consultation is None or consultation.phase == Phase.DRAFT:
        return None
    return consultation


def _not_found():
    from ..errors import moved_consultation_url

    if moved := moved_consultation_url():  # a consultation renamed after publishing
        return redirect(moved, 301)
    return error(404, "not_found", "There is nothing here.")


def _results_access(consultation: Consultation):
    """Public results for everyone; otherwise an analysis token it is shared with."""
    if opendata.available(consultation):
        return None, False
    problem = _scope_problem(TokenScope.ANALYSIS)
    if problem is not None:
        return problem, True
    if not partners.may_read(consultation, _token().organisation):
        return error(
            403, "not_shared", "This consultation is not shared with your organisation."
        ), True
    return None, True


# --- routes --------------------------------------------------------------------------


@bp.route("/")
def index():
    """Where everything is."""
    return ok(
        {
            "name": f"{current_app.config['SERVICE_NAME']} partner API",
            "version": openapi.VERSION,
            "documentation": url_for("api.openapi", _external=True),
            "links": {
                "consultations": url_for("api.consultations", _external=True),
                "framework": url_for("api.framework", _external=True),
                "findings": url_for("api.findings", _external=True),
                "actions": url_for("api.actions", _external=True),
                "partner_figures": url_for("api.partner_figures", _external=True),
                "open_data": url_for("opendata.index", _external=True),
            },
        }
    )


@bp.route("/openapi.json", endpoint="openapi")
def openapi_document():
    """The OpenAPI 3.1 description of this API."""
    return ok(openapi.document(url_for("api.index", _external=True).rstrip("/")))


@bp.route("/consultations")
def consultations():
    """Every published consultation (not drafts)."""
    token = _token()
    shared = service.shared_ids(token)
    body, problem = paged(
        service.public_consultations(), lambda c: service.consultation_item(c, token, shared)
    )
    return problem or ok(body, private=token is not None)


@bp.route("/consultations/<slug>")
def consultation(slug: str):
    """One consultation."""
    found = _consultation_or_404(slug)
    if found is None:
        return _not_found()
    token = _token()
    return ok(service.consultation_item(found, token), private=token is not None)


@bp.route("/consultations/<slug>/questions")
def questions(slug: str):
    """The questions of a consultation's surveys (public while it is open)."""
    found = _consultation_or_404(slug)
    if found is None:
        return _not_found()
    return ok({"consultation": found.slug, "data": service.questions(found)})


@bp.route("/consultations/<slug>/results")
def results(slug: str):
    """Aggregate answers, suppressed, and published findings with the actions behind them."""
    found = _consultation_or_404(slug)
    if found is None:
        return _not_found()
    problem, private = _results_access(found)
    return problem or ok(service.results(found), private=private)


@bp.route("/consultations/<slug>/consensus")
def consensus(slug: str):
    """Agreement by ward for survey items, and conversation statements' votes."""
    found = _consultation_or_404(slug)
    if found is None:
        return _not_found()
    problem, private = _results_access(found)
    return problem or ok(service.consensus(found), private=private)


@bp.route("/consultations/<slug>/tags")
@needs(TokenScope.ANALYSIS)
def tags(slug: str):
    """Themes and framework tags with counts, for a consultation shared with you."""
    found = _consultation_or_404(slug)
    if found is None:
        return _not_found()
    if not service.shared_with(_token(), found):
        return error(403, "not_shared", "This consultation is not shared with your organisation.")
    return ok(service.tags(found), private=True)


@bp.route("/framework")
def framework():
    """The partnership's framework: vocabularies and their current terms."""
    return ok({"data": service.framework()})


@bp.route("/findings")
def findings():
    """Published findings ("you said") with the response and action ("we did")."""
    slug = request.args.get("consultation") or None
    body, problem = paged(
        service.findings_query(slug),
        opendata.finding_item,
        **({"consultation": slug} if slug else {}),
    )
    return problem or ok(body)


@bp.route("/actions")
def actions():
    """The plan's actions, with status and progress."""
    body, problem = paged(service.actions_query(), opendata.action_item)
    return problem or ok(body)


@bp.route("/partner-figures")
@needs(TokenScope.ANALYSIS)
def partner_figures():
    """Figures partners gave, by issue and ward, suppressed like every published count."""
    issue = request.args.get("issue") or None
    ward = request.args.get("ward") or None
    issue_id, ward_id = service.term_id(issue, "issue"), service.term_id(ward, "area")
    figures = (
        []
        if -1 in (issue_id, ward_id)
        else partners.partner_figures(issue_id=issue_id, ward_id=ward_id)
    )
    body, problem = paged(
        figures,
        service.partner_figure_item,
        **{k: v for k, v in (("issue", issue), ("ward", ward)) if v},
    )
    return problem or ok(body, private=True)
