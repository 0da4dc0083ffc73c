"""Names: a survey respondent's name appears on no public page (README "Where names appear")."""

from __future__ import annotations

import re
from collections import deque

from community.extensions import db
from community.plan.models import EvidenceKind, Finding, FindingEvidence
from tests.support.factories import make_consultation, make_contribution, make_user

NAME = "Philippa Respondentova-Zed"
ANSWER = "The underpass near the station needs lights"
_LINK = re.compile(r'href="(/[^"#]*)"')


def _crawl(client, start: list[str], limit: int = 400) -> dict[str, str]:
    """Every page reachable from ``start`` by following links on this site (GET only)."""
    seen: dict[str, str] = {}
    todo = deque(start)
    while todo and len(seen) < limit:
        url = todo.popleft().replace("&amp;", "&")
        if url in seen or url.startswith(("/static/", "/sign-out")):
            continue
        response = client.get(url)
        body = response.get_data().decode("utf-8", "replace")
        seen[url] = body
        if response.content_type.startswith("text/html"):
            todo.extend(link for link in _LINK.findall(body) if link not in seen)
    return seen


def test_no_public_page_names_a_survey_respondent(app, framework):
    with app.app_context():
        respondent = make_user(display_name=NAME)
        consultation = make_consultation(phase="outcome")
        answer = make_contribution(consultation, status="published", body=ANSWER, author=respondent)
        finding = Finding(
            consultation_id=consultation.id,
            statement="People want the underpass lit",
            published_at=consultation.outcome_published_at,
            figures={"contributions": 1, "answered": 0, "evidence": 1},
        )
        finding.evidence = [
            FindingEvidence(
                kind=EvidenceKind.CONTRIBUTION,
                contribution_id=answer.id,
                frozen={"contributions": 1, "ids": [answer.id]},
            )
        ]
        db.session.add(finding)
        db.session.commit()
        evidence_url = (
            f"/consultations/{consultation.slug}/outcome/evidence/{finding.evidence[0].id}"
        )
        start = ["/", "/consultations/", "/outcomes/", f"/consultations/{consultation.slug}",
                 f"/consultations/{consultation.slug}/outcome", evidence_url, "/open-data",
                 "/api/v1/consultations", "/plan/"]  # fmt: skip
    pages = _crawl(app.test_client(), start)
    assert ANSWER in pages[evidence_url]  # the answer is shown, unnamed
    named = [url for url, body in pages.items() if NAME in body or "Respondentova" in body]
    assert not named, named
    assert len(pages) > 20
