"""voice settings

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "voice_settings",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("announcements", sa.JSON(), nullable=False),
        sa.Column("screens", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.PrimaryKeyConstraint("meeting_id"),
    )


def downgrade() -> None:
    op.drop_table("voice_settings")
