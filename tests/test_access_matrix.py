"""Every route × every role: the declared expectation holds; an undeclared route fails.

Expectations are written here by hand, independently of the app's own permission
table, so a change to who may do what has to be made in both places on purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from community.extensions import db
from tests.conftest import ROLES, sign_in_client
from tests.support.factories import make_user

SIGNED_IN = set(ROLES) - {"visitor"}
ADMIN = {"admin"}
PLAN_MANAGERS = {"officer", "admin"}
#: Partners update the actions their organisation leads (checked per action).
PLAN_UPDATERS = {"partner", "officer", "admin"}
SHARED_ANALYSIS = {"partner", "officer", "admin"}
FRAMEWORK_EDITORS = {"officer", "admin"}
CONSULTATION_MANAGERS = {"officer", "admin"}
MODERATORS = {"moderator", "officer", "admin"}
TAGGERS = {"officer", "admin"}
#: Officers see analysis while a consultation is open; the public only after it closes.
ANALYSTS = {"officer", "admin"}

OK, REDIRECT, FORBIDDEN, NOT_FOUND, BAD, NOT_ALLOWED = 200, 302, 403, 404, 400, 405
UNAUTHORISED = 401
TO_SIGN_IN = "to-sign-in"
TO_ACCOUNT = "to-account"


@dataclass
class Route:
    """What each role gets from one endpoint.

    ``allowed`` roles get ``ok``; signed-in roles outside it get 403; a visitor
    outside it is sent to sign in. ``method`` is the one method to try; args come
    from the fixtures (``ids``) when the rule has variables.
    """

    allowed: set[str]
    ok: int | str = OK
    method: str = "GET"
    args: Callable[[dict], dict] = field(default=lambda ids: {})
    signed_in_gets: int | str | None = None  # for pages only visitors use
    visitor_gets: int | str | None = None  # for public pages that refuse rather than sign in

    def expected(self, role: str) -> int | str:
        if role in self.allowed:
            return self.ok
        if role == "visitor":
            return self.visitor_gets or TO_SIGN_IN
        return self.signed_in_gets or FORBIDDEN


EVERYONE = set(ROLES)


def public(ok=OK, **kw) -> Route:
    return Route(allowed=EVERYONE, ok=ok, **kw)


def post(allowed: set[str], ok: int | str = REDIRECT, **kw) -> Route:
    """A form post: most answer with a redirect."""
    return Route(allowed=allowed, ok=ok, method="POST", **kw)


def visitors_only(**kw) -> Route:
    return Route(allowed={"visitor"}, signed_in_gets=TO_ACCOUNT, **kw)


MATRIX: dict[str, Route] = {
    "static": public(args=lambda ids: {"filename": "js/init.js"}),
    # main
    "main.home": public(),
    "main.accessibility": public(),
    "main.cookies": public(),
    "main.health": public(),
    "main.ready": public(),
    "main.hide_cookie_notice": public(ok=REDIRECT, method="POST"),
    "main.choose_language": public(ok=REDIRECT, args=lambda ids: {"code": "ko"}),
    # search (public: the index only ever holds what everyone may see)
    "search.index": public(),
    # ward map (boundaries upload)
    "wards_admin.index": Route(allowed=FRAMEWORK_EDITORS),
    "wards_admin.remove": post(FRAMEWORK_EDITORS),
    # accounts
    "accounts.register": visitors_only(),
    "accounts.sign_in": visitors_only(),
    "accounts.check_email": public(),
    "accounts.verify_email": public(ok=BAD, args=lambda ids: {"token": "not-a-token"}),
    "accounts.resend_verification": public(),
    "accounts.forgot_password": public(),
    "accounts.reset_password": public(ok=BAD, args=lambda ids: {"token": "not-a-token"}),
    "accounts.sign_out": public(ok=REDIRECT, method="POST"),
    "accounts.account": Route(allowed=SIGNED_IN),
    "accounts.change_password": Route(allowed=SIGNED_IN),
    "accounts.edit_profile": Route(allowed=SIGNED_IN),
    # framework
    "framework.index": public(),
    "framework.vocabulary": public(args=lambda ids: {"code": "principle"}),
    "framework_admin.index": Route(allowed=FRAMEWORK_EDITORS),
    "framework_admin.new_term": Route(
        allowed=FRAMEWORK_EDITORS, args=lambda ids: {"code": "issue"}
    ),
    "framework_admin.edit_term": Route(
        allowed=FRAMEWORK_EDITORS, args=lambda ids: {"term_id": ids["term"]}
    ),
    "framework_admin.retire_term": post(
        FRAMEWORK_EDITORS,
        ok=REDIRECT,
        args=lambda ids: {"term_id": ids["term"]},
    ),
    "framework_admin.restore_term": post(
        FRAMEWORK_EDITORS,
        ok=REDIRECT,
        args=lambda ids: {"term_id": ids["term"]},
    ),
    # consultations
    "consultations.index": public(),
    "consultations.show": public(args=lambda ids: {"slug": ids["consultation_slug"]}),
    "consultations.follow": post(
        SIGNED_IN,
        ok=REDIRECT,
        args=lambda ids: {"slug": ids["consultation_slug"]},
    ),
    "consultations.unfollow": post(
        SIGNED_IN,
        ok=REDIRECT,
        args=lambda ids: {"slug": ids["consultation_slug"]},
    ),
    "consultations.follow_ward": post(SIGNED_IN),
    "consultations.follow_term": Route(
        allowed=SIGNED_IN, ok=REDIRECT, method="POST", args=lambda ids: {"term_id": ids["issue"]}
    ),
    "consultations.unsubscribe": public(ok=NOT_FOUND, args=lambda ids: {"token": "not-a-token"}),
    "translations_admin.index": Route(
        CONSULTATION_MANAGERS, args=lambda ids: {"consultation_id": ids["consultation"]}
    ),
    "translations_admin.edit": Route(
        CONSULTATION_MANAGERS,
        args=lambda ids: {"consultation_id": ids["consultation"], "language": "ko"},
    ),
    "consultations_admin.index": Route(allowed=CONSULTATION_MANAGERS),
    "consultations_admin.new": Route(allowed=CONSULTATION_MANAGERS),
    "consultations_admin.show": Route(
        allowed=CONSULTATION_MANAGERS, args=lambda ids: {"consultation_id": ids["consultation"]}
    ),
    "consultations_admin.close": Route(
        allowed=CONSULTATION_MANAGERS, args=lambda ids: {"consultation_id": ids["consultation"]}
    ),
    "consultations_admin.edit": Route(
        allowed=CONSULTATION_MANAGERS, args=lambda ids: {"consultation_id": ids["consultation"]}
    ),
    "consultations_admin.publish": post(
        CONSULTATION_MANAGERS,
        ok=REDIRECT,
        args=lambda ids: {"consultation_id": ids["consultation"]},
    ),
    "consultations_admin.unpublish": post(
        CONSULTATION_MANAGERS,
        ok=REDIRECT,
        args=lambda ids: {"consultation_id": ids["consultation"]},
    ),
    # surveys (answering); without a response yet, the pages send you to the start page,
    # so "begin" (which starts one) comes after them
    "surveys.start": public(args=lambda ids: {"survey_id": ids["survey"]}),
    "surveys.section": Route(
        allowed=SIGNED_IN,
        ok=REDIRECT,
        args=lambda ids: {"survey_id": ids["survey"], "section_id": ids["section"]},
    ),
    "surveys.about_you_page": Route(
        allowed=SIGNED_IN, ok=REDIRECT, args=lambda ids: {"survey_id": ids["survey"]}
    ),
    "surveys.check": Route(
        allowed=SIGNED_IN, ok=REDIRECT, args=lambda ids: {"survey_id": ids["survey"]}
    ),
    "surveys.begin": post(
        SIGNED_IN,
        ok=REDIRECT,
        args=lambda ids: {"survey_id": ids["survey"]},
    ),
    "surveys.submit": post(
        SIGNED_IN,
        ok=REDIRECT,
        args=lambda ids: {"survey_id": ids["survey"]},
    ),
    "surveys.confirmation": public(ok=REDIRECT, args=lambda ids: {"survey_id": ids["survey"]}),
    # conversations
    "conversations.show": public(args=lambda ids: {"conversation_id": ids["conversation"]}),
    "conversations.results": public(args=lambda ids: {"conversation_id": ids["conversation"]}),
    "conversations.vote": post(
        SIGNED_IN,
        ok=BAD,
        args=lambda ids: {"conversation_id": ids["conversation"]},
    ),
    "conversations.add_statement": post(
        SIGNED_IN,
        ok=BAD,
        args=lambda ids: {"conversation_id": ids["conversation"]},
    ),
    "conversations_admin.new": Route(
        allowed=CONSULTATION_MANAGERS, args=lambda ids: {"consultation_id": ids["consultation"]}
    ),
    "conversations_admin.import_polis": Route(
        allowed=CONSULTATION_MANAGERS, args=lambda ids: {"consultation_id": ids["consultation"]}
    ),
    "conversations_admin.show": Route(
        allowed=CONSULTATION_MANAGERS, args=lambda ids: {"conversation_id": ids["conversation"]}
    ),
    "conversations_admin.recompute_now": post(
        CONSULTATION_MANAGERS,
        ok=REDIRECT,
        args=lambda ids: {"conversation_id": ids["conversation"]},
    ),
    "conversations_admin.export": Route(
        allowed=CONSULTATION_MANAGERS, args=lambda ids: {"conversation_id": ids["conversation"]}
    ),
    # consensus views
    "insights.consultation": Route(
        allowed=ANALYSTS,
        args=lambda ids: {"slug": ids["consultation_slug"]},
        visitor_gets=FORBIDDEN,
    ),
    "insights.partnership": public(),
    "insights.term": public(args=lambda ids: {"code": "PH1"}),
    "insights.answers_list": Route(
        allowed=ANALYSTS, args=lambda ids: {"slug": ids["consultation_slug"]}
    ),
    # ideas
    "ideas.index": public(),
    "ideas.board": public(args=lambda ids: {"board_id": ids["board"]}),
    "ideas.show": public(args=lambda ids: {"board_id": ids["board"], "idea_id": ids["idea"]}),
    "ideas.new": Route(allowed=SIGNED_IN, args=lambda ids: {"board_id": ids["board"]}),
    "ideas.support": post(
        SIGNED_IN,
        ok=REDIRECT,
        args=lambda ids: {"board_id": ids["board"], "idea_id": ids["idea"]},
    ),
    "ideas.unsupport": post(
        SIGNED_IN,
        ok=REDIRECT,
        args=lambda ids: {"board_id": ids["board"], "idea_id": ids["idea"]},
    ),
    "ideas.add_comment": post(
        SIGNED_IN,
        ok=REDIRECT,
        args=lambda ids: {"board_id": ids["board"], "idea_id": ids["idea"]},
    ),
    # Only the idea's author (not one of these roles) may change or withdraw it.
    "ideas.edit": Route(
        allowed=set(), args=lambda ids: {"board_id": ids["board"], "idea_id": ids["idea"]}
    ),
    "ideas.withdraw": Route(
        allowed=set(),
        method="POST",
        args=lambda ids: {"board_id": ids["board"], "idea_id": ids["idea"]},
    ),
    "ideas.respond": post(
        CONSULTATION_MANAGERS,
        ok=REDIRECT,
        args=lambda ids: {"board_id": ids["board"], "idea_id": ids["idea"]},
    ),
    "ideas_admin.new": Route(
        allowed=CONSULTATION_MANAGERS, args=lambda ids: {"consultation_id": ids["consultation"]}
    ),
    "ideas_admin.edit": Route(
        allowed=CONSULTATION_MANAGERS, args=lambda ids: {"board_id": ids["board"]}
    ),
    # groups and projects: a group led by the group leader, with the youth as a member;
    # "draft" is the youth's draft, "public_project" is published and in co-design
    "groups.index": public(),
    "groups.apply": Route(allowed={"resident", "group_leader"}),
    "groups.join": Route(allowed={"youth"}),
    "groups.show": public(args=lambda ids: {"group_id": ids["group"]}),
    "groups.members": Route(
        allowed={"group_leader", "officer", "admin"}, args=lambda ids: {"group_id": ids["group"]}
    ),
    "groups.remove_member": post(
        {"group_leader", "officer", "admin"},
        ok=REDIRECT,
        args=lambda ids: {"group_id": ids["group"], "member_id": ids["removable_member"]},
    ),
    "groups.new_code": post(
        {"group_leader", "officer", "admin"},
        ok=REDIRECT,
        args=lambda ids: {"group_id": ids["group"]},
    ),
    "groups.new_project": Route(
        allowed={"youth", "group_leader"}, args=lambda ids: {"group_id": ids["group"]}
    ),
    "groups.project": public(args=lambda ids: {"project_id": ids["public_project"]}),
    "groups.edit_project": Route(
        allowed={"youth", "group_leader"}, args=lambda ids: {"project_id": ids["draft"]}
    ),
    "groups.submit_project": post(
        {"group_leader"},
        ok=REDIRECT,
        args=lambda ids: {"project_id": ids["draft_to_submit"]},
    ),
    "groups.post_message": post(
        {"group_leader", "officer", "admin"},
        ok=REDIRECT,
        args=lambda ids: {"project_id": ids["public_project"]},
    ),
    "groups_admin.index": Route(allowed={"officer", "admin"}),
    "groups_admin.application": Route(
        allowed={"officer", "admin"}, args=lambda ids: {"group_id": ids["application"]}
    ),
    "groups_admin.approve": post(
        {"officer", "admin"},
        ok=REDIRECT,
        args=lambda ids: {"group_id": ids["application"]},
    ),
    "groups_admin.decline": post(
        {"officer", "admin"},
        ok=BAD,
        args=lambda ids: {"group_id": ids["application"]},
    ),
    "groups_admin.move": Route(
        allowed={"officer", "admin"}, args=lambda ids: {"project_id": ids["public_project"]}
    ),
    "groups_admin.add_update": post(
        {"officer", "admin"},
        ok=REDIRECT,
        args=lambda ids: {"project_id": ids["public_project"]},
    ),
    # the plan and outcomes: "closed" has a draft finding (evidence, no response yet);
    # "outcome" has a published one; the partner leads no action, so edits none
    "plan.index": public(),
    "plan.action": public(args=lambda ids: {"action_id": ids["action"]}),
    "plan.outcomes": public(),
    "plan.outcome": public(args=lambda ids: {"slug": ids["outcome_slug"]}),
    "plan.evidence": public(
        args=lambda ids: {"slug": ids["outcome_slug"], "evidence_id": ids["published_evidence"]}
    ),
    "plan.my_contributions": Route(allowed=SIGNED_IN),
    "plan.stop_hearing_back": public(args=lambda ids: {"token": ids["stop_token"]}),
    "plan_admin.findings": Route(
        allowed=PLAN_MANAGERS, args=lambda ids: {"consultation_id": ids["closed"]}
    ),
    "plan_admin.finding": Route(
        allowed=PLAN_MANAGERS, args=lambda ids: {"finding_id": ids["finding"]}
    ),
    "plan_admin.add_evidence": post(
        PLAN_MANAGERS,
        ok=BAD,
        args=lambda ids: {"finding_id": ids["finding"]},
    ),
    "plan_admin.remove_evidence": post(
        PLAN_MANAGERS,
        ok=REDIRECT,
        args=lambda ids: {"finding_id": ids["finding"], "evidence_id": ids["evidence"]},
    ),
    "plan_admin.respond": post(
        PLAN_MANAGERS,
        ok=BAD,
        args=lambda ids: {"finding_id": ids["finding"]},
    ),
    "plan_admin.delete_finding": post(
        PLAN_MANAGERS,
        ok=REDIRECT,
        args=lambda ids: {"finding_id": ids["finding"]},
    ),
    "plan_admin.publish_outcome": post(
        PLAN_MANAGERS,
        ok=REDIRECT,
        args=lambda ids: {"consultation_id": ids["closed"]},
    ),
    "plan_editor.plan": Route(allowed=PLAN_UPDATERS),
    "plan_editor.new_priority": Route(allowed=PLAN_MANAGERS),
    "plan_editor.edit_priority": Route(
        allowed=PLAN_MANAGERS, args=lambda ids: {"priority_id": ids["priority"]}
    ),
    "plan_editor.new_action": Route(
        allowed=PLAN_MANAGERS, args=lambda ids: {"priority_id": ids["priority"]}
    ),
    "plan_editor.edit_action": Route(
        allowed=PLAN_MANAGERS, args=lambda ids: {"action_id": ids["action"]}
    ),
    "plan_editor.add_update": Route(
        allowed=PLAN_MANAGERS, args=lambda ids: {"action_id": ids["action"]}
    ),
    # for the partnership (capability "view_shared_analysis")
    "partnership.matrix": Route(allowed=SHARED_ANALYSIS),
    "partnership.cell": Route(
        allowed=SHARED_ANALYSIS, args=lambda ids: {"row": ids["term"], "column": ids["issue"]}
    ),
    "partnership.export_xlsx": Route(allowed=SHARED_ANALYSIS),
    "partnership.export_csv": Route(
        allowed=SHARED_ANALYSIS, args=lambda ids: {"table": "findings"}
    ),
    "partnership.report": Route(allowed=SHARED_ANALYSIS),
    # open data: public for a closed consultation with public results, 404 otherwise
    "opendata.index": public(),
    "opendata.dataset_json": public(args=lambda ids: {"slug": ids["closed_slug"]}),
    "opendata.dataset_csv": public(args=lambda ids: {"slug": ids["closed_slug"]}),
    # partner API: it reads a bearer token, never the session, so every role gets what a
    # caller without a token gets: open data, and 401 for what needs the analysis scope
    # (tests/api covers tokens and scopes)
    "api.index": public(),
    "api.openapi": public(),
    "api.consultations": public(),
    "api.consultation": public(args=lambda ids: {"slug": ids["closed_slug"]}),
    "api.questions": public(args=lambda ids: {"slug": ids["closed_slug"]}),
    "api.results": public(args=lambda ids: {"slug": ids["closed_slug"]}),
    "api.consensus": public(args=lambda ids: {"slug": ids["closed_slug"]}),
    "api.tags": Route(
        allowed=set(),
        visitor_gets=UNAUTHORISED,
        signed_in_gets=UNAUTHORISED,
        args=lambda ids: {"slug": ids["closed_slug"]},
    ),
    "api.framework": public(),
    "api.findings": public(),
    "api.actions": public(),
    "api.partner_figures": Route(
        allowed=set(), visitor_gets=UNAUTHORISED, signed_in_gets=UNAUTHORISED
    ),
    # sharing consultations with partners, partner data (officers)
    "partners.sharing": Route(
        allowed=CONSULTATION_MANAGERS, args=lambda ids: {"consultation_id": ids["consultation"]}
    ),
    "partners.index": Route(allowed={"officer", "admin"}),
    "partners.new_figure": Route(allowed={"officer", "admin"}),
    "partners.edit_figure": Route(
        allowed={"officer", "admin"}, args=lambda ids: {"figure_id": ids["partner_figure"]}
    ),
    "partners.new_agreement": Route(allowed={"officer", "admin"}),
    "partners.edit_agreement": Route(
        allowed={"officer", "admin"}, args=lambda ids: {"agreement_id": ids["agreement"]}
    ),
    # moderation
    "moderation.queue": Route(allowed=MODERATORS),
    "moderation.show": Route(allowed=MODERATORS, args=lambda ids: {"contribution_id": ids["held"]}),
    "moderation.bulk": post(MODERATORS, ok=REDIRECT),
    "moderation.publish": post(
        MODERATORS,
        ok=REDIRECT,
        args=lambda ids: {"contribution_id": ids["held"]},
    ),
    "moderation.reject": post(
        MODERATORS,
        ok=REDIRECT,
        args=lambda ids: {"contribution_id": ids["held"]},
    ),
    "moderation.hide": post(
        MODERATORS,
        ok=REDIRECT,
        args=lambda ids: {"contribution_id": ids["held"]},
    ),
    "moderation.restore": post(
        MODERATORS,
        ok=REDIRECT,
        args=lambda ids: {"contribution_id": ids["held"]},
    ),
    "moderation.report": Route(
        allowed=SIGNED_IN, args=lambda ids: {"contribution_id": ids["public_contribution"]}
    ),
    "moderation.public_log": public(args=lambda ids: {"slug": ids["consultation_slug"]}),
    "moderation_settings.index": Route(allowed=MODERATORS),
    "moderation_settings.remove_term": Route(
        allowed=MODERATORS, ok=NOT_FOUND, method="POST", args=lambda ids: {"term_id": 999999}
    ),
    "moderation_settings.retire_reason": Route(
        allowed=MODERATORS, ok=NOT_FOUND, method="POST", args=lambda ids: {"template_id": 999999}
    ),
    # survey results: the survey's consultation is open, so only analysts (capability
    # "analyse": officers and admins) see results; the public may once it closes
    "survey_results.show": Route(
        allowed={"officer", "admin"}, args=lambda ids: {"survey_id": ids["survey"]}
    ),
    "survey_results.answers": Route(
        allowed={"officer", "admin"},
        args=lambda ids: {"survey_id": ids["survey"], "question_id": ids["survey_question"]},
    ),
    "survey_results.crosstab_page": Route(
        allowed={"officer", "admin"}, args=lambda ids: {"survey_id": ids["survey"]}
    ),
    "survey_results.export_csv": Route(
        allowed={"officer", "admin"}, args=lambda ids: {"survey_id": ids["survey"]}
    ),
    "survey_results.export_xlsx": Route(
        allowed={"officer", "admin"}, args=lambda ids: {"survey_id": ids["survey"]}
    ),
    # survey builder (officers), on a survey nobody answers (an answer locks it);
    # one-click changes come last, as they change it
    "survey_builder.new": Route(
        allowed=CONSULTATION_MANAGERS,
        args=lambda ids: {"consultation_id": ids["consultation"]},
    ),
    "survey_builder.show": Route(
        allowed=CONSULTATION_MANAGERS,
        args=lambda ids: {"survey_id": ids["building"]},
    ),
    "survey_builder.edit": Route(
        allowed=CONSULTATION_MANAGERS,
        args=lambda ids: {"survey_id": ids["building"]},
    ),
    "survey_builder.preview": Route(
        allowed=CONSULTATION_MANAGERS,
        args=lambda ids: {"survey_id": ids["building"]},
    ),
    "survey_builder.new_section": Route(
        allowed=CONSULTATION_MANAGERS,
        args=lambda ids: {"survey_id": ids["building"]},
    ),
    "survey_builder.edit_section": Route(
        allowed=CONSULTATION_MANAGERS,
        args=lambda ids: {"survey_id": ids["building"], "section_id": ids["building_section"]},
    ),
    "survey_builder.delete_section": Route(
        allowed=CONSULTATION_MANAGERS,
        args=lambda ids: {"survey_id": ids["building"], "section_id": ids["building_section"]},
    ),
    "survey_builder.section_condition": Route(
        allowed=CONSULTATION_MANAGERS,
        args=lambda ids: {"survey_id": ids["building"], "section_id": ids["building_section"]},
    ),
    "survey_builder.choose_type": Route(
        allowed=CONSULTATION_MANAGERS,
        args=lambda ids: {"survey_id": ids["building"], "section_id": ids["building_section"]},
    ),
    "survey_builder.new_question": Route(
        allowed=CONSULTATION_MANAGERS,
        args=lambda ids: {
            "survey_id": ids["building"],
            "section_id": ids["building_section"],
            "kind": "single_choice",
        },
    ),
    "survey_builder.edit_question": Route(
        allowed=CONSULTATION_MANAGERS,
        args=lambda ids: {"survey_id": ids["building"], "question_id": ids["building_question"]},
    ),
    "survey_builder.retype_question": Route(
        allowed=CONSULTATION_MANAGERS,
        args=lambda ids: {"survey_id": ids["building"], "question_id": ids["building_question"]},
    ),
    "survey_builder.delete_question": Route(
        allowed=CONSULTATION_MANAGERS,
        args=lambda ids: {"survey_id": ids["building"], "question_id": ids["building_question"]},
    ),
    "survey_builder.relocate_question": Route(
        allowed=CONSULTATION_MANAGERS,
        args=lambda ids: {"survey_id": ids["building"], "question_id": ids["building_question"]},
    ),
    "survey_builder.question_condition": Route(
        allowed=CONSULTATION_MANAGERS,
        args=lambda ids: {"survey_id": ids["building"], "question_id": ids["building_question"]},
    ),
    "survey_builder.move_section": post(
        CONSULTATION_MANAGERS,
        ok=REDIRECT,
        args=lambda ids: {
            "survey_id": ids["building"],
            "section_id": ids["building_section"],
            "direction": "down",
        },
    ),
    "survey_builder.duplicate_section": post(
        CONSULTATION_MANAGERS,
        ok=REDIRECT,
        args=lambda ids: {"survey_id": ids["building"], "section_id": ids["building_section"]},
    ),
    "survey_builder.move_question": post(
        CONSULTATION_MANAGERS,
        ok=REDIRECT,
        args=lambda ids: {
            "survey_id": ids["building"],
            "question_id": ids["building_question"],
            "direction": "up",
        },
    ),
    "survey_builder.duplicate_question": post(
        CONSULTATION_MANAGERS,
        ok=REDIRECT,
        args=lambda ids: {"survey_id": ids["building"], "question_id": ids["building_question"]},
    ),
    "survey_builder.duplicate": post(
        CONSULTATION_MANAGERS,
        ok=REDIRECT,
        args=lambda ids: {"survey_id": ids["building"]},
    ),
    "survey_builder.enter_response": post(
        CONSULTATION_MANAGERS,
        ok=REDIRECT,
        args=lambda ids: {"survey_id": ids["building"], "channel": "paper"},
    ),
    # tagging and summaries (capabilities "tag" and "analyse": officers and admins); the
    # blind second coding is for the colleague asked (the officer), so not even an admin
    "tagging.index": Route(allowed=TAGGERS),
    "tagging.overview": Route(
        allowed=TAGGERS, args=lambda ids: {"consultation_id": ids["consultation"]}
    ),
    "tagging.read": Route(
        allowed=TAGGERS, ok=REDIRECT, args=lambda ids: {"consultation_id": ids["consultation"]}
    ),
    "tagging.contribution": Route(
        allowed=TAGGERS,
        args=lambda ids: {
            "consultation_id": ids["consultation"],
            "contribution_id": ids["public_contribution"],
        },
    ),
    "tagging.decide": post(
        TAGGERS,
        ok=BAD,
        args=lambda ids: {
            "consultation_id": ids["consultation"],
            "contribution_id": ids["public_contribution"],
        },
    ),
    "tagging.contributions": Route(
        allowed=TAGGERS, args=lambda ids: {"consultation_id": ids["consultation"]}
    ),
    "tagging.bulk": post(
        TAGGERS,
        ok=REDIRECT,
        args=lambda ids: {"consultation_id": ids["consultation"]},
    ),
    "tagging_themes.index": Route(
        allowed=TAGGERS, args=lambda ids: {"consultation_id": ids["consultation"]}
    ),
    "tagging_themes.edit": Route(allowed=TAGGERS, args=lambda ids: {"theme_id": ids["theme"]}),
    "tagging_themes.merge": Route(allowed=TAGGERS, args=lambda ids: {"theme_id": ids["theme"]}),
    "tagging_themes.terms": Route(allowed=TAGGERS, args=lambda ids: {"theme_id": ids["theme"]}),
    "tagging_themes.retire": Route(
        allowed=TAGGERS, ok=REDIRECT, method="POST", args=lambda ids: {"theme_id": ids["theme"]}
    ),
    "tagging_themes.restore": Route(
        allowed=TAGGERS, ok=REDIRECT, method="POST", args=lambda ids: {"theme_id": ids["theme"]}
    ),
    "tagging_rounds.index": Route(
        allowed=TAGGERS, args=lambda ids: {"consultation_id": ids["consultation"]}
    ),
    "tagging_rounds.show": Route(allowed=TAGGERS, args=lambda ids: {"round_id": ids["round"]}),
    "tagging_rounds.code": Route(
        allowed={"officer"}, args=lambda ids: {"round_id": ids["round"], "position": 1}
    ),
    "tagging_analysis.show": Route(
        allowed=TAGGERS, args=lambda ids: {"consultation_id": ids["consultation"]}
    ),
    "tagging_analysis.report": Route(
        allowed=TAGGERS, args=lambda ids: {"consultation_id": ids["consultation"]}
    ),
    "tagging_analysis.export_csv": Route(
        allowed=TAGGERS, args=lambda ids: {"consultation_id": ids["consultation"]}
    ),
    "tagging_analysis.export_xlsx": Route(
        allowed=TAGGERS, args=lambda ids: {"consultation_id": ids["consultation"]}
    ),
    # privacy: the notice, and your own data
    "privacy.notice": public(),
    "privacy.your_data": Route(allowed=SIGNED_IN),
    "privacy.download": Route(allowed=SIGNED_IN),
    "privacy.delete_account": Route(allowed=SIGNED_IN),
    "privacy.account_deleted": public(),
    "privacy.consent_list": Route(allowed=SIGNED_IN),
    "privacy.withdraw_consent": Route(
        allowed=SIGNED_IN, ok=NOT_FOUND, method="POST", args=lambda ids: {"consent_id": 999999}
    ),
    "privacy.stop_following": Route(
        allowed=SIGNED_IN, ok=NOT_FOUND, method="POST", args=lambda ids: {"follow_id": 999999}
    ),
    "privacy.acknowledge_notice": post(SIGNED_IN, ok=REDIRECT),
    "privacy_admin.download": Route(allowed=ADMIN, args=lambda ids: {"user_id": ids["target"]}),
    "privacy_admin.erase": Route(allowed=ADMIN, args=lambda ids: {"user_id": ids["target"]}),
    # administration
    "users_admin.list_users": Route(allowed=ADMIN),
    "users_admin.show_user": Route(allowed=ADMIN, args=lambda ids: {"user_id": ids["target"]}),
    "users_admin.change_role": Route(
        allowed=ADMIN, ok=BAD, method="POST", args=lambda ids: {"user_id": ids["target"]}
    ),
    "users_admin.disable_user": Route(
        allowed=ADMIN, ok=REDIRECT, method="POST", args=lambda ids: {"user_id": ids["target"]}
    ),
    "users_admin.enable_user": Route(
        allowed=ADMIN, ok=REDIRECT, method="POST", args=lambda ids: {"user_id": ids["target"]}
    ),
    "audit_admin.list_events": Route(allowed=ADMIN),
    "outbox_admin.list_messages": Route(allowed=ADMIN),
    "outbox_admin.retry": Route(
        allowed=ADMIN, ok=NOT_FOUND, method="POST", args=lambda ids: {"message_id": 999999}
    ),
    "api_tokens.index": Route(allowed=ADMIN),
    "api_tokens.new": Route(allowed=ADMIN),
    "api_tokens.show": Route(allowed=ADMIN, args=lambda ids: {"token_id": ids["api_token"]}),
    "api_tokens.revoke": Route(
        allowed=ADMIN, ok=REDIRECT, method="POST", args=lambda ids: {"token_id": ids["api_token"]}
    ),
}


def test_every_route_is_declared(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    undeclared = sorted(endpoints - MATRIX.keys())
    stale = sorted(MATRIX.keys() - endpoints)
    assert not undeclared, f"routes missing from the access matrix: {undeclared}"
    assert not stale, f"access matrix names routes that no longer exist: {stale}"


@pytest.fixture
def ids(app, framework, users):
    return matrix_world(app, users)


def matrix_world(app, users) -> dict:
    """One of everything the routes take (on the seeded framework), by name: their ids."""
    from sqlalchemy import select

    from community.framework.models import Term
    from tests.support.factories import make_consultation, make_contribution, make_survey

    with app.app_context():
        target = make_user()
        term = db.session.scalar(select(Term).where(Term.code == "PH1"))
        issue = db.session.scalar(select(Term).where(Term.code == "road-safety"))
        consultation = make_consultation()
        #: Closed, results public: has open data (and API results).
        closed = make_consultation(phase="closed")
        from datetime import date

        from community.accounts.models import Organisation
        from community.api import tokens
        from community.api.models import TokenScope
        from community.partners.models import PartnerFigure, SharingAgreement

        api_token, _secret = tokens.issue(
            name="Dashboard",
            scope=TokenScope.OPEN_DATA,
            organisation=None,
            expires_on=date(2099, 1, 1),
            user=None,
        )
        agreement = SharingAgreement(
            organisation=Organisation.POLICE, name="ISA", signed_on=date(2025, 4, 1)
        )
        db.session.add(agreement)
        db.session.flush()
        partner_figure = PartnerFigure(
            agreement_id=agreement.id,
            issue_id=issue.id,
            measure="Reports",
            period_start=date(2026, 3, 1),
            period_end=date(2026, 3, 31),
            value=12,
        )
        db.session.add(partner_figure)
        db.session.commit()
        survey = make_survey(consultation, [("Section", [{"kind": "short_text", "text": "Why?"}])])
        # The builder's own survey: nobody answers it, so it stays unlocked (open to change).
        building = make_survey(consultation, [("Part", [{"kind": "short_text", "text": "How?"}])])
        from community.conversations.models import Conversation

        conversation = Conversation(consultation_id=consultation.id, question="Safer how?")
        db.session.add(conversation)
        db.session.commit()
        from community.contributions.models import ContributionStatus
        from community.ideas.models import Idea, IdeaBoard

        board = IdeaBoard(consultation_id=consultation.id, title="Ideas")
        db.session.add(board)
        db.session.flush()
        idea = Idea(
            board_id=board.id,
            author_id=target.id,
            title="Idea",
            body="Text",
            status=ContributionStatus.PUBLISHED,
        )
        db.session.add(idea)
        db.session.commit()
        held = make_contribution(consultation, status="pending")
        public_contribution = make_contribution(consultation, status="published")
        from community.accounts.models import Role
        from community.groups.models import GroupStatus, ProjectStage
        from tests.groups.factories import add_member, make_group, make_project

        group = make_group(users["group_leader"])
        add_member(group, users["youth"])
        removable = add_member(group, make_user(Role.YOUTH))
        application = make_group(make_user(), status=GroupStatus.PENDING)
        draft = make_project(group, users["youth"])
        draft_to_submit = make_project(group, users["youth"])
        public_project = make_project(
            group, users["youth"], stage=ProjectStage.CO_DESIGN, status="published"
        )
        from community.tagging.models import CodingRound, RoundItem, Theme

        theme = Theme(consultation_id=consultation.id, code="lighting", name="Street lighting")
        coding_round = CodingRound(
            consultation_id=consultation.id, coder_id=users["officer"].id, size=1, seed=1
        )
        coding_round.items = [RoundItem(contribution_id=public_contribution.id, position=1)]
        db.session.add_all([theme, coding_round])
        db.session.commit()
        from community.plan import outcomes
        from community.plan import service as plan_service
        from community.plan.models import EvidenceKind, Finding, FindingEvidence, PlanAction

        plan_service.seed_plan(app.config["PLAN_FILE"])
        outcome = make_consultation(phase="outcome")
        draft_finding = Finding(consultation_id=closed.id, statement="Draft finding")
        draft_finding.evidence = [FindingEvidence(kind=EvidenceKind.TERM, term_id=issue.id)]
        published_finding = Finding(
            consultation_id=outcome.id,
            statement="Published finding",
            published_at=outcome.outcome_published_at,
            figures={"contributions": 0, "answered": 0, "evidence": 1},
        )
        published_finding.evidence = [
            FindingEvidence(
                kind=EvidenceKind.TERM,
                term_id=issue.id,
                frozen={"contributions": 0, "of": 0, "share": 0.0, "ids": []},
            )
        ]
        db.session.add_all([draft_finding, published_finding])
        db.session.commit()
        action = db.session.scalar(select(PlanAction).order_by(PlanAction.id))
        return {
            "action": action.id,
            "priority": action.priority_id,
            "closed": closed.id,
            "outcome_slug": outcome.slug,
            "finding": draft_finding.id,
            "evidence": draft_finding.evidence[0].id,
            "published_evidence": published_finding.evidence[0].id,
            "stop_token": outcomes.stop_token(users["resident"].id, closed.id),
            "group": group.id,
            "removable_member": removable.id,
            "application": application.id,
            "draft": draft.id,
            "draft_to_submit": draft_to_submit.id,
            "public_project": public_project.id,
            "board": board.id,
            "idea": idea.id,
            "conversation": conversation.id,
            "held": held.id,
            "public_contribution": public_contribution.id,
            "survey": survey.id,
            "section": survey.sections[0].id,
            "survey_question": survey.sections[0].questions[0].id,
            "building": building.id,
            "building_section": building.sections[0].id,
            "building_question": building.sections[0].questions[0].id,
            "target": target.id,
            "term": term.id,
            "issue": issue.id,
            "consultation": consultation.id,
            "consultation_slug": consultation.slug,
            "closed_slug": closed.slug,
            "api_token": api_token.id,
            "agreement": agreement.id,
            "partner_figure": partner_figure.id,
            "theme": theme.id,
            "round": coding_round.id,
        }


def _outcome(response) -> int | str:
    if response.status_code == 302:
        location = response.headers["Location"]
        if "/sign-in" in location and "next=" in location:
            return TO_SIGN_IN
        if location.endswith("/account"):
            return TO_ACCOUNT
    return response.status_code


@pytest.mark.slow  # every route for every role
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, role, users, ids):
    with app.test_request_context():
        from flask import url_for

        urls = {name: url_for(name, **route.args(ids)) for name, route in MATRIX.items()}
    failures = []
    for name, route in MATRIX.items():
        # A fresh client each time, so one route (sign out) cannot change the next.
        client = app.test_client() if role == "visitor" else sign_in_client(app, users[role])
        response = client.open(urls[name], method=route.method)
        got, want = _outcome(response), route.expected(role)
        if got != want:
            failures.append(f"{route.method} {urls[name]} ({name}): expected {want}, got {got}")
        # Methods a route does not take are refused with 405, never a 500.
        if route.method == "POST":
            assert client.get(urls[name]).status_code == NOT_ALLOWED, name
    assert not failures, f"{role}:\n" + "\n".join(failures)


@pytest.mark.slow  # every form post with CSRF on
def test_every_form_post_needs_a_csrf_token(make_app, users, ids):
    """With CSRF on (as in production), a POST without a token is refused with 400."""
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    with csrf_app.test_request_context():
        from flask import url_for

        posts = {
            name: url_for(name, **route.args(ids))
            for name, route in MATRIX.items()
            if route.method == "POST"
        }
    client = sign_in_client(csrf_app, users["admin"])
    for name, url in posts.items():
        response = client.post(url)
        assert response.status_code == BAD, name
        assert "did not save it" in response.get_data(as_text=True), name
