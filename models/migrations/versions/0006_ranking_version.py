"""Search rows remember the version of the ranking formula their values were computed with

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 16:30:00.000000

Rows written before this revision get version 1; the application recomputes rows whose
version is older than its own (bot.store.ranking) in short batches after migrating.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("influencer_niche", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("ranking_version", sa.Integer(), nullable=False, server_default="1")
        )


def downgrade() -> None:
    with op.batch_alter_table("influencer_niche", schema=None) as batch_op:
        batch_op.drop_column("ranking_version")
