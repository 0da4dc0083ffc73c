"""The OpenAPI 3.1 document of the partner API, as Python data served as JSON.

Every object says exactly which keys it has (``additionalProperties: false``), so the
schemathesis run in the tests catches any drift between this and what is returned.
"""

from __future__ import annotations

from .schemas import SCHEMAS, STRING, ref

VERSION = "1.0.0"


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": ref("Error")}},
    }


ETAG_HEADER = {"ETag": {"description": "The body's entity tag.", "schema": STRING}}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "An ETag from an earlier answer: 304 when nothing changed.",
    "schema": STRING,
}
SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "The consultation's address name.",
    "schema": {"type": "string", "pattern": "^[a-z0-9-]{1,80}$"},
}
#: A free-text query parameter as the request guard (community/inputguard.py) accepts
#: it: no control characters, no U+FFFD (invalid UTF-8), at most 1000 characters.
QUERY_TEXT = {
    "type": "string",
    "maxLength": 1000,
    "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f\\ufffd]*$",
}
PAGE = [
    {
        "name": "page",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1},
    },
    {
        "name": "per_page",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25},
    },
]
OPTIONAL_TOKEN = [{}, {"bearerAuth": []}]
TOKEN = [{"bearerAuth": []}]


def _operation(
    operation_id: str,
    summary: str,
    schema: str,
    *,
    parameters=(),
    security=OPTIONAL_TOKEN,
    forbidden: str | None = None,
    not_found: bool = False,
    bad_request: bool = False,
) -> dict:
    responses = {
        "200": {
            "description": "OK",
            "headers": ETAG_HEADER,
            "content": {"application/json": {"schema": ref(schema)}},
        },
        "304": {"description": "Not modified since the ETag given in If-None-Match."},
        "401": _error("No token, or a token that is unknown, expired or revoked."),
        "429": _error("Too many calls: see Retry-After."),
    }
    if forbidden:
        responses["403"] = _error(forbidden)
    if not_found:
        responses["404"] = _error("No such consultation (or a draft).")
    # The request guard (community/inputguard.py) refuses control characters and
    # invalid UTF-8 in any path or parameter before an operation runs.
    responses["400"] = _error(
        "A query parameter is not valid."
        if bad_request
        else "The path or a parameter contains characters that are not allowed."
    )
    return {
        "operationId": operation_id,
        "summary": summary,
        "parameters": [*parameters, IF_NONE_MATCH],
        "security": security,
        "responses": dict(sorted(responses.items())),
    }


RESULTS_403 = (
    "Results that are not yet public need a token with the analysis scope, for a "
    "consultation shared with its organisation."
)

PATHS = {
    "/": {"get": _operation("index", "Where everything is", "Index")},
    "/openapi.json": {"get": _operation("openapi", "This document", "OpenApiDocument")},
    "/consultations": {
        "get": _operation(
            "listConsultations",
            "Published consultations (not drafts), newest first",
            "ConsultationPage",
            parameters=PAGE,
            bad_request=True,
        )
    },
    "/consultations/{slug}": {
        "get": _operation(
            "getConsultation", "One consultation", "Consultation", parameters=[SLUG], not_found=True
        )
    },
    "/consultations/{slug}/questions": {
        "get": _operation(
            "listQuestions",
            "The questions of its surveys",
            "Questions",
            parameters=[SLUG],
            not_found=True,
        )
    },
    "/consultations/{slug}/results": {
        "get": _operation(
            "getResults",
            "Answers counted per question (suppressed), and published findings with the "
            "actions responding to them",
            "Results",
            parameters=[SLUG],
            not_found=True,
            forbidden=RESULTS_403,
        )
    },
    "/consultations/{slug}/consensus": {
        "get": _operation(
            "getConsensus",
            "Agreement by ward for survey items, and conversation statements' votes",
            "Consensus",
            parameters=[SLUG],
            not_found=True,
            forbidden=RESULTS_403,
        )
    },
    "/consultations/{slug}/tags": {
        "get": _operation(
            "getTags",
            "Themes and framework tags with counts of published contributions (analysis)",
            "Tags",
            parameters=[SLUG],
            security=TOKEN,
            not_found=True,
            forbidden="Needs the analysis scope, for a consultation shared with you.",
        )
    },
    "/framework": {
        "get": _operation("getFramework", "Vocabularies and their current terms", "Framework")
    },
    "/findings": {
        "get": _operation(
            "listFindings",
            "Published findings with the response to each",
            "FindingPage",
            parameters=[
                {
                    "name": "consultation",
                    "in": "query",
                    "required": False,
                    "description": "Only this consultation's (its slug).",
                    "schema": QUERY_TEXT,
                },
                *PAGE,
            ],
            bad_request=True,
        )
    },
    "/actions": {
        "get": _operation(
            "listActions",
            "The plan's actions",
            "ActionPage",
            parameters=PAGE,
            bad_request=True,
        )
    },
    "/partner-figures": {
        "get": _operation(
            "listPartnerFigures",
            "Partner figures by issue and ward, suppressed (analysis)",
            "PartnerFigurePage",
            parameters=[
                {
                    "name": "issue",
                    "in": "query",
                    "required": False,
                    "description": "An issue's code (unknown codes match nothing).",
                    "schema": QUERY_TEXT,
                },
                {
                    "name": "ward",
                    "in": "query",
                    "required": False,
                    "description": "A ward's code.",
                    "schema": QUERY_TEXT,
                },
                *PAGE,
            ],
            security=TOKEN,
            bad_request=True,
            forbidden="Needs the analysis scope.",
        )
    },
}

DESCRIPTION = """\
Read-only JSON for partners and anyone re-using the partnership's open data.

**Tokens.** Send `Authorization: Bearer <token>`. Administrators issue tokens with
one of two scopes: `open_data` (what anyone may read, at a higher rate limit) or
`analysis` (also the consultations shared with the token's organisation, their
themes and tag counts, and partner figures). Without a token, open-data operations
work at a lower rate limit per address; analysis operations answer 401, and a token
without the scope gets 403.

**Suppression.** Every count of people from 1 to 4 (1 to 9 for young people) is
`null`, and so is any other count that would let one be worked out from the totals.

**Caching.** Every answer has an `ETag`; send it back in `If-None-Match` to get 304.
"""


def query_parameters(path: str) -> set[str]:
    """The query parameters an operation declares (the API refuses any others)."""
    operation = PATHS.get(path, {}).get("get", {})
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}


def document(server_url: str) -> dict:
    """The whole document, with this deployment's address."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Community Voice partner API",
            "version": VERSION,
            "description": DESCRIPTION,
        },
        "servers": [{"url": server_url}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token issued by an administrator.",
                }
            },
        },
    }
