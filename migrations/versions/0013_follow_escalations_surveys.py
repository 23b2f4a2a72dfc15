"""follow-up and satisfaction: how an action's deadline was computed (working days), the
escalation steps on an overdue action (提醒 → 约谈 → 上报街道), a meeting's generated follow-up
report item, the hall's satisfaction surveys with their answers, and where a rating was given

Revision ID: 0013_follow
Revises: 0013_topics
Create Date: 2026-12-07 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_follow"
down_revision: str | None = "0013_topics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "action_deadline_bases",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=True),
        sa.Column("counted_from", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("guessed_years", sa.String(length=64), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["action_items.id"]),
        sa.PrimaryKeyConstraint("action_id"),
    )
    op.create_table(
        "action_escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["action_items.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("action_id", "step"),
    )
    with op.batch_alter_table("action_escalations") as batch:
        batch.create_index("ix_action_escalations_action_id", ["action_id"], unique=False)
    op.create_table(
        "follow_reports",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("action_ids", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.ForeignKeyConstraint(["item_id"], ["agenda_items.id"]),
        sa.PrimaryKeyConstraint("meeting_id"),
    )
    with op.batch_alter_table("follow_reports") as batch:
        batch.create_index("ix_follow_reports_item_id", ["item_id"], unique=False)
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("open_days", sa.Integer(), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["survey_id"], ["surveys.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("survey_id", "member_id"),
    )
    with op.batch_alter_table("survey_answers") as batch:
        batch.create_index("ix_survey_answers_survey_id", ["survey_id"], unique=False)
        batch.create_index("ix_survey_answers_member_id", ["member_id"], unique=False)
    with op.batch_alter_table("action_ratings") as batch:
        batch.add_column(
            sa.Column("channel", sa.String(length=16), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("action_ratings") as batch:
        batch.drop_column("channel")
    with op.batch_alter_table("survey_answers") as batch:
        batch.drop_index("ix_survey_answers_member_id")
        batch.drop_index("ix_survey_answers_survey_id")
    op.drop_table("survey_answers")
    op.drop_table("surveys")
    with op.batch_alter_table("follow_reports") as batch:
        batch.drop_index("ix_follow_reports_item_id")
    op.drop_table("follow_reports")
    with op.batch_alter_table("action_escalations") as batch:
        batch.drop_index("ix_action_escalations_action_id")
    op.drop_table("action_escalations")
    op.drop_table("action_deadline_bases")
