"""The hall's topic library (议题分类): seeded with the hall's usual categories the first time
it is read, then edited by staff. A category is never deleted (topics point at it): staff
retire it instead, and it is no longer offered to new topics.

Functions of the caller's ``Session``.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from meeting_room.domain.problems import Problem, Refusal
from meeting_room.domain.topics import SEED_CATEGORIES
from meeting_room.store.models.topics import TopicCategory
from meeting_room.topics.schemas import CategoryIn, CategoryView


def ensure_library(session: Session) -> None:
    """Seed the library once, when it has never held a category."""
    if session.scalar(select(func.count()).select_from(TopicCategory)):
        return
    for position, (name, must_consult) in enumerate(SEED_CATEGORIES, start=1):
        session.add(
            TopicCategory(name=name, must_consult=must_consult, active=True, position=position)
        )
    session.flush()


def categories(session: Session, active_only: bool = False) -> list[TopicCategory]:
    """The library in its order (only the categories offered to new topics if asked)."""
    ensure_library(session)
    query = select(TopicCategory).order_by(TopicCategory.position, TopicCategory.id)
    if active_only:
        query = query.where(TopicCategory.active.is_(True))
    return list(session.scalars(query))


def get_category(session: Session, category_id: int) -> TopicCategory:
    """The category with this id, or ``category_not_found``."""
    ensure_library(session)
    category = session.get(TopicCategory, category_id)
    if category is None:
        raise Refusal(Problem.CATEGORY_NOT_FOUND)
    return category


def _unique(session: Session, name: str, other_than: int | None = None) -> None:
    query = select(TopicCategory.id).where(TopicCategory.name == name)
    if other_than is not None:
        query = query.where(TopicCategory.id != other_than)
    if session.scalar(query) is not None:
        raise Refusal(Problem.CATEGORY_EXISTS, name=name)


def add_category(session: Session, wanted: CategoryIn) -> TopicCategory:
    """A new category at the end of the library; ``category_exists`` for a name in use."""
    ensure_library(session)
    _unique(session, wanted.name)
    last = session.scalar(select(func.max(TopicCategory.position))) or 0
    category = TopicCategory(
        name=wanted.name, must_consult=wanted.must_consult, active=wanted.active, position=last + 1
    )
    session.add(category)
    session.flush()
    return category


def edit_category(session: Session, category_id: int, wanted: CategoryIn) -> TopicCategory:
    """Rename a category, mark it a matter to consult on or not, retire or restore it."""
    category = get_category(session, category_id)
    _unique(session, wanted.name, other_than=category.id)
    category.name = wanted.name
    category.must_consult = wanted.must_consult
    category.active = wanted.active
    session.flush()
    return category


def category_view(category: TopicCategory) -> CategoryView:
    """A category as screens and the API show it."""
    return CategoryView(
        id=category.id,
        name=category.name,
        must_consult=category.must_consult,
        active=category.active,
    )
