"""Search: ranked, stemmed, highlighted and escaped results, filters and pages, hostile
queries, and nothing held, rejected, youth-named, draft or unpublished found by anyone."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from community.consultations.models import Consultation
from community.contributions.models import ContributionStatus
from community.conversations.models import Conversation, Statement
from community.extensions import db
from community.framework.models import Term, Vocabulary
from community.groups.models import ProjectStage
from community.ideas.models import Idea, IdeaBoard
from community.models_base import utcnow
from community.plan.models import ActionStatus, Finding, Organisation, Plan, PlanAction, Priority
from community.search.index import KINDS, reindex
from community.search.models import SearchEntry
from tests.conftest import ROLES
from tests.groups.factories import make_group, make_project
from tests.support.factories import make_consultation, make_contribution, make_user

pytestmark = pytest.mark.usefixtures("framework")


def _terms(vocabulary: str) -> list[Term]:
    stmt = select(Term).join(Vocabulary).where(Vocabulary.code == vocabulary).order_by(Term.id)
    return list(db.session.scalars(stmt))


def _idea(consultation, title, body, *, status="published", **fields) -> Idea:
    board = db.session.scalar(select(IdeaBoard).where(IdeaBoard.consultation_id == consultation.id))
    if board is None:
        board = IdeaBoard(consultation_id=consultation.id, title="Ideas")
        db.session.add(board)
        db.session.flush()
    idea = Idea(
        board_id=board.id,
        consultation_id=consultation.id,
        title=title,
        body=body,
        status=ContributionStatus(status),
        published_at=utcnow() if status == "published" else None,
        **fields,
    )
    db.session.add(idea)
    db.session.commit()
    return idea


def _action(title: str, description: str = "") -> PlanAction:
    plan = db.session.scalar(select(Plan)) or Plan(title="Plan", period="2024-2029")
    db.session.add(plan)
    db.session.flush()
    priority = db.session.scalar(select(Priority)) or Priority(
        plan_id=plan.id, title="P", position=0
    )
    db.session.add(priority)
    db.session.flush()
    action = PlanAction(
        priority_id=priority.id,
        title=title,
        description=description,
        lead_organisation=Organisation.COUNCIL,
        status=ActionStatus.PLANNED,
        due_on=date(2027, 3, 31),
    )
    db.session.add(action)
    db.session.commit()
    return action


def _hits(client, q: str, **params) -> str:
    response = client.get("/search", query_string={"q": q, **params})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _count(html: str) -> int:
    import re

    found = re.search(r"(\d+) results?</p>", html)
    assert found, "no result count on the page"
    return int(found.group(1))


@pytest.fixture
def planted(app, users):
    """Public things with the word "lanterns", and secret ones with words nobody may find."""
    with app.test_request_context():
        youth = make_user(users["youth"].role, display_name="Zebedee Quartermaine")
        open_c = make_consultation(title="Lanterns on the towpath", phase="open")
        closed = make_consultation(title="Riverside paths", phase="closed")
        draft = make_consultation(title="Draftword secret plans", phase="draft")
        make_contribution(closed, status="published", body="More lanterns <script>x</script>")
        make_contribution(open_c, status="published", body="Openanswer lanterns too early")
        make_contribution(closed, status="pending", body="Heldword lanterns")
        make_contribution(closed, status="rejected", body="Rejectedword lanterns")
        make_contribution(closed, status="hidden", body="Hiddenword lanterns")
        make_contribution(closed, status="pending", body="Youthword", author=youth, by_youth=True)
        make_contribution(
            closed, status="published", body="Youthpublic", author=youth, by_youth=True
        )
        make_contribution(draft, status="published", body="Draftanswerword")
        _idea(open_c, "Solar lanterns", "Lanterns by the river")
        _idea(open_c, "Pendingidea", "Pendingideaword", status="pending")
        _idea(draft, "Draftideaword", "in a draft consultation")
        conversation = Conversation(consultation_id=open_c.id, question="What would help?")
        db.session.add(conversation)
        db.session.flush()
        for body, status in (("Lanterns help", "published"), ("Heldstatement", "pending")):
            db.session.add(
                Statement(
                    conversation_id=conversation.id,
                    consultation_id=open_c.id,
                    body=body,
                    status=ContributionStatus(status),
                )
            )
        db.session.commit()
        leader = make_user(users["group_leader"].role)
        group = make_group(leader)
        make_project(group, youth, stage=ProjectStage.DRAFT, title="Draftprojectword")
        make_project(group, youth, stage=ProjectStage.CO_DESIGN, status="pending", title="Heldproj")
        make_project(
            group, youth, stage=ProjectStage.CO_DESIGN, status="published", title="Lanterns mural"
        )
        db.session.add(Finding(consultation_id=closed.id, statement="Unpublishedfinding"))
        db.session.add(
            Finding(consultation_id=closed.id, statement="Lanterns wanted", published_at=utcnow())
        )
        _action("Lanterns on the towpath by spring")
        db.session.commit()


SECRETS = (
    "heldword", "rejectedword", "hiddenword", "youthword", "draftword", "draftanswerword",
    "pendingideaword", "draftideaword", "heldstatement", "draftprojectword", "heldproj",
    "unpublishedfinding", "openanswer", "Zebedee", "Quartermaine",  # authors are never indexed
)  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_no_role_finds_what_it_may_not_see(app, role_client, planted, role):
    client = role_client(role)
    for word in SECRETS:
        html = _hits(client, word)
        assert _count(html) == 0, (role, word)
    html = _hits(client, "lanterns")
    # consultation, closed answer, idea, statement, project, finding, action
    assert _count(html) == 7, role
    assert "Quartermaine" not in html and "Zebedee" not in html
    youth = _hits(client, "youthpublic")
    assert _count(youth) == 1 and "Quartermaine" not in youth and "Zebedee" not in youth


def test_stemmed_ranked_highlighted_and_escaped(app, client, planted):
    html = _hits(client, "lantern")
    assert _count(html) == 7
    assert "<mark>" in html and "Lantern" in html
    assert "<script>x" not in html  # escaped (SQLite) or dropped as a tag (ts_headline)


def test_snippets_are_escaped_and_only_marks_become_markup():
    from community.search.query import mark

    marked = mark("a <b>\ue000lantern\ue001</b> & \ue000open")
    assert str(marked) == "a &lt;b&gt;<mark>lantern</mark>&lt;/b&gt; &amp; <mark>open</mark>"


def test_ranked_best_first(app, client):
    with app.app_context():
        _action("Other work", "Resurfacing roads and pavements " * 20 + "and one streetlamp.")
        _action("Streetlamp repairs", "Fix every broken streetlamp; streetlamp audits each month.")
    html = _hits(client, "streetlamps")
    assert _count(html) == 2
    assert html.index("repairs</a>") < html.index("Other work</a>")


def test_filters_by_kind_issue_and_ward(app, client, planted):
    with app.app_context():
        issue, ward = _terms("issue")[0], _terms("area")[0]
        issue_code, ward_code = issue.code, ward.code
        open_c = db.session.scalar(select(Consultation).where(Consultation.title.like("Lanterns%")))
        _idea(open_c, "Lanterns by the bridge", "ward and issue", area_id=ward.id)
        idea = db.session.scalar(select(Idea).where(Idea.title == "Lanterns by the bridge"))
        idea.issues = [issue]
        db.session.commit()
    assert _count(_hits(client, "lanterns", kind="idea")) == 2
    assert _count(_hits(client, "lanterns", kind="action")) == 1
    assert _count(_hits(client, "lanterns", issue=issue_code)) == 1
    assert _count(_hits(client, "lanterns", ward=ward_code)) == 1
    assert _count(_hits(client, "lanterns", kind="nonsense", ward="nowhere")) == 8


def test_paged_with_govuk_pagination(app, client):
    with app.app_context():
        for n in range(27):
            make_consultation(title=f"Streetlight survey {n}", phase="open", commit=False)
        db.session.commit()
    first = _hits(client, "streetlight")
    assert _count(first) == 27 and first.count('class="govuk-link" href="/consultations/') == 25
    assert "govuk-pagination" in first and "Page 1 of 2" in first
    second = _hits(client, "streetlight", page=2)
    assert second.count('class="govuk-link" href="/consultations/') == 2
    assert _count(_hits(client, "streetlight", page=99)) == 27


HOSTILE = [
    '"', '""', '"lanterns', "lanterns*", "*", "NEAR(lanterns towpath)", "lanterns NEAR towpath",
    "-lanterns", "- -", "lanterns OR", "OR", "AND NOT", "(", ")", "lanterns:*", "a & b | !c",
    "'; DROP TABLE search_entries; --", "\x00", "lan\x00terns", "%", "_", "\\", "^", "{}",
    "\ue000lanterns\ue001", "x" * 10_000, "lanterns " * 2000, "🚦", "مرحبا", "title:lanterns",
]  # fmt: skip


def test_hostile_queries_never_fail(app, client, planted):
    for q in HOSTILE:
        response = client.get("/search", query_string={"q": q})
        # 400: the input guard refuses some (NUL) with its explanatory page; never a 500.
        assert response.status_code in (200, 400), q
        html = response.get_data(as_text=True)
        assert html.count("<mark>") == html.count("</mark>"), q


def test_index_follows_moderation_and_publication(app, client, planted):
    """A held answer appears once published, and goes when hidden; a draft when published."""
    from community.surveys.models import SurveyText

    assert _count(_hits(client, "heldword")) == 0
    with app.app_context():
        held = db.session.scalar(select(SurveyText).where(SurveyText.body == "Heldword lanterns"))
        held.status, held.published_at = ContributionStatus.PUBLISHED, utcnow()
        held_id = held.id
        db.session.commit()
    assert _count(_hits(client, "heldword")) == 1
    with app.app_context():
        db.session.get(SurveyText, held_id).status = ContributionStatus.HIDDEN
        draft = db.session.scalar(select(Consultation).where(Consultation.published_at.is_(None)))
        draft.published_at = utcnow()
        db.session.commit()
    assert _count(_hits(client, "heldword")) == 0
    assert _count(_hits(client, "draftword")) == 1
    assert _count(_hits(client, "draftideaword")) == 1


def test_reindex_rebuilds_the_same_index(app, planted):
    with app.app_context():
        before = sorted(db.session.execute(select(SearchEntry.kind, SearchEntry.ref_id)).all())
        assert reindex(db.session) == len(before)
        db.session.commit()
        after = sorted(db.session.execute(select(SearchEntry.kind, SearchEntry.ref_id)).all())
    assert before == after and {kind for kind, _ in before} == set(KINDS)


def test_search_box_on_every_page(client):
    html = client.get("/").get_data(as_text=True)
    assert 'action="/search"' in html and 'role="search"' in html
