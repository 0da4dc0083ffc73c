"""One disclosure rule: a suppressed count takes every figure derived from it along."""

from __future__ import annotations

import importlib.util
import re

from community.disclosure import SMALL, public_figures
from community.extensions import db
from community.plan.models import EvidenceKind, Finding, FindingEvidence
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


def test_one_module_owns_the_rule():
    from community import disclosure

    assert not importlib.util.find_spec("community.surveys.disclosure")  # the old copy is gone
    assert (disclosure.PUBLIC_THRESHOLD, disclosure.YOUTH_THRESHOLD) == (5, 10)


def test_a_share_goes_with_a_small_count_or_a_small_complement():
    from community.disclosure import count, share

    assert share(3, 21) is None  # the count is small
    assert share(19, 21) is None  # 2 did not: the complement is small
    assert share(0, 21) == 0.0 and share(12, 21) == 12 / 21
    assert share(7, 20, youth=True) is None and share(10, 20, youth=True) == 0.5
    assert share(3, 3) is None and share(0, 0) is None
    assert count(3).suppressed and not count(5).suppressed and count(7, youth=True).suppressed
    # 6 answered and 83 % agreed says 1 did not: the share goes, the total stays.
    assert public_figures({"answered": 6, "agree_share": 5 / 6}) == {
        "answered": 6,
        "agree_share": None,
    }


def test_a_conversation_statement_is_suppressed_with_its_shares():
    from community.disclosure import statement_votes

    shown = statement_votes(
        {"agree": 3, "disagree": 9, "pass": 1, "votes": 13, "consensus_agree": 0.2}
    )
    assert shown["agree"] is None and shown["pass"] is None and shown["agree_share"] is None
    assert shown["votes"] == 13 and shown["hidden"]
    # Two small cells hide each other: 13 - 9 = 4 is 1 + 3, 2 + 2 or 3 + 1.
    assert shown["disagree"] == 9
    alone = statement_votes({"agree": 3, "disagree": 9, "pass": 0, "votes": 12})
    # Alone, 12 - 9 would give the 3 back, so the 9 goes too.
    assert alone["agree"] is None and alone["disagree"] is None and alone["pass"] == 0
    big = statement_votes({"agree": 30, "disagree": 8, "pass": 6, "votes": 44})
    assert big["agree"] == 30 and big["agree_share"] == 30 / 44


def test_groups_to_show_needs_ten_for_young_people_and_five_for_others():
    from community.disclosure import groups_to_show

    sizes = {"Tudor": 5, "Norbiton": 4, "16-17": 9, "13-15": 10}
    young = {"16-17", "13-15"}
    assert groups_to_show(sizes, youth=lambda name: name in young) == {"Tudor", "13-15"}


def test_withheld_groups_hide_the_smallest_shown_until_the_left_out_are_enough():
    from community.disclosure import withheld_groups

    sizes = {"Tudor": 6, "Norbiton": 8, "Tolworth": 20}
    assert withheld_groups(sizes, 0) == set()  # nobody left out: nothing to protect
    assert withheld_groups(sizes, 5) == set()  # already enough hidden
    assert withheld_groups(sizes, 2) == {"Tudor"}  # 2 + 6 hidden
    assert withheld_groups({"A": 1, "B": 1, "C": 9}, 2) == {"A", "B", "C"}  # 2, 3, 4, 13
