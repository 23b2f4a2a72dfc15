"""a named ballot's time: in a named poll the latest ballot counts, whatever its channel

A paper card's reading becomes a ballot only when the poll closes; it replaces a named ballot
cast after its photo only if it is the later of the two, so the ballot row keeps when it was
cast. Secret polls leave it empty (nothing may date a secret ballot).

Revision ID: t15count_ballot_time
Revises: 0009
Create Date: 2026-12-07 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t15count_ballot_time"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("ballots", sa.Column("cast_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ballots") as batch:
        batch.drop_column("cast_at")
