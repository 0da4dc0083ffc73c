"""One disclosure rule: a suppressed count takes every figure derived from it along."""

from __future__ import annotations

import re

from community.extensions import db
from community.plan.models import EvidenceKind, Finding, FindingEvidence
from community.surveys.disclosure import SMALL, public_figures
from tests.support.factories import make_consultation, make_survey


def test_public_figures_hide_what_a_small_count_would_give_away():
    assert public_figures({"answered": 3, "agree_share": 0.33}) == {
        "answered": SMALL,
        "agree_share": None,
    }
    assert public_figures({"answered": 0, "agree_share": 0.0})["agree_share"] is None
    assert public_figures({"contributions": 0, "of": 2}) == {"contributions": SMALL, "of": SMALL}
    assert public_figures({"answered": 7, "agree_share": 0.5}, youth=True)["answered"] == SMALL
    assert public_figures({"answered": 12, "agree_share": 0.5}) == {
        "answered": 12,
        "agree_share": 0.5,
    }


def test_the_outcome_page_gives_no_small_number_away(app, framework, client):
    with app.app_context():
        consultation = make_consultation(phase="outcome")
        survey = make_survey(
            consultation, [("Part", [{"kind": "likert", "text": "Streets feel safe"}])]
        )
        question = survey.sections[0].questions[0]
        from community.framework.models import Term

        term = db.session.query(Term).first()
        finding = Finding(
            consultation_id=consultation.id,
            statement="People feel unsafe",
            published_at=consultation.outcome_published_at,
            figures={"contributions": 0, "answered": 3, "evidence": 3},
        )
        finding.evidence = [
            FindingEvidence(
                kind=EvidenceKind.QUESTION,
                question_id=question.id,
                frozen={"answered": 3, "agree_share": 0.3333},
            ),
            FindingEvidence(
                kind=EvidenceKind.QUESTION,
                question_id=question.id,
                frozen={"answered": 0, "agree_share": 0.0},
            ),
            FindingEvidence(
                kind=EvidenceKind.TERM,
                term_id=term.id,
                frozen={"contributions": 0, "of": 2, "share": 0.0, "ids": []},
            ),
        ]
        db.session.add(finding)
        db.session.commit()
        slug, term_evidence = consultation.slug, finding.evidence[2].id
    page = client.get(f"/consultations/{slug}/outcome").get_data(as_text=True)
    text = re.sub(r"<[^>]+>", " ", page)
    assert "33" not in text and "0%" not in text and "0 %" not in text
    assert "of 2 published" not in text
    evidence = client.get(f"/consultations/{slug}/outcome/evidence/{term_evidence}")
    assert "out of 2 published" not in evidence.get_data(as_text=True)
