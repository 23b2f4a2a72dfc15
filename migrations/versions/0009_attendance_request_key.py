"""an attendance's request key: a retried kiosk sign-in is told apart from a second one

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 06:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attendances") as batch:
        batch.add_column(sa.Column("request_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attendances") as batch:
        batch.drop_column("request_hash")
