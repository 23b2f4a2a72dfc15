"""the audit log by subject: a poll's or a meeting's seals (anchors) are found at once

Revision ID: 0010_verify
Revises: t15count_ballot_time
Create Date: 2026-12-07 04:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010_verify"
down_revision: str | None = "t15count_ballot_time"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_log_subject", "audit_log", ["subject"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_subject", table_name="audit_log")
