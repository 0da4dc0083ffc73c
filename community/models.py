"""Imports every feature's models, so metadata (and Alembic) sees all tables."""

from .accounts.models import User  # noqa: F401
from .api.models import ApiCall, ApiToken  # noqa: F401
from .audit.models import AuditEvent  # noqa: F401
from .consultations.models import Consultation, Follow  # noqa: F401
from .contributions.models import Contribution  # noqa: F401
from .conversations.models import Conversation, Participant, Statement, Vote  # noqa: F401
from .framework.models import Term, Vocabulary  # noqa: F401
from .groups.models import Group, Membership, Project, ProjectMessage, ProjectUpdate  # noqa: F401
from .ideas.models import Comment, Idea, IdeaBoard, Support  # noqa: F401
from .moderation.models import AbuseTerm, Decision, RejectionTemplate, Report  # noqa: F401
from .notifications.models import OutboxMessage  # noqa: F401
from .operations.models import UsedFormToken, WorkerHeartbeat  # noqa: F401
from .partners.models import ConsultationShare, PartnerFigure, SharingAgreement  # noqa: F401
from .plan.models import (  # noqa: F401
    ActionUpdate,
    Finding,
    FindingEvidence,
    FindingResponse,
    Plan,
    PlanAction,
    Priority,
)
from .privacy.models import Consent  # noqa: F401
from .surveys.models import AboutYouAnswer, Answer, Question, Response, Section, Survey  # noqa: F401
from .tagging.models import (  # noqa: F401
    CodingRound,
    RoundCode,
    RoundItem,
    SuggestionDecision,
    SuggestionModel,
    Tag,
    Theme,
)
