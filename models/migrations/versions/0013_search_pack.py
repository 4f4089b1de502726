"""Search packs: a niche's search rows on one platform as one binary row per store revision

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 00:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_pack",
        sa.Column("niche", sa.String(length=60), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column("format", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("places", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("niche", "platform"),
    )
    if op.get_context().dialect.name == "postgresql":
        # packs are numbers that barely compress; unpacking them cost more than reading
        op.execute("ALTER TABLE search_pack ALTER COLUMN data SET STORAGE EXTERNAL")


def downgrade() -> None:
    op.drop_table("search_pack")
