"""a guest's request key: a retried registration answers the first one

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("guests") as batch:
        batch.add_column(sa.Column("request_hash", sa.String(length=64), nullable=True))
        batch.create_index("ix_guests_meeting_request", ["meeting_id", "request_hash"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("guests") as batch:
        batch.drop_index("ix_guests_meeting_request")
        batch.drop_column("request_hash")
