"""Campaign members may be the owner's own accounts, outside the store

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 17:00:00.000000

`source` says where a member came from ("store" for every existing row, "own" for accounts
the owner adds themselves); their follower count is optional, so `followers` may be NULL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaign_member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=10), nullable=False, server_default="store")
        )
        batch_op.alter_column("followers", existing_type=sa.BigInteger(), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE campaign_member SET followers = 0 WHERE followers IS NULL")
    with op.batch_alter_table("campaign_member", schema=None) as batch_op:
        batch_op.alter_column("followers", existing_type=sa.BigInteger(), nullable=False)
        batch_op.drop_column("source")
