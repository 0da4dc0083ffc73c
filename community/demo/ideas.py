"""A demo idea board: dozens of ideas from around the borough, supports, comments and a
few official responses, built through the ideas' own services."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from ..accounts.models import User
from ..consultations.models import Consultation
from ..extensions import db
from ..framework.models import Term, active_terms_query, wards_query
from ..models_base import utcnow
from ..sanitise import rich_text

IDEAS = [
    (
        "Open the youth club on Friday nights",
        "Somewhere warm and safe to go instead of the bus station.",
    ),
    (
        "Brighter lights on the riverside path",
        "The stretch past the boathouses is pitch black by five.",
    ),
    (
        "Safe havens in town centre shops",
        "A sticker in the window so people know they can walk in.",
    ),
    ("Later buses from Kingston on weekends", "The last 71 leaves before the pubs close."),
    ("Mentors who grew up on the estate", "Young people listen to someone who has been there."),
    ("Free boxing sessions in the holidays", "Discipline, fitness and a coach who notices."),
    ("Street pastors on Saturday nights", "A friendly face at closing time helps more than a van."),
    ("Fix the broken CCTV on Cambridge Road", "It has been out for months and everyone knows."),
    ("A 20 mph zone round every school", "Drop-off is chaos and someone will be hurt."),
    ("Music studio time for teenagers", "Let them make their own music, not just listen to drill."),
    ("Cut back the hedges on the Fairfield", "You cannot see who is on the path after dark."),
    ("More PCSOs walking, not driving", "We never see them on foot in Tolworth."),
    ("Scam awareness sessions at the library", "My mum nearly lost her savings to a phone call."),
    ("A women's safety walk with the council", "Walk the routes with us at night and see."),
    ("Knife bins in more places", "Give people a way out that does not mean a police station."),
    ("Report graffiti with a photo", "An easy way to send it in, and see when it is cleaned."),
    ("Lock-up bike parking at the station", "Three bikes stolen from our road this year."),
    (
        "Youth council seat on the partnership board",
        "Young people should help decide, not just be asked.",
    ),
    ("Talks in schools from people who lost someone", "It lands in a way a leaflet never will."),
    (
        "Better lighting in the multi-storey car parks",
        "Level four is a place nobody wants to be alone.",
    ),
    ("Community speedwatch on Malden Road", "Residents with a speed gun and a police officer."),
    ("Free self-defence classes for women", "Run by the leisure centre, at times that suit."),
    ("Outreach workers at the skate park", "Someone the kids trust, there every evening."),
    (
        "Restorative meetings after neighbour disputes",
        "Get people talking before it becomes a feud.",
    ),
    ("Quicker repairs to broken street lights", "Reported in March, still broken in June."),
    ("Cooking clubs for teenagers", "Learn a skill, eat together, build friendships."),
    ("Neighbourhood WhatsApp with the safer neighbourhood team", "Local news without the rumours."),
    ("Help for people leaving prison to find work", "A job is the best way to stop reoffending."),
    ("Bystander training for bar staff", "They see trouble starting before anyone else."),
    (
        "A mural project under the railway bridge",
        "Young artists, and a tunnel that feels looked after.",
    ),
    (
        "Parent support groups about online harm",
        "We do not know what our kids see on their phones.",
    ),
    ("Water patrols on summer evenings", "Too many young people swim in the river after drinking."),
    ("Allotment plots for community groups", "Growing things together brings the estate together."),
    ("Clear signs for the night bus stops", "You cannot tell which stop is open after midnight."),
    ("After-school clubs at Chessington", "There is nothing for eleven to fourteen year olds."),
    ("Warden patrols in Canbury Gardens", "Drinking and fights on summer weekends."),
]

COMMENTS = [
    "Yes, this would make a real difference on our road.",
    "My daughter would use this every week.",
    "Good idea, but it needs to be staffed properly.",
    "We tried something like this years ago and it worked until the money ran out.",
    "Agree. Please start with the darkest stretches first.",
    "This matters more than more cameras.",
]

RESPONSES = {
    0: ("accepted", "The youth service will open on Friday nights from next month."),
    1: ("in_progress", "New lights are being fitted along the riverside this winter."),
    7: ("implemented", "The camera was repaired and is monitored again."),
    9: ("under_consideration", "We are talking to two studios about time for young people."),
    11: ("not_taken_forward", "Patrol patterns are set across London; we have passed this on."),
}


def load_demo_ideas(crowd, officer) -> list[str]:
    """The open ideas consultation and its board; nothing if it is there already."""
    from ..ideas import service
    from ..ideas.models import IdeaBoard, IdeaStatus, Support

    if db.session.scalar(select(IdeaBoard.id).limit(1)) is not None:
        return []
    rng = random.Random(11)
    now = utcnow()
    consultation = Consultation(
        slug="ideas-for-a-safer-kingston",
        title="Ideas for a safer Kingston",
        summary="Share your ideas for making the borough safer, support the ones you like "
        "and tell us what you think.",
        body_html=rich_text(
            "<p>Every idea is read by the partnership. The ones with most support, and the "
            "ones that fit the plan, get an official response.</p>"
        ),
        opens_at=now - timedelta(days=20),
        closes_at=now + timedelta(days=25),
        published_at=now - timedelta(days=21),
        allow_anonymous=False,
        documents=[],
    )
    consultation.terms = list(
        db.session.scalars(select(Term).where(Term.code.in_(["anti-social-behaviour", "PH1"])))
    )
    db.session.add(consultation)
    db.session.flush()
    board = IdeaBoard(
        consultation_id=consultation.id,
        title="Ideas for a safer Kingston",
        description="Post an idea, support others, and comment.",
    )
    db.session.add(board)
    db.session.flush()
    wards = list(db.session.scalars(wards_query()))
    issues = list(db.session.scalars(active_terms_query("issue")))
    ideas = []
    for n, (title, body) in enumerate(IDEAS):
        author = crowd[n % len(crowd)]
        idea = service.post_idea(
            board,
            author,
            title=title,
            description=body,
            issue_ids=[rng.choice(issues).id],
            area_id=wards[n % len(wards)].id,
        )
        idea.created_at = now - timedelta(days=rng.randint(1, 19), hours=rng.randint(0, 23))
        ideas.append(idea)
    db.session.flush()
    from ..moderation.service import publish

    for idea in ideas:
        if idea.status.value != "published":
            publish(idea, officer)
    supports = 0
    for n, idea in enumerate(ideas):
        fans = rng.sample(crowd, k=min(len(crowd), int(rng.expovariate(1 / 9))))
        fans = [person for person in fans if person.id != idea.author_id]
        for person in fans:
            db.session.add(Support(idea_id=idea.id, user_id=person.id))
        idea.support_count = len(fans)  # the count kept beside the supports table
        supports += len(fans)
        if n % 2 == 0:
            for text in rng.sample(COMMENTS, k=rng.randint(1, 3)):
                service.comment(idea, rng.choice(crowd), text)
    db.session.flush()
    youth = db.session.scalar(select(User).where(User.email == "youth@example.com"))
    if youth is not None:  # held for a moderator, as young people's writing always is
        service.comment(ideas[0], youth, "Could it open on Saturdays too? Fridays I have work.")
    for index, (status, explanation) in RESPONSES.items():
        service.respond(ideas[index], officer, IdeaStatus(status), explanation)
    db.session.flush()
    return [f"Demo idea board: {len(ideas)} ideas, {supports} supports, with comments"]
