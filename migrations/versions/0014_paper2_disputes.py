"""paper ballots: why a page was not read, a serial typed by the clerk, and the clerk's
disputes of values the reader read by itself

Revision ID: 0014_paper2
Revises: 0014_period
Create Date: 2026-12-07 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_paper2"
down_revision: str | None = "0014_period"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ballot_scans") as table:
        table.add_column(sa.Column("unread", sa.String(length=16), nullable=True))
        table.add_column(sa.Column("serial_typed_by", sa.String(length=64), nullable=True))
        table.add_column(sa.Column("serial_typed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "ballot_disputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("read_choice", sa.String(length=16), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["period_id"], ["voting_periods.id"]),
        sa.ForeignKeyConstraint(["scan_id"], ["ballot_scans.id"]),
        sa.ForeignKeyConstraint(["ballot_id"], ["paper_ballots.id"]),
        sa.ForeignKeyConstraint(["matter_id"], ["period_matters.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ballot_disputes_period_id", "ballot_disputes", ["period_id"])
    op.create_index("ix_ballot_disputes_scan_id", "ballot_disputes", ["scan_id"])


def downgrade() -> None:
    op.drop_table("ballot_disputes")
    with op.batch_alter_table("ballot_scans") as table:
        table.drop_column("serial_typed_at")
        table.drop_column("serial_typed_by")
        table.drop_column("unread")
