"""Topics in the JSON API: the public list and library, residents' proposals and
co-signatures with their personal code, and staff review. Writes go through
``topics.service``."""

from __future__ import annotations

from spectree import Response as Responses

from meeting_room.access.roles import Role, allow
from meeting_room.topics import service
from meeting_room.topics.schemas import (
    AcceptIn,
    CategoryList,
    DecisionIn,
    MergeIn,
    ResidentTopicIn,
    SignedOut,
    SignIn,
    StaffTopicIn,
    TopicList,
    TopicView,
)
from meeting_room.web.api import ERRORS, bp, spec


@bp.get("/topics")
@allow(Role.ANYONE)
@spec.validate(resp=Responses(HTTP_200=TopicList, **ERRORS), tags=["topics"])
def list_topics() -> TopicList:
    """Every topic with its co-signing progress (no names: the board's view)."""
    return TopicList(topics=service.topics())


@bp.get("/topic-categories")
@allow(Role.ANYONE)
@spec.validate(resp=Responses(HTTP_200=CategoryList, **ERRORS), tags=["topics"])
def list_categories() -> CategoryList:
    """The hall's topic library."""
    return CategoryList(categories=service.categories())


@bp.post("/topics")
@allow(Role.ATTENDEE)
@spec.validate(json=ResidentTopicIn, resp=Responses(HTTP_201=TopicView, **ERRORS), tags=["topics"])
def propose(json: ResidentTopicIn) -> tuple[TopicView, int]:
    """A resident proposes a topic with their personal code."""
    return service.propose_with_token(json, json.channel), 201


@bp.post("/topics/<int:topic_id>/signatures")
@allow(Role.ATTENDEE)
@spec.validate(json=SignIn, resp=Responses(HTTP_201=SignedOut, **ERRORS), tags=["topics"])
def sign(topic_id: int, json: SignIn) -> tuple[SignedOut, int]:
    """A resident co-signs a topic with their personal code, once."""
    return service.sign_with_token(topic_id, json.token, json.channel), 201


@bp.post("/staff/topics")
@allow(Role.CLERK)
@spec.validate(json=StaffTopicIn, resp=Responses(HTTP_201=TopicView, **ERRORS), tags=["topics"])
def enter(json: StaffTopicIn) -> tuple[TopicView, int]:
    """Staff enter a topic gathered for residents, or the office's own."""
    return service.propose_by_staff(json), 201


@bp.post("/topics/<int:topic_id>/accept")
@allow(Role.CLERK)
@spec.validate(json=AcceptIn, resp=Responses(HTTP_200=TopicView, **ERRORS), tags=["topics"])
def accept(topic_id: int, json: AcceptIn) -> TopicView:
    """Accept a topic onto a meeting's agenda."""
    return service.accept(topic_id, json)


@bp.post("/topics/<int:topic_id>/merge")
@allow(Role.CLERK)
@spec.validate(json=MergeIn, resp=Responses(HTTP_200=TopicView, **ERRORS), tags=["topics"])
def merge(topic_id: int, json: MergeIn) -> TopicView:
    """Merge a duplicate into another topic (the answer is the topic merged into)."""
    return service.merge(topic_id, json)


@bp.post("/topics/<int:topic_id>/decline")
@allow(Role.CLERK)
@spec.validate(json=DecisionIn, resp=Responses(HTTP_200=TopicView, **ERRORS), tags=["topics"])
def decline(topic_id: int, json: DecisionIn) -> TopicView:
    """Decline a topic with a published reason."""
    return service.decline(topic_id, json)
