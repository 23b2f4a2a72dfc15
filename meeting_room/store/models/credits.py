"""The hall's participation credit settings (积分): whether credit is shown, and the points of
each deed. Credit itself is never stored: ``reports.credits`` counts it from the records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from meeting_room.store.models.base import Base, UTCDateTime


class CreditSettings(Base):
    """The staff's credit settings: one row (id 1); missing means off, with default points."""

    __tablename__ = "credit_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    # Deed (``domain.credits.Deed``) → points each, e.g. {"sign_in": 2, "speech": 3}.
    points: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
