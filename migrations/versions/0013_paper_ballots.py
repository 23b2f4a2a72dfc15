"""paper ballots of a voting period: printed ballots with their serial and delivery, every
scan put to the reader (image hash and path), and the marks left to the clerk

Revision ID: 0013_paper
Revises: 0013_period
Create Date: 2026-12-07 17:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_paper"
down_revision: str | None = "0013_period"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "paper_ballots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=16), nullable=False),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("printed_by", sa.String(length=64), nullable=False),
        sa.Column("delivery", sa.String(length=16), nullable=True),
        sa.Column("delivered_by", sa.String(length=64), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivery_recorded_by", sa.String(length=64), nullable=True),
        sa.Column("counted_scan_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["period_id"], ["voting_periods.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["exclusive_units.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("serial"),
        sa.UniqueConstraint("unit_id"),
    )
    op.create_index("ix_paper_ballots_period_id", "paper_ballots", ["period_id"])
    op.create_table(
        "ballot_scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=True),
        sa.Column("serial", sa.String(length=16), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("image_path", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scanned_by", sa.String(length=64), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("readings", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["period_id"], ["voting_periods.id"]),
        sa.ForeignKeyConstraint(["ballot_id"], ["paper_ballots.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ballot_scans_period_id", "ballot_scans", ["period_id"])
    op.create_index("ix_ballot_scans_ballot_id", "ballot_scans", ["ballot_id"])
    op.create_index("ix_ballot_scans_sha256", "ballot_scans", ["sha256"])
    op.create_table(
        "mark_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("crop_path", sa.String(length=200), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["period_id"], ["voting_periods.id"]),
        sa.ForeignKeyConstraint(["scan_id"], ["ballot_scans.id"]),
        sa.ForeignKeyConstraint(["ballot_id"], ["paper_ballots.id"]),
        sa.ForeignKeyConstraint(["matter_id"], ["period_matters.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_mark_reviews_period_id", "mark_reviews", ["period_id"])
    op.create_index("ix_mark_reviews_scan_id", "mark_reviews", ["scan_id"])


def downgrade() -> None:
    op.drop_table("mark_reviews")
    op.drop_table("ballot_scans")
    op.drop_table("paper_ballots")
