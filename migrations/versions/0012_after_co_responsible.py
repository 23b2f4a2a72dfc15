"""an action item's co-responsible parties (配合单位), beside its responsible party

Revision ID: 0012_after
Revises: 0012_box
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_after"
down_revision: str | None = "0012_box"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("action_items") as batch:
        batch.add_column(
            sa.Column("co_responsible", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("action_items") as batch:
        batch.drop_column("co_responsible")
