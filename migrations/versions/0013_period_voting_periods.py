"""owners' assembly voting periods: periods, matters, the base of exclusive units, unit
ballots from every channel, objections; the roster learns owner and unit keys and the
developer flag (法释〔2009〕7号 art. 9)

Revision ID: 0013_period
Revises: 0013_reports
Create Date: 2026-12-07 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_period"
down_revision: str | None = "0013_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("owner_key", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("unit_key", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("is_developer", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "voting_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("objection_days", sa.Integer(), nullable=False),
        sa.Column("non_voters_agree", sa.Boolean(), nullable=False),
        sa.Column("owners_assumed", sa.Integer(), nullable=False),
        sa.Column("second_ballot", sa.String(length=16), nullable=False),
        sa.Column("publish_mode", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("base_fixed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("preliminary_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("objection_ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("final_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("preliminary", sa.JSON(), nullable=True),
        sa.Column("final", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_voting_periods_meeting_id", "voting_periods", ["meeting_id"])
    op.create_table(
        "period_matters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["period_id"], ["voting_periods.id"]),
        sa.ForeignKeyConstraint(["poll_id"], ["polls.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period_id", "position"),
    )
    op.create_index("ix_period_matters_period_id", "period_matters", ["period_id"])
    op.create_index("ix_period_matters_poll_id", "period_matters", ["poll_id"])
    op.create_table(
        "exclusive_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("unit_key", sa.String(length=64), nullable=False),
        sa.Column("building", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("room", sa.String(length=32), nullable=False),
        sa.Column("area_m2", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("owner_key", sa.String(length=64), nullable=False),
        sa.Column("is_developer", sa.Boolean(), nullable=False),
        sa.Column("member_ids", sa.JSON(), nullable=False),
        sa.Column("receipt", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["period_id"], ["voting_periods.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period_id", "unit_key"),
        sa.UniqueConstraint("period_id", "receipt"),
    )
    op.create_index("ix_exclusive_units_period_id", "exclusive_units", ["period_id"])
    op.create_table(
        "unit_ballots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.String(length=200), nullable=False),
        sa.Column("standing", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["period_id"], ["voting_periods.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["exclusive_units.id"]),
        sa.ForeignKeyConstraint(["matter_id"], ["period_matters.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_unit_ballots_period_id", "unit_ballots", ["period_id"])
    op.create_index("ix_unit_ballots_unit_id", "unit_ballots", ["unit_id"])
    op.create_index(
        "uq_unit_ballots_standing",
        "unit_ballots",
        ["unit_id", "matter_id"],
        unique=True,
        sqlite_where=sa.text("standing"),
        postgresql_where=sa.text("standing"),
    )
    op.create_table(
        "period_objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lodged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lodged_by", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.String(length=64), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["period_id"], ["voting_periods.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["exclusive_units.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_period_objections_period_id", "period_objections", ["period_id"])


def downgrade() -> None:
    op.drop_table("period_objections")
    op.drop_index("uq_unit_ballots_standing", table_name="unit_ballots")
    op.drop_table("unit_ballots")
    op.drop_table("exclusive_units")
    op.drop_table("period_matters")
    op.drop_table("voting_periods")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("is_developer")
        batch.drop_column("unit_key")
        batch.drop_column("owner_key")
