"""residents' topics (议题征集): the topic library, topics and their co-signatures (联署)

Revision ID: 0013_topics
Revises: 0011_during
Create Date: 2026-12-07 17:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_topics"
down_revision: str | None = "0011_during"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "topic_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("must_consult", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_note", sa.String(length=200), nullable=False),
        sa.Column("proposer_member_id", sa.Integer(), nullable=True),
        sa.Column("scribe", sa.String(length=64), nullable=True),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("scope_building", sa.String(length=32), nullable=False),
        sa.Column("scope_unit", sa.String(length=32), nullable=False),
        sa.Column("threshold", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("threshold_met_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("proposer_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["category_id"], ["topic_categories.id"]),
        sa.ForeignKeyConstraint(["proposer_member_id"], ["members.id"]),
        sa.ForeignKeyConstraint(["merged_into_id"], ["topics.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.ForeignKeyConstraint(["agenda_item_id"], ["agenda_items.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("topics") as batch:
        for column in (
            "category_id",
            "proposer_member_id",
            "status",
            "merged_into_id",
            "meeting_id",
            "agenda_item_id",
        ):
            batch.create_index(f"ix_topics_{column}", [column], unique=False)
    op.create_table(
        "topic_signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("scribe", sa.String(length=64), nullable=True),
        sa.Column("merged_from_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["topic_id"], ["topics.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.ForeignKeyConstraint(["merged_from_id"], ["topics.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("topic_id", "member_id"),
    )
    with op.batch_alter_table("topic_signatures") as batch:
        batch.create_index("ix_topic_signatures_topic_id", ["topic_id"], unique=False)
        batch.create_index("ix_topic_signatures_member_id", ["member_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("topic_signatures") as batch:
        batch.drop_index("ix_topic_signatures_member_id")
        batch.drop_index("ix_topic_signatures_topic_id")
    op.drop_table("topic_signatures")
    with op.batch_alter_table("topics") as batch:
        for column in (
            "agenda_item_id",
            "meeting_id",
            "merged_into_id",
            "status",
            "proposer_member_id",
            "category_id",
        ):
            batch.drop_index(f"ix_topics_{column}")
    op.drop_table("topics")
    op.drop_table("topic_categories")
