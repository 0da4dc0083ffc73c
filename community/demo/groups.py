"""A demo youth club for a local site: the demo group leader leads it, the demo youth member
belongs to it, and two of its projects are on their way (one in co-design, one evaluated).

Built through the groups' own services, so it is what the real steps would leave: audited,
moderated, with dated updates and a co-design thread.
"""

from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from ..framework.models import Term

GROUP_NAME = "Cambridge Road Youth Club"

PROJECTS = [
    {
        "title": "Our streets, our heroes",
        "problem": "Drill videos tell younger kids that carrying a knife makes you safe.",
        "audience": "Year 8 and 9 at the two local schools",
        "activities": "Film short stories with local boxers and mentors who walked away.",
        "strengths": "The boxing club, older brothers and sisters, the youth council",
        "support_kinds": ["money", "mentors"],
        "support_details": "About £600 for cameras and editing; two mentors",
        "success_measures": "Views, a short survey before and after, fewer referrals",
        "issues": ("serious-violence-and-knife-crime", "youth-safety-and-exploitation"),
        "principles": ("PH1",),
        "moves": [("co_design", "We met the group at the club and agreed a plan.", {})],
        "update": "Filming dates agreed with both schools.",
        "message": "Can the group use the youth hall on Thursday evenings?",
    },
    {
        "title": "Friday night football",
        "problem": "Some young people say there is nothing to do but hang about in the "
        "town centre on Friday nights.",
        "audience": "13 to 17 year olds in Norbiton",
        "activities": "Free football and music on Friday evenings, with youth workers.",
        "strengths": "Volunteer coaches from the estate, the local football club",
        "support_kinds": ["space"],
        "support_details": "The school sports hall on Friday evenings",
        "success_measures": "How many come each week, and what they tell us",
        "issues": ("anti-social-behaviour",),
        "principles": ("PH1",),
        "moves": [
            ("co_design", "A mentor will help plan the sessions.", {}),
            ("review", "Ready for the partnership board.", {}),
            (
                "approved",
                "Approved at the board.",
                {"resources": "The sports hall every Friday and £400 for kit"},
            ),
            ("delivering", "The first session is this Friday.", {}),
            (
                "evaluated",
                "Twelve weeks of sessions.",
                {
                    "outcome": "Twelve Friday sessions, 35 young people on average.",
                    "people_reached": 120,
                    "lessons": "Young people came back when they chose the music.",
                },
            ),
        ],
    },
]


def _plain(title: str, problem: str, moves: list, **more) -> dict:
    """A shorter project spec: the same proposal shape, moved through ``moves``."""
    return {
        "title": title,
        "problem": problem,
        "audience": "Young people in the area",
        "activities": more.get("activities", "Weekly sessions run with youth workers."),
        "strengths": "Older young people who have been there, and the club's volunteers",
        "support_kinds": more.get("support_kinds", ["space"]),
        "support_details": more.get("support_details", ""),
        "success_measures": "How many come, and what they say after",
        "issues": more.get("issues", ("youth-safety-and-exploitation",)),
        "principles": ("PH1",),
        "moves": moves,
        "submit": more.get("submit", True),
    }


#: One more project at each stage the two above do not reach, so officers and the group
#: see every stage: a draft, proposed, in review, approved, delivering, not taken forward.
PROJECTS += [
    _plain(
        "Safe routes home", "Younger pupils are scared walking past the station.", [], submit=False
    ),
    _plain("Phones down, heads up", "Pile-ons in group chats end in fights at school.", []),
    _plain(
        "Girls' night at the club",
        "Girls say the club feels like it is for boys.",
        [("co_design", "Agreed a plan with the girls' group.", {}), ("review", "", {})],
    ),
    _plain(
        "Kitchen table talks",
        "Parents do not know how to talk about knives.",
        [
            ("co_design", "", {}),
            ("review", "", {}),
            ("approved", "Approved.", {"resources": "£300 for food and a room each month"}),
        ],
    ),
    _plain(
        "Ride safe",
        "E-bike thefts and crashes at the skate park.",
        [
            ("co_design", "", {}),
            ("review", "", {}),
            ("approved", "", {"resources": "Safety kit and a mechanic for six weeks"}),
            ("delivering", "First workshop on Saturday.", {}),
        ],
    ),
    _plain(
        "Night bus heroes",
        "Fights on the 71 after midnight.",
        [("not_taken_forward", "", {"reasons": "Transport for London already funds this."})],
    ),
]


def _person(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _term_ids(codes) -> list[int]:
    return list(db.session.scalars(select(Term.id).where(Term.code.in_(list(codes)))))


def load_demo_groups() -> list[str]:
    """The demo leader's group, its youth member and projects; nothing if it has a group."""
    from ..groups import projects, service
    from ..groups.models import Group, GroupKind
    from ..moderation.service import publish

    leader, youth = _person("leader@example.com"), _person("youth@example.com")
    officer = _person("officer@example.com")
    if None in (leader, youth, officer):
        return []
    if db.session.scalar(select(Group.id).where(Group.leader_id == leader.id)) is not None:
        return []
    ward = db.session.scalar(select(Term.id).where(Term.code == "norbiton"))
    group = service.apply(
        leader,
        name=GROUP_NAME,
        kind=GroupKind.YOUTH_CLUB,
        description="Football, music and a safe place to be on Friday nights, run by "
        "youth workers and volunteers.",
        area_id=ward,
        statement="Youth worker for six years, enhanced DBS check, safeguarding level 2.",
    )
    service.approve(group, officer)
    service.join(youth, group.invite_code)
    for spec in PROJECTS:
        proposal = projects.Proposal(
            title=spec["title"],
            problem=spec["problem"],
            audience=spec["audience"],
            activities=spec["activities"],
            strengths=spec["strengths"],
            support_kinds=spec["support_kinds"],
            support_details=spec["support_details"],
            success_measures=spec["success_measures"],
            issue_ids=_term_ids(spec["issues"]),
            principle_ids=_term_ids(spec["principles"]),
            area_id=ward,
        )
        project = projects.draft(group, youth, proposal)  # held: a young person wrote it
        publish(project, officer)
        if not spec.get("submit", True):
            continue
        projects.submit(project, leader)
        for to, note, details in spec["moves"]:
            mentor = {"mentor": str(officer.id)} if to == "co_design" else {}
            projects.move(project, officer, to, note, **mentor, **details)
        if spec.get("update"):
            projects.add_update(project, officer, spec["update"])
        if spec.get("message"):
            projects.post_message(project, leader, spec["message"])
    db.session.flush()
    return [
        f"Demo group: {GROUP_NAME}, led by leader@example.com, with youth@example.com as a "
        f"member (code {service.display_code(group.invite_code)}) and {len(PROJECTS)} projects"
    ]
