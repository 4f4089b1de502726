"""Staged influencer imports: the import registry and the superseded marks

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 20:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "store_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("host", sa.String(length=100), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("low_id", sa.Integer(), nullable=True),
        sa.Column("high_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scope"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("influencer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staged_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("superseded_by", sa.Integer(), nullable=True))
    with op.batch_alter_table("influencer_niche", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staged_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("superseded_by", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("influencer_niche", schema=None) as batch_op:
        batch_op.drop_column("superseded_by")
        batch_op.drop_column("staged_by")
    with op.batch_alter_table("influencer", schema=None) as batch_op:
        batch_op.drop_column("superseded_by")
        batch_op.drop_column("staged_by")
    op.drop_table("store_import")
