"""Send ledger: one Telegram send budget shared by every process

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 12:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "send_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=5), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("granted", sa.Float(), nullable=False),
        sa.Column("chat_key", sa.Integer(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("send_ledger", schema=None) as batch_op:
        batch_op.create_index("ix_send_ledger_at", ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("send_ledger", schema=None) as batch_op:
        batch_op.drop_index("ix_send_ledger_at")
    op.drop_table("send_ledger")
