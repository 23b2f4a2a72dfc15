"""agenda, speakers, speeches

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 20:13:57.705436
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("planned_minutes", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agenda_items_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "rule_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_items.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rule_overrides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rule_overrides_item_id"), ["item_id"], unique=False)

    op.create_table(
        "speech_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_items.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("speech_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_speech_requests_item_id"), ["item_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_speech_requests_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "speeches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("stance", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("limit_ms", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resumed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("elapsed_before_ms", sa.Integer(), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_items.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["speech_requests.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("speeches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_speeches_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_speeches_member_id"), ["member_id"], unique=False)

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("speech_limit_s", sa.Integer(), nullable=False, server_default="120")
        )
        batch_op.add_column(
            sa.Column("max_speeches", sa.Integer(), nullable=True, server_default="2")
        )
        batch_op.add_column(
            sa.Column("first_timers_first", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column("alternate", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column("warning_s", sa.Integer(), nullable=False, server_default="30")
        )
        batch_op.add_column(
            sa.Column("auto_stop", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("auto_stop")
        batch_op.drop_column("warning_s")
        batch_op.drop_column("alternate")
        batch_op.drop_column("first_timers_first")
        batch_op.drop_column("max_speeches")
        batch_op.drop_column("speech_limit_s")

    with op.batch_alter_table("speeches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_speeches_member_id"))
        batch_op.drop_index(batch_op.f("ix_speeches_item_id"))

    op.drop_table("speeches")
    with op.batch_alter_table("speech_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_speech_requests_member_id"))
        batch_op.drop_index(batch_op.f("ix_speech_requests_item_id"))

    op.drop_table("speech_requests")
    with op.batch_alter_table("rule_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rule_overrides_item_id"))

    op.drop_table("rule_overrides")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_items_meeting_id"))

    op.drop_table("agenda_items")
