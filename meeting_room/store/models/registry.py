"""Every table module, imported once so that the mappers (relationships name classes of
other modules) and Alembic's metadata see them all; ``store.storage`` imports this."""

from meeting_room.store.models import (  # noqa: F401
    access,
    assembly,
    audit,
    box,
    credits,
    floor,
    follow,
    meetings,
    paper,
    records,
    roster,
    topics,
    voting,
)
from meeting_room.store.models.base import Base

metadata = Base.metadata
