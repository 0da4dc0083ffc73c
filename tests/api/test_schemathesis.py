"""The API fuzzed from its own OpenAPI document with schemathesis.

Every operation gets generated requests, valid and invalid (positive and negative
modes), with an analysis token whose organisation has consultations shared with it.
Each response must not be a server error and must match the document exactly
(status code, headers, content type, body schema), and invalid input must be
refused. Derandomised with bounded examples, so CI runs the same requests each time.
"""

from __future__ import annotations

import re
import zlib

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.api.conftest import bearer

pytestmark = pytest.mark.slow  # thousands of generated requests

#: Examples per operation and generation mode: 12 operations × 2 modes × up to this.
EXAMPLES = 120
SLUG = re.compile(r"^[a-z0-9-]{1,80}$")


@pytest.fixture
def fuzz_app(make_app, api_data):
    """The app with limits high enough for fuzzing (rate limits have their own test)."""
    return make_app(
        API_RATE_LIMIT="1000000 per minute", API_ANONYMOUS_RATE_LIMIT="1000000 per minute"
    )


def _aim(case, api_data) -> None:
    """Point most well-formed slugs and codes at real data (chosen from the generated
    value, so runs stay the same): random slugs alone would only ever find 404s."""
    slug = (case.path_parameters or {}).get("slug")
    if isinstance(slug, str) and SLUG.match(slug):
        known = [api_data["public"], api_data["shared"], api_data["unshared"], None]
        pick = known[zlib.crc32(slug.encode()) % len(known)]
        if pick:
            case.path_parameters["slug"] = pick
    query = case.query or {}
    for name, real in (("issue", "anti-social-behaviour"), ("ward", "tudor")):
        value = query.get(name)
        if isinstance(value, str) and zlib.crc32(value.encode()) % 2:
            query[name] = real


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def _fuzz(operation, mode: GenerationMode, api_data: dict) -> int:
    """Run one operation's generated requests; the number of requests made."""
    headers = bearer(api_data["analysis"])
    calls: list[int] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        phases=[Phase.explicit, Phase.generate],
    )
    def fuzz(case):
        if mode is GenerationMode.POSITIVE:  # an invalid value must stay invalid
            _aim(case, api_data)
        case.call_and_validate(headers=headers)
        calls.append(1)

    try:
        fuzz()
    except Unsatisfiable:
        # Nothing to get wrong: an operation whose only input is an optional string
        # header has no invalid requests (negative mode).
        assert mode is GenerationMode.NEGATIVE and not calls, operation.label
    return len(calls)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_generated_request_gets_a_documented_answer(fuzz_app, api_data, mode):
    """Every operation, valid (positive) or invalid (negative) requests.

    Written with Hypothesis directly over schemathesis's strategies (the schemathesis
    pytest plugin's lazy fixtures do not work with pytest 9).
    """
    operations = _operations(fuzz_app)
    assert len(operations) >= 11, [o.label for o in operations]
    made = {}
    for operation in operations:
        made[operation.label] = _fuzz(operation, mode, api_data)
        assert made[operation.label] or mode is GenerationMode.NEGATIVE, operation.label
    # Thousands in all: 120 per operation and mode (two operations have no invalid
    # input, so negative mode makes none for them).
    assert sum(made.values()) >= EXAMPLES * (len(operations) - 2), made
    print(f"schemathesis, {mode.value}: {sum(made.values())} generated requests", made)


def test_the_document_describes_every_api_route(app):
    from flask import Flask

    assert isinstance(app, Flask)
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    described = {f"/api/v1{path}".replace("/api/v1/", "/api/v1/", 1) for path in document["paths"]}
    routes = {
        re.sub(r"<(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    assert routes == {p if p != "/api/v1/" else "/api/v1/" for p in described}
    assert document["openapi"] == "3.1.0"
