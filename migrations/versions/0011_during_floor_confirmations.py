"""floor confirmations: an item started without the quorum, a finished item reopened, an
ended speech given back; each recorded (and audited) with who confirmed it

Revision ID: 0011_during
Revises: 0012_after
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_during"
down_revision: str | None = "0012_after"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "floor_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.ForeignKeyConstraint(["item_id"], ["agenda_items.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("floor_confirmations") as batch:
        batch.create_index("ix_floor_confirmations_meeting_id", ["meeting_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("floor_confirmations") as batch:
        batch.drop_index("ix_floor_confirmations_meeting_id")
    op.drop_table("floor_confirmations")
