"""The partner API's schemas (components of its OpenAPI document), as Python data.

Every object says exactly which keys it has (``additionalProperties: false``), so the
schemathesis run in the tests catches any drift between these and what is returned.
"""

from __future__ import annotations

from ..accounts.models import Organisation
from ..consultations.models import Phase
from ..surveys.qtypes import REGISTRY

STRING = {"type": "string"}
BOOLEAN = {"type": "boolean"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
COUNT = {
    "type": ["integer", "null"],
    "minimum": 0,
    "description": "A count of people; null when withheld (suppressed).",
}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    if "type" in schema and "$ref" not in schema:
        kind = schema["type"]
        return {**schema, "type": [kind, "null"] if isinstance(kind, str) else [*kind, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def obj(properties: dict, description: str = "") -> dict:
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }
    if description:
        schema["description"] = description
    return schema


TERM = obj({"vocabulary": STRING, "code": STRING, "name": STRING})
CONSULTATION_SUMMARY = {
    "slug": STRING,
    "title": STRING,
    "summary": STRING,
    "phase": {"type": "string", "enum": [p.value for p in Phase if p != Phase.DRAFT]},
    "opens_at": nullable(DATETIME),
    "closes_at": nullable(DATETIME),
    "outcome_published_at": nullable(DATETIME),
    "results_public": BOOLEAN,
    "terms": array(ref("Term")),
    "url": STRING,
}
SUPPRESSION = obj(
    {
        "threshold": {"type": "integer", "enum": [5, 10]},
        "youth_threshold": {"type": "integer", "enum": [10]},
        "note": STRING,
    },
    "Counts from 1 to threshold - 1 are withheld, and further counts where they would "
    "let a withheld one be worked out from the totals.",
)
OPTION = obj({"label": STRING, "count": COUNT})
ACTION = obj(
    {
        "id": INTEGER,
        "reference": STRING,
        "title": STRING,
        "description": STRING,
        "priority": obj({"id": INTEGER, "number": INTEGER, "title": STRING}),
        "lead_organisation": {"type": "string", "enum": [o.value for o in Organisation]},
        "status": {
            "type": "string",
            "enum": ["planned", "in_progress", "done", "paused", "dropped"],
        },
        "progress": {"type": "integer", "minimum": 0, "maximum": 100},
        "starts_on": nullable(DATE),
        "due_on": nullable(DATE),
        "url": STRING,
    }
)
FINDING = obj(
    {
        "id": INTEGER,
        "consultation": STRING,
        "statement": STRING,
        "published_at": nullable(DATETIME),
        "terms": array(ref("Term")),
        "response": nullable(
            obj(
                {
                    "kind": {
                        "type": "string",
                        "enum": [
                            "new_action",
                            "changed_action",
                            "existing_action",
                            "not_taken_forward",
                        ],
                    },
                    "explanation": STRING,
                    "action": nullable(ref("Action")),
                }
            )
        ),
    },
    'A published finding ("you said") and the response to it ("we did").',
)
AGREEMENT_COUNTS = {"agree": COUNT, "neutral": COUNT, "disagree": COUNT}

SCHEMAS = {
    "Error": obj({"error": obj({"status": INTEGER, "code": STRING, "message": STRING})}),
    "Term": TERM,
    "PageMeta": obj(
        {
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
            "total": {"type": "integer", "minimum": 0},
            "pages": {"type": "integer", "minimum": 0},
        }
    ),
    "PageLinks": obj(
        {
            "self": STRING,
            "first": STRING,
            "last": STRING,
            "prev": nullable(STRING),
            "next": nullable(STRING),
        }
    ),
    "Index": obj(
        {
            "name": STRING,
            "version": STRING,
            "documentation": STRING,
            "links": obj(
                dict.fromkeys(
                    (
                        "consultations",
                        "framework",
                        "findings",
                        "actions",
                        "partner_figures",
                        "open_data",
                    ),
                    STRING,
                )
            ),
        }
    ),
    "Consultation": obj(
        {
            **CONSULTATION_SUMMARY,
            "open_data": {
                "type": "boolean",
                "description": "Closed with public results: results need no token.",
            },
            "shared_with_you": {
                "type": "boolean",
                "description": "Shared with your token's organisation (analysis scope).",
            },
            "links": obj(
                {
                    "self": STRING,
                    "questions": STRING,
                    "results": STRING,
                    "consensus": STRING,
                    "tags": STRING,
                    "open_data_json": nullable(STRING),
                    "open_data_csv": nullable(STRING),
                }
            ),
        }
    ),
    "ConsultationPage": obj(
        {"data": array(ref("Consultation")), "meta": ref("PageMeta"), "links": ref("PageLinks")}
    ),
    "Question": obj(
        {
            "id": INTEGER,
            "survey_id": INTEGER,
            "survey_title": STRING,
            "section": STRING,
            "number": {"type": "integer", "minimum": 1},
            "text": STRING,
            "kind": {"type": "string", "enum": sorted(REGISTRY)},
            "required": BOOLEAN,
            "help_text": STRING,
            "choices": array(STRING),
            "statements": array(STRING),
        }
    ),
    "Questions": obj({"consultation": STRING, "data": array(ref("Question"))}),
    "Suppression": SUPPRESSION,
    "Licence": obj({"name": STRING, "url": STRING}),
    "OptionCount": OPTION,
    "QuestionResult": obj(
        {
            "id": INTEGER,
            "number": {"type": "integer", "minimum": 1},
            "text": STRING,
            "kind": {"type": "string", "enum": sorted(REGISTRY)},
            "answered": COUNT,
            "options": array(ref("OptionCount")),
            "statements": array(
                obj({"text": STRING, "answered": COUNT, "options": array(ref("OptionCount"))})
            ),
            "summary": nullable(
                obj(
                    {
                        "mean": nullable(NUMBER),
                        "median": nullable(NUMBER),
                        "lowest": nullable(NUMBER),
                        "highest": nullable(NUMBER),
                    }
                )
            ),
            "ranking": array(obj({"label": STRING, "mean_position": NUMBER})),
            "withheld": {
                "type": "boolean",
                "description": "Too few answers to publish its statistics.",
            },
        }
    ),
    "SurveyResults": obj(
        {
            "id": INTEGER,
            "title": STRING,
            "responses": COUNT,
            "questions": array(ref("QuestionResult")),
        }
    ),
    "Action": ACTION,
    "Finding": FINDING,
    "Results": obj(
        {
            "consultation": STRING,
            "licence": ref("Licence"),
            "attribution": STRING,
            "suppression": ref("Suppression"),
            "surveys": array(ref("SurveyResults")),
            "findings": array(ref("Finding")),
        }
    ),
    "ConsensusItem": obj(
        {
            "survey_id": INTEGER,
            "question_id": INTEGER,
            "key": STRING,
            "text": STRING,
            "grouping": {"type": "string", "enum": ["ward"]},
            "people": COUNT,
            **AGREEMENT_COUNTS,
            "group_consensus": nullable({"type": "number", "minimum": 0, "maximum": 1}),
            "groups": array(
                obj({"name": STRING, "is_other": BOOLEAN, "people": COUNT, **AGREEMENT_COUNTS})
            ),
        },
        "An agreement item with its ward table; the last group is everyone else.",
    ),
    "ConversationResults": obj(
        {
            "id": INTEGER,
            "question": STRING,
            "attribution": STRING,
            "participants": COUNT,
            "computed_at": nullable(DATETIME),
            "statements": array(
                obj(
                    {
                        "id": INTEGER,
                        "text": STRING,
                        "votes": COUNT,
                        "agree": COUNT,
                        "disagree": COUNT,
                        "pass": COUNT,
                        "agree_share": nullable({"type": "number", "minimum": 0, "maximum": 1}),
                        "group_consensus": nullable({"type": "number", "minimum": 0, "maximum": 1}),
                    }
                )
            ),
        }
    ),
    "Consensus": obj(
        {
            "consultation": STRING,
            "suppression": ref("Suppression"),
            "survey_consensus": array(ref("ConsensusItem")),
            "conversations": array(ref("ConversationResults")),
        }
    ),
    "Tags": obj(
        {
            "consultation": STRING,
            "suppression": ref("Suppression"),
            "framework": array(
                obj({"vocabulary": STRING, "code": STRING, "name": STRING, "count": COUNT})
            ),
            "themes": array(
                obj(
                    {
                        "code": STRING,
                        "name": STRING,
                        "description": STRING,
                        "count": COUNT,
                        "terms": array(STRING),
                    }
                )
            ),
        }
    ),
    "Framework": obj(
        {
            "data": array(
                obj(
                    {
                        "code": STRING,
                        "name": STRING,
                        "description": STRING,
                        "terms": array(
                            obj({"code": STRING, "name": STRING, "description": STRING})
                        ),
                    }
                )
            )
        }
    ),
    "FindingPage": obj(
        {"data": array(ref("Finding")), "meta": ref("PageMeta"), "links": ref("PageLinks")}
    ),
    "ActionPage": obj(
        {"data": array(ref("Action")), "meta": ref("PageMeta"), "links": ref("PageLinks")}
    ),
    "PartnerFigure": obj(
        {
            "id": INTEGER,
            "organisation": {"type": "string", "enum": [o.value for o in Organisation]},
            "agreement": obj({"name": STRING, "reference": STRING, "signed_on": DATE}),
            "issue": obj({"code": STRING, "name": STRING}),
            "ward": nullable(obj({"code": STRING, "name": STRING})),
            "measure": STRING,
            "period_start": DATE,
            "period_end": DATE,
            "value": COUNT,
            "counts_youth": BOOLEAN,
        },
        "A figure a partner gave under an information-sharing agreement; ward null for the "
        "whole area.",
    ),
    "PartnerFigurePage": obj(
        {"data": array(ref("PartnerFigure")), "meta": ref("PageMeta"), "links": ref("PageLinks")}
    ),
    "OpenApiDocument": {"type": "object", "description": "This document."},
}
