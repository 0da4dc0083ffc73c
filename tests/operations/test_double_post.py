"""Every create is idempotent: each POST route of the access matrix is declared here as
CREATING (its form carries a one-time token) or NOT_CREATING (with the reason a repeat
cannot make a second thing), and an undeclared route fails the walk.

Each creating form is read from its page (token and all), then posted twice in a row
(a reload, a retry) and twice at once (a double tap): one thing is made, one set of
mails is queued, and the repeat is a redirect, never a 500.
"""

from __future__ import annotations

import io
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from flask import url_for
from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.api.models import ApiToken
from community.audit.models import AuditEvent
from community.consultations.models import Consultation, Follow
from community.conversations.models import Conversation, Statement
from community.extensions import db
from community.framework.models import Term
from community.groups.models import Group, Membership, Project, ProjectMessage, ProjectUpdate
from community.ideas.models import Comment, Idea, IdeaBoard
from community.moderation.models import AbuseTerm, Decision, RejectionTemplate, Report
from community.multilingual.models import ContentTranslation
from community.notifications.models import OutboxMessage
from community.operations.models import UsedFormToken
from community.partners.models import ConsultationShare, PartnerFigure, SharingAgreement
from community.plan.models import ActionUpdate, Finding, FindingEvidence, PlanAction, Priority
from community.surveys.models import AboutYouAnswer, Question, Response, Section, Survey
from community.tagging.models import CodingRound, Theme, theme_terms
from community.wards.models import WardBoundaries
from tests.conftest import sign_in_client
from tests.support.factories import PASSWORD, make_contribution, make_survey, make_user
from tests.test_access_matrix import matrix_world

Ids = dict
Data = Callable[[Ids], dict]


@dataclass(frozen=True)
class Create:
    """How to make one thing through one route.

    ``role`` signs in ("visitor": nobody); ``page`` is the page whose form is posted and
    ``url`` where the form posts (the page itself when None); ``data`` fills the form's
    answers over what the page sent; ``rows`` says how many rows of which models one
    submission makes, ``mails`` how many mails it queues. ``setup`` adds to the world
    (its dict joins the ids); ``prepare`` runs with the signed-in client first;
    ``pick`` is a field that tells the right form when several post to one place;
    ``answers`` is the status of a first submission that answers with a page.
    """

    role: str
    page: Callable[[Ids], str]
    rows: dict
    url: Callable[[Ids], str] | None = None
    data: Data = field(default=lambda ids: {})
    mails: int = 0
    setup: Callable[[Ids], dict] | None = None
    prepare: Callable[[object, Ids], None] | None = None
    pick: str | None = None
    answers: int = 302


def at(endpoint: str, **names: str) -> Callable[[Ids], str]:
    """``at("ideas.show", board_id="board")``: the URL with the world's ids filled in."""
    return lambda ids: url_for(endpoint, **{arg: ids[key] for arg, key in names.items()})


def day(when: date) -> list[str]:
    return [str(when.day), str(when.month), str(when.year)]


# --- what some recipes add to the world ----------------------------------------------------


def _other_group(ids: Ids) -> dict:
    from tests.groups.factories import make_group

    return {"code": make_group(make_user(Role.RESIDENT), name="Second group").invite_code}


def _safeguarding_lead(ids: Ids) -> dict:
    lead = make_user(Role.MODERATOR, commit=False)
    lead.safeguarding_lead = True
    db.session.commit()
    return {}


def _closed_contribution(ids: Ids) -> dict:
    closed = db.session.get(Consultation, ids["closed"])
    return {"quote": make_contribution(closed, status="published").id}


def _coded(ids: Ids) -> dict:
    from tests.tagging.conftest import add_tag, term_key

    consultation = db.session.get(Consultation, ids["consultation"])
    officer = db.session.scalar(select(User).where(User.role == Role.OFFICER))
    for n in range(3):
        item = make_contribution(consultation, status="published", body=f"coded {n}")
        add_tag(item.id, term_key("PH1"), officer.id)
    db.session.commit()
    admin = db.session.scalar(select(User.id).where(User.role == Role.ADMIN))
    return {"coder": admin}


def _ward_terms(ids: Ids) -> dict:
    from community.framework.models import Vocabulary
    from community.wards import tiles
    from tests.wards.test_ward_map import geojson

    area = select(Term.code, Term.name).join(Vocabulary).where(Vocabulary.code == "area")
    names = {code: name for code, name in db.session.execute(area) if code in tiles.LAYOUT}
    return {"geojson": geojson(names)}


def _ward(ids: Ids) -> dict:
    from community.framework.models import Vocabulary

    ward = db.session.scalar(
        select(Term.id).join(Vocabulary).where(Vocabulary.code == "area").order_by(Term.id)
    )
    return {"ward": ward}


def _resident_email(ids: Ids) -> dict:
    return {"email": db.session.scalar(select(User.email).where(User.role == Role.RESIDENT))}


def _reset_link(ids: Ids) -> dict:
    from community.accounts import tokens

    return {"reset": tokens.make_reset_token(make_user())}


def _unverified(ids: Ids) -> dict:
    return {"email": make_user(verified=False).email}


def _authored_and_a_reason(ids: Ids) -> dict:
    consultation = db.session.get(Consultation, ids["consultation"])
    author = db.session.scalar(select(User).where(User.role == Role.RESIDENT))
    held = make_contribution(consultation, status="pending", author=author, commit=False)
    db.session.add(RejectionTemplate(code="off-topic-2", title="Off topic", message="Not this"))
    db.session.commit()
    return {"authored": held.id}


def _answer_the_survey(client, ids: Ids) -> None:
    client.post(url_for("surveys.begin", survey_id=ids["survey"]))
    client.post(
        url_for("surveys.section", survey_id=ids["survey"], section_id=ids["section"]),
        data={f"q{ids['survey_question']}": "Lights"},
    )


def _about_you_survey(ids: Ids) -> dict:
    consultation = db.session.get(Consultation, ids["consultation"])
    survey = make_survey(
        consultation,
        [("Only", [{"kind": "short_text", "text": "Where?"}])],
        about_you=("age_band", "gender"),
    )
    return {"about": survey.id}


def _reach_about_you(client, ids: Ids) -> None:
    client.post(url_for("surveys.begin", survey_id=ids["about"]))


def _polis_zip() -> bytes:
    from tests.conversations.test_import import _london, _zip

    return _zip(_london("comments.csv", "votes.csv"))


def _consultation_form(ids: Ids) -> dict:
    opens, closes = date.today() + timedelta(days=1), date.today() + timedelta(days=28)
    return {
        "title": "Lighting in Canbury Gardens",
        "summary": "Tell us where you feel unsafe after dark.",
        "body": "<p>Background</p>",
        "why_asking": "Because",
        "how_used": "To plan",
        "opens_on": day(opens),
        "closes_on": day(closes),
        "contact_name": "Community safety team",
        "contact_email": "team@example.org",
        "documents": "",
        "moderation_policy": "pre_youth_anon",
        "audience": "everyone",
        "allow_anonymous": "yes",
        "results_public": "yes",
    }


BUILDING = {"survey_id": "building"}

#: POST routes that make something, by endpoint ("endpoint#name" for another form that
#: posts to the same endpoint). Their forms carry ``{{ one_time_token() }}``.
CREATING: dict[str, Create] = {
    "accounts.register": Create(
        role="visitor",
        page=at("accounts.register"),
        data=lambda ids: {
            "email": "twice@example.com",
            "display_name": "Twice",
            "password": "a long enough password",
            "confirm_password": "a long enough password",
            "age_band": "25_34",
        },
        rows={User: 1},
        mails=1,
    ),
    "accounts.change_password": Create(
        role="resident",
        page=at("accounts.change_password"),
        data=lambda ids: {
            "current_password": PASSWORD,
            "password": "a new long password",
            "confirm_password": "a new long password",
        },
        rows={},
        mails=1,  # "your password was changed"
    ),
    "accounts.reset_password": Create(
        role="visitor",
        page=lambda ids: url_for("accounts.reset_password", token=ids["reset"]),
        setup=_reset_link,
        data=lambda ids: {
            "password": "a new long password",
            "confirm_password": "a new long password",
        },
        rows={},
        mails=1,  # "your password was changed"
    ),
    "accounts.forgot_password": Create(
        role="visitor",
        page=at("accounts.forgot_password"),
        setup=_resident_email,
        data=lambda ids: {"email": ids["email"]},
        rows={},
        mails=1,  # the reset link
        answers=200,  # "check your email", the same page for any address
    ),
    "accounts.resend_verification": Create(
        role="visitor",
        page=at("accounts.resend_verification"),
        setup=_unverified,
        data=lambda ids: {"email": ids["email"]},
        rows={},
        mails=1,  # a fresh link
    ),
    "api_tokens.new": Create(
        role="admin",
        page=at("api_tokens.new"),
        data=lambda ids: {
            "name": "Police analysts",
            "organisation": "police",
            "scope": "analysis",
            "expires_on": ["31", "12", "2099"],
        },
        rows={ApiToken: 1},
        answers=200,  # the secret is shown once, on the answer itself
    ),
    # Natural keys (one follow per person and consultation or term, one share per
    # organisation, one link per theme and term), but checked before the insert: two at
    # once met the unique key and one answered 500 (3 or 4 in 4 tries on PostgreSQL).
    "consultations.follow": Create(
        role="resident",
        page=at("consultations.show", slug="consultation_slug"),
        url=at("consultations.follow", slug="consultation_slug"),
        rows={Follow: 1},
    ),
    "consultations.follow_term": Create(
        role="resident",
        page=lambda ids: url_for("consultations.index", issue="road-safety"),
        url=at("consultations.follow_term", term_id="issue"),
        rows={Follow: 1},
    ),
    "consultations.follow_ward": Create(
        role="resident",
        page=at("consultations.index"),
        url=at("consultations.follow_ward"),
        rows={Follow: 1},
    ),
    "partners.sharing": Create(
        role="officer",
        page=at("partners.sharing", consultation_id="consultation"),
        data=lambda ids: {"organisations": ["police", "council"]},
        rows={ConsultationShare: 2},
    ),
    "tagging_themes.terms": Create(
        role="officer",
        page=at("tagging_themes.terms", theme_id="theme"),
        data=lambda ids: {"terms": [str(ids["issue"]), str(ids["term"])]},
        rows={theme_terms: 2},
    ),
    "consultations_admin.new": Create(
        role="officer",
        page=at("consultations_admin.new"),
        data=_consultation_form,
        rows={Consultation: 1},
    ),
    "conversations.add_statement": Create(
        role="resident",
        page=at("conversations.show", conversation_id="conversation"),
        url=at("conversations.add_statement", conversation_id="conversation"),
        data=lambda ids: {"text": "Better lighting on the towpath would help"},
        rows={Statement: 1},
    ),
    "conversations_admin.new": Create(
        role="officer",
        page=at("conversations_admin.new", consultation_id="consultation"),
        data=lambda ids: {
            "question": "How do we make the towpath safer?",
            "seeds": "More lights\nMore patrols",
            "allow_statements": "yes",
        },
        rows={Conversation: 1},
    ),
    "conversations_admin.import_polis": Create(
        role="officer",
        page=at("conversations_admin.import_polis", consultation_id="consultation"),
        data=lambda ids: {"archive": (io.BytesIO(_polis_zip()), "london.zip")},
        rows={Conversation: 1},
    ),
    "framework_admin.new_term": Create(
        role="officer",
        page=lambda ids: url_for("framework_admin.new_term", code="issue"),
        data=lambda ids: {"name": "Graffiti", "code": "graffiti", "description": "Tags"},
        rows={Term: 1},
    ),
    "groups.apply": Create(
        role="resident",
        page=at("groups.apply"),
        setup=_ward,
        data=lambda ids: {
            "name": "Norbiton Youth Club",
            "kind": "youth_club",
            "description": "We meet on Tuesdays",
            "ward": str(ids["ward"]),
            "statement": "I have run it for years",
        },
        rows={Group: 1},
    ),
    "groups.join": Create(
        role="youth",
        page=at("groups.join"),
        setup=_other_group,
        data=lambda ids: {"code": ids["code"]},
        rows={Membership: 1},
    ),
    "groups.new_code": Create(
        role="group_leader",
        page=at("groups.members", group_id="group"),
        url=at("groups.new_code", group_id="group"),
        rows={AuditEvent: 1},
    ),
    "groups.new_project": Create(
        role="youth",
        page=at("groups.new_project", group_id="group"),
        data=lambda ids: {"title": "A mural for the underpass"},
        rows={Project: 1},
        mails=1,  # the group's leader
    ),
    "groups.post_message": Create(
        role="group_leader",
        page=at("groups.project", project_id="public_project"),
        url=at("groups.post_message", project_id="public_project"),
        data=lambda ids: {"message-body": "When can we start?"},
        rows={ProjectMessage: 1},
    ),
    "groups_admin.add_update": Create(
        role="officer",
        page=at("groups.project", project_id="public_project"),
        url=at("groups_admin.add_update", project_id="public_project"),
        data=lambda ids: {"update-note": "The council agreed the wall"},
        rows={ProjectUpdate: 1},
    ),
    "ideas.new": Create(
        role="resident",
        page=at("ideas.new", board_id="board"),
        data=lambda ids: {
            "title": "Benches by the river",
            "description": "Somewhere to sit",
            "confirmed": "yes",
        },
        rows={Idea: 1},
    ),
    "ideas.add_comment": Create(
        role="resident",
        page=at("ideas.show", board_id="board", idea_id="idea"),
        url=at("ideas.add_comment", board_id="board", idea_id="idea"),
        data=lambda ids: {"text": "Yes, and lights too"},
        rows={Comment: 1},
    ),
    "ideas.respond": Create(
        role="officer",
        page=at("ideas.show", board_id="board", idea_id="idea"),
        url=at("ideas.respond", board_id="board", idea_id="idea"),
        data=lambda ids: {"status": "accepted", "explanation": "We will do it this spring"},
        rows={AuditEvent: 1},
        mails=1,  # the idea's author
    ),
    "ideas_admin.new": Create(
        role="officer",
        page=at("ideas_admin.new", consultation_id="consultation"),
        data=lambda ids: {"title": "Ideas for the riverside", "phase": "collecting"},
        rows={IdeaBoard: 1},
    ),
    "moderation.report": Create(
        role="resident",
        page=at("moderation.report", contribution_id="public_contribution"),
        setup=_safeguarding_lead,
        data=lambda ids: {"reason": "safeguarding", "note": "Someone may be at risk"},
        rows={Report: 1},
        mails=1,  # the safeguarding lead
        answers=200,  # a thank-you page
    ),
    "moderation.publish": Create(
        role="moderator",
        page=at("moderation.show", contribution_id="held"),
        url=at("moderation.publish", contribution_id="held"),
        rows={Decision: 1},
    ),
    "moderation.reject": Create(
        role="moderator",
        page=at("moderation.show", contribution_id="authored"),
        url=at("moderation.reject", contribution_id="authored"),
        setup=_authored_and_a_reason,
        data=lambda ids: {"reject-template": "off-topic-2", "reject-note": "Try the board"},
        rows={Decision: 1},
        mails=1,  # the author is told why
    ),
    "moderation.hide": Create(
        role="moderator",
        page=at("moderation.show", contribution_id="public_contribution"),
        url=at("moderation.hide", contribution_id="public_contribution"),
        data=lambda ids: {"hide-note": "Reported twice"},
        rows={Decision: 1},
    ),
    "moderation.bulk": Create(
        role="moderator",
        page=at("moderation.queue"),
        url=at("moderation.bulk"),
        data=lambda ids: {"selected": [str(ids["held"])], "action": "publish"},
        rows={Decision: 1},
    ),
    "moderation_settings.index": Create(
        role="moderator",
        page=at("moderation_settings.index"),
        pick="template-code",
        data=lambda ids: {
            "template-code": "duplicate",
            "template-title": "Said already",
            "template-message": "Someone said this already",
        },
        rows={RejectionTemplate: 1},
    ),
    "moderation_settings.index#abuse-term": Create(
        role="moderator",
        page=at("moderation_settings.index"),
        pick="term-phrase",
        data=lambda ids: {"term-phrase": "horrid"},
        rows={AbuseTerm: 1},
    ),
    "partners.new_agreement": Create(
        role="officer",
        page=at("partners.new_agreement"),
        data=lambda ids: {
            "organisation": "police",
            "name": "Safer Kingston ISA 2",
            "reference": "ISA-2",
            "signed_on": ["1", "4", "2025"],
        },
        rows={SharingAgreement: 1},
    ),
    "partners.new_figure": Create(
        role="officer",
        page=at("partners.new_figure"),
        setup=_ward,
        data=lambda ids: {
            "agreement_id": str(ids["agreement"]),
            "measure": "Anti-social behaviour reports",
            "issue_id": str(ids["issue"]),
            "ward_id": str(ids["ward"]),
            "period_start": ["1", "4", "2026"],
            "period_end": ["30", "4", "2026"],
            "value": "4",
        },
        rows={PartnerFigure: 1},
    ),
    "plan_admin.findings": Create(
        role="officer",
        page=at("plan_admin.findings", consultation_id="closed"),
        data=lambda ids: {"statement": "People feel unsafe on the towpath"},
        rows={Finding: 1},
    ),
    "plan_admin.add_evidence": Create(
        role="officer",
        page=at("plan_admin.finding", finding_id="finding"),
        url=at("plan_admin.add_evidence", finding_id="finding"),
        setup=_closed_contribution,
        data=lambda ids: {"evidence": "", "contribution": str(ids["quote"])},
        rows={FindingEvidence: 1},
    ),
    "plan_admin.respond": Create(
        role="officer",
        page=at("plan_admin.finding", finding_id="finding"),
        url=at("plan_admin.respond", finding_id="finding"),
        data=lambda ids: {
            "kind": "new_action",
            "priority": str(ids["priority"]),
            "new_title": "Light the towpath",
            "new_lead": "council",
            "explanation": "Lights go in this winter",
        },
        rows={PlanAction: 1},
    ),
    "plan_editor.new_action": Create(
        role="officer",
        page=at("plan_editor.new_action", priority_id="priority"),
        data=lambda ids: {
            "title": "Patrol the towpath",
            "lead_organisation": "police",
            "status": "planned",
            "progress": "0",
        },
        rows={PlanAction: 1},
    ),
    "plan_editor.new_priority": Create(
        role="officer",
        page=at("plan_editor.new_priority"),
        data=lambda ids: {"title": "Safer riverside", "summary": "Paths and lights"},
        rows={Priority: 1},
    ),
    "plan_editor.add_update": Create(
        role="officer",
        page=at("plan_editor.add_update", action_id="action"),
        data=lambda ids: {"body": "The first lights are in", "progress": "20"},
        rows={ActionUpdate: 1},
    ),
    "survey_builder.new": Create(
        role="officer",
        page=at("survey_builder.new", consultation_id="consultation"),
        data=lambda ids: {"title": "Your views on the riverside", "intro": "Ten minutes"},
        rows={Survey: 1},
    ),
    "survey_builder.duplicate": Create(
        role="officer",
        page=at("survey_builder.show", **BUILDING),
        url=at("survey_builder.duplicate", **BUILDING),
        rows={Survey: 1, Section: 1, Question: 1},
    ),
    "survey_builder.new_section": Create(
        role="officer",
        page=at("survey_builder.new_section", **BUILDING),
        data=lambda ids: {"title": "About the riverside"},
        rows={Section: 1},
    ),
    "survey_builder.new_question": Create(
        role="officer",
        page=lambda ids: url_for(
            "survey_builder.new_question",
            survey_id=ids["building"],
            section_id=ids["building_section"],
            kind="short_text",
        ),
        data=lambda ids: {"text": "Where do you walk?"},
        rows={Question: 1},
    ),
    "survey_builder.duplicate_section": Create(
        role="officer",
        page=at("survey_builder.show", **BUILDING),
        url=at("survey_builder.duplicate_section", **BUILDING, section_id="building_section"),
        rows={Section: 1, Question: 1},
    ),
    "survey_builder.duplicate_question": Create(
        role="officer",
        page=at("survey_builder.show", **BUILDING),
        url=at("survey_builder.duplicate_question", **BUILDING, question_id="building_question"),
        rows={Question: 1},
    ),
    "survey_builder.enter_response": Create(
        role="officer",
        page=at("survey_builder.show", **BUILDING),
        url=lambda ids: url_for(
            "survey_builder.enter_response", survey_id=ids["building"], channel="paper"
        ),
        rows={Response: 1},
    ),
    # Its first save inserts the answers (one per response and key, unique); sent again it
    # would only set the same values, but the token makes a double tap one save.
    "surveys.about_you_page": Create(
        role="resident",
        page=at("surveys.about_you_page", survey_id="about"),
        setup=_about_you_survey,
        prepare=_reach_about_you,
        data=lambda ids: {"age_band": "25_34", "gender": "woman"},
        rows={AboutYouAnswer: 2},
    ),
    "surveys.submit": Create(
        role="resident",
        page=at("surveys.check", survey_id="survey"),
        url=at("surveys.submit", survey_id="survey"),
        prepare=_answer_the_survey,
        rows={},  # the response was made by "begin": sending it queues the receipt
        mails=1,
    ),
    "tagging_themes.index": Create(
        role="officer",
        page=at("tagging_themes.index", consultation_id="consultation"),
        data=lambda ids: {"name": "Riverside paths", "description": "Towpath and bridges"},
        rows={Theme: 1},
    ),
    "tagging_rounds.index": Create(
        role="officer",
        page=at("tagging_rounds.index", consultation_id="consultation"),
        setup=_coded,
        data=lambda ids: {"coder": str(ids["coder"]), "size": "2", "seed": "7"},
        rows={CodingRound: 1},
    ),
    # Replaces the language's translations (delete, then insert): two at once met the
    # unique key and answered 500 before the token.
    "translations_admin.edit": Create(
        role="officer",
        page=lambda ids: url_for(
            "translations_admin.edit", consultation_id=ids["consultation"], language="ko"
        ),
        data=lambda ids: {f"consultation_{ids['consultation']}_title": "더 안전한 거리"},
        rows={ContentTranslation: 1},
    ),
    "wards_admin.index": Create(
        role="officer",
        page=at("wards_admin.index"),
        setup=_ward_terms,
        data=lambda ids: {
            "boundaries": (io.BytesIO(ids["geojson"]), "wards.geojson"),
            "attribution": "Source: ONS, OGL v3.0",
        },
        rows={WardBoundaries: 1},
    ),
}

#: POST routes that cannot make a second thing when sent again, and why.
UPDATE = "changes a row that exists (sent again, it sets the same values)"
STATE = "moves a row to a state; the service refuses or ignores the same move again"
DELETE = "removes or retires a row; sent again, there is nothing left to remove"
NOT_CREATING: dict[str, str] = {
    # accounts and sessions
    "accounts.sign_in": "signs in: no row is made (a repeat signs in again)",
    "accounts.sign_out": "signs out: rotates the session token, makes nothing",
    "accounts.edit_profile": UPDATE,
    "main.hide_cookie_notice": "sets a flag in the session cookie",
    "users_admin.change_role": UPDATE,
    "users_admin.disable_user": STATE,
    "users_admin.enable_user": STATE,
    "privacy.acknowledge_notice": "the privacy notice consent is given once per version "
    "(an active consent for the version is kept, not added again)",
    "privacy.delete_account": DELETE,
    "privacy.stop_following": DELETE,
    "privacy.withdraw_consent": STATE,
    "privacy_admin.erase": DELETE,
    "api_tokens.revoke": STATE,
    "outbox_admin.retry": "only a failed mail is queued again; a queued one is refused (400)",
    # consultations
    "consultations.unfollow": DELETE,
    "consultations_admin.edit": UPDATE,
    "consultations_admin.close": STATE,
    "consultations_admin.publish": STATE,
    "consultations_admin.unpublish": STATE,
    "partners.edit_agreement": UPDATE,
    "partners.edit_figure": UPDATE,
    # surveys (answering)
    "surveys.begin": "natural key: one response per person and survey (unique survey_id, "
    "user_id / browser_token), retried on a collision",
    "surveys.section": "natural key: one answer per response and question "
    "(unique response_id, question_id)",
    # survey builder
    "survey_builder.choose_type": "step one of adding a question: only redirects",
    "survey_builder.retype_question": "chooses a type: only redirects to the edit form",
    "survey_builder.edit": UPDATE,
    "survey_builder.edit_section": UPDATE,
    "survey_builder.edit_question": UPDATE,
    "survey_builder.question_condition": UPDATE,
    "survey_builder.section_condition": UPDATE,
    "survey_builder.relocate_question": UPDATE,
    "survey_builder.move_question": "moves a question one place; reordering, no new row",
    "survey_builder.move_section": "moves a section one place; reordering, no new row",
    "survey_builder.delete_question": DELETE,
    "survey_builder.delete_section": DELETE,
    # conversations
    "conversations.vote": "natural key: one vote per participant and statement (unique "
    "participant_id, statement_id; a repeat changes the vote)",
    "conversations_admin.recompute_now": "recomputes results: replaces them, adds nothing",
    # ideas
    "ideas.support": "natural key: one support per person and idea (unique idea_id, user_id)",
    "ideas.unsupport": DELETE,
    "ideas.edit": UPDATE,
    "ideas.withdraw": STATE,
    "ideas_admin.edit": UPDATE,
    # groups
    "groups.edit_project": UPDATE,
    "groups.remove_member": STATE,
    "groups.submit_project": "locked and retried: a draft is submitted once, then refused",
    "groups_admin.approve": "decided once by a conditional update (pending → active); the "
    "second is refused, so one mail",
    "groups_admin.decline": "decided once by a conditional update (pending → declined)",
    "groups_admin.move": "locked: the stage table refuses the same move from the new stage",
    # moderation
    "moderation.restore": "only a hidden or rejected contribution is restored; a repeat is refused",
    "moderation_settings.remove_term": DELETE,
    "moderation_settings.retire_reason": DELETE,
    # tagging
    "tagging.contribution": "natural key: one tag per contribution and term or theme "
    "(unique contribution_id, term_id / theme_id)",
    "tagging.bulk": "natural key: one tag per contribution and term or theme",
    "tagging.decide": "natural key: one decision per contribution and term or theme (unique "
    "contribution_id, term_id / theme_id); a decided suggestion is no longer offered",
    "tagging_rounds.code": "natural key: one code per round item and term or theme "
    "(unique item_id, term_id / theme_id); the colleague's set replaces the last",
    "tagging_themes.edit": UPDATE,
    "tagging_themes.merge": "moves tags and retires the theme; a retired theme is refused",
    "tagging_themes.retire": DELETE,
    "tagging_themes.restore": STATE,
    # framework, plan and the map
    "framework_admin.edit_term": UPDATE,
    "framework_admin.retire_term": DELETE,
    "framework_admin.restore_term": STATE,
    "plan_admin.finding": UPDATE,
    "plan_admin.delete_finding": DELETE,
    "plan_admin.remove_evidence": DELETE,
    "plan_admin.publish_outcome": "published once: a published outcome is refused, so "
    "participants are mailed once",
    "plan_editor.edit_action": UPDATE,
    "plan_editor.edit_priority": UPDATE,
    "wards_admin.remove": DELETE,
}


def _endpoint(key: str) -> str:
    return key.split("#")[0]


def test_every_post_route_is_declared(app):
    posting = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    creating = {_endpoint(key) for key in CREATING}
    undeclared = sorted(posting - creating - NOT_CREATING.keys())
    both = sorted(creating & NOT_CREATING.keys())
    stale = sorted((creating | NOT_CREATING.keys()) - posting)
    assert not undeclared, f"POST routes neither creating nor not: {undeclared}"
    assert not both, f"declared both creating and not: {both}"
    assert not stale, f"declared routes that take no POST: {stale}"


# --- reading a form as a browser would send it ---------------------------------------------


class _Forms(HTMLParser):
    """Each form's action and the fields a browser sends (checked boxes, chosen options,
    text areas, the first submit button)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._text: list | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "fields": [], "names": set()}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if name:
            self._form["names"].add(name)
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "button"):
                if not any(f[0] == "__submit__" for f in self._form["fields"]):
                    self._form["fields"].append(("__submit__", (name, a.get("value", ""))))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].append((name, a.get("value", "on")))
            elif kind != "file":
                self._form["fields"].append((name, a.get("value", "")))
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            if not any(f[0] == "__submit__" for f in self._form["fields"]):
                self._form["fields"].append(("__submit__", (name, a.get("value", ""))))
        elif tag == "textarea" and name:
            self._text = [name, ""]
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "chosen": False}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"] = True
                self._form["fields"].append((self._select["name"], value))

    def handle_data(self, data):
        if self._text is not None:
            self._text[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._text is not None and self._form is not None:
            self._form["fields"].append((self._text[0], self._text[1].removeprefix("\n")))
            self._text = None
        elif tag == "select" and self._select is not None and self._form is not None:
            if not self._select["chosen"] and self._select["first"] is not None:
                self._form["fields"].append((self._select["name"], self._select["first"]))
            self._select = None


def read_form(page: str, page_url: str, action_url: str, pick: str | None) -> dict:
    """The fields of the page's form that posts to ``action_url``, as a browser sends them."""
    parser = _Forms()
    parser.feed(page)
    target = urlsplit(action_url).path
    found = [
        f
        for f in parser.forms
        if urlsplit(f["action"] or page_url).path == target and (not pick or pick in f["names"])
    ]
    assert found, f"no form on {page_url} posts to {action_url}"
    data: dict[str, list] = {}
    for name, value in found[0]["fields"]:
        if name == "__submit__":
            name, value = value
        data.setdefault(name, []).append(value)
    return data


# --- counting -------------------------------------------------------------------------------


def table_counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def mails_by_recipient(app) -> Counter:
    with app.app_context():
        return Counter(
            db.session.execute(select(OutboxMessage.to_address, OutboxMessage.template)).all()
        )


def assert_made_once(recipe: Create, before: dict, after: dict, app) -> None:
    for model, n in recipe.rows.items():
        table = getattr(model, "__table__", model).name
        assert after[table] - before[table] == n, f"{table}: {before[table]} → {after[table]}"
    outbox = OutboxMessage.__table__.name
    assert after[outbox] - before[outbox] == recipe.mails, "mails queued"
    assert after[UsedFormToken.__table__.name] - before[UsedFormToken.__table__.name] == 1
    twice = [key for key, n in mails_by_recipient(app).items() if n > 1]
    assert not twice, f"one person mailed the same thing twice: {twice}"


# --- the world each recipe posts in ---------------------------------------------------------


@pytest.fixture
def world(app, framework, users) -> Ids:
    """The access matrix's world: a consultation, survey, board, group, plan … by id."""
    return matrix_world(app, users)


def _client(app, users, role: str):
    return app.test_client() if role == "visitor" else sign_in_client(app, users[role])


def _ready(app, recipe: Create, made: Ids, clients) -> tuple[Ids, str, dict]:
    """The ids, the URL to post to, and the form as read from its page (with its token)."""
    ids = dict(made)
    with app.app_context():
        if recipe.setup is not None:
            ids.update(recipe.setup(ids))
    with app.test_request_context():
        page_url = recipe.page(ids)
        url = recipe.url(ids) if recipe.url else page_url
    if recipe.prepare is not None:
        with app.test_request_context():
            recipe.prepare(clients[0], ids)
    page = clients[0].get(page_url)
    assert page.status_code == 200, (page_url, page.status_code, page.location)
    fields = read_form(page.get_data(as_text=True), page_url, url, recipe.pick)
    assert fields.get("form_token"), f"the form on {page_url} carries no one-time token"
    return ids, url, fields


def _post(client, url: str, fields: dict, recipe: Create, ids: Ids):
    return client.post(url, data={**fields, **recipe.data(ids)})


def _declared(key: str) -> Create:
    return CREATING[key]


def _why(response) -> str:
    """What a page said went wrong: its error messages, else its status and where it went."""
    html = response.get_data(as_text=True)
    errors = re.findall(r'govuk-error-message">(.*?)</p>', html, re.S)
    errors += re.findall(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    errors += re.findall(r'govuk-notification-banner__heading">(.*?)</', html, re.S)
    summary = "; ".join(" ".join(re.sub(r"<[^>]+>", " ", e).split()) for e in errors)
    return f"{response.status_code} {response.location or ''} {summary}"[:2000]


# The walks of every creating route (108 cases, about 30 s) are in the slow tier, like
# the access matrix's walk; `test_every_post_route_is_declared` and
# tests/operations/test_idempotent_creates.py keep the quick tier's check.
@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(CREATING))
def test_a_form_sent_twice_in_a_row_makes_one_thing(key, app, users, world):
    recipe = _declared(key)
    client = _client(app, users, recipe.role)
    ids, url, fields = _ready(app, recipe, world, [client])
    before = table_counts(app)
    first = _post(client, url, fields, recipe, ids)
    assert first.status_code == recipe.answers, _why(first)
    once = table_counts(app)
    again = _post(client, url, fields, recipe, ids)
    assert again.status_code == 303, _why(again)
    if recipe.answers in (301, 302, 303):
        assert again.location == first.location
    assert table_counts(app) == once, "the repeat changed the database"
    assert_made_once(recipe, before, once, app)


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(CREATING))
def test_a_form_sent_twice_at_once_makes_one_thing(key, app, users, world):
    recipe = _declared(key)
    clients = [_client(app, users, recipe.role) for _ in range(2)]
    ids, url, fields = _ready(app, recipe, world, clients)
    before = table_counts(app)
    barrier = threading.Barrier(2)
    answers: list = []
    bodies = [recipe.data(ids) for _ in clients]  # an upload is read once per request

    def send(client, body):
        barrier.wait()
        answers.append(client.post(url, data={**fields, **body}))

    threads = [
        threading.Thread(target=send, args=pair) for pair in zip(clients, bodies, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(r.status_code for r in answers)
    assert recipe.answers in codes, codes
    assert set(codes) <= {recipe.answers, 303}, [_why(r) for r in answers]
    assert_made_once(recipe, before, table_counts(app), app)
