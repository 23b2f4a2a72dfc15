"""a poll knows the art. 278 matter it puts (polls.matter_kind), and is put to one matter of a
voting period at the most (period_matters.poll_id unique)

Revision ID: 0014_period
Revises: 0013_paper
Create Date: 2026-12-07 20:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_period"
down_revision: str | None = "0013_paper"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("polls") as batch:
        batch.add_column(sa.Column("matter_kind", sa.String(length=32), nullable=True))
    op.drop_index("ix_period_matters_poll_id", table_name="period_matters")
    op.create_index("ix_period_matters_poll_id", "period_matters", ["poll_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_period_matters_poll_id", table_name="period_matters")
    op.create_index("ix_period_matters_poll_id", "period_matters", ["poll_id"])
    with op.batch_alter_table("polls") as batch:
        batch.drop_column("matter_kind")
