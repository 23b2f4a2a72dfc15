"""The tables' common ground: the declarative base and the column types every table uses.

Schema changes go through Alembic in migrations/; ``store.models.registry`` imports every
table module so that mappers and migrations see them all.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import DateTime, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase

E = TypeVar("E", bound=StrEnum)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC).replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Word(TypeDecorator[E]):
    """A state column holding one of a ``StrEnum``'s words: stored as its string value (the
    schema is a plain VARCHAR), read back as the enum member, so code compares members, never
    string literals. A word the enum does not know is refused on the way in."""

    impl = String(32)
    cache_ok = True

    def __init__(self, words: type[E], length: int = 16) -> None:
        super().__init__(length)
        self.words = words

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else self.words(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> E | None:
        return None if value is None else self.words(value)


class Base(DeclarativeBase):
    """Declarative base of every table."""
