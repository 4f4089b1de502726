"""Listings: influencers list themselves with a rate card; one Telegram account per handle

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 18:45:00.000000

`rate_card` holds a price per content format, `influencer_claim` the Telegram account a
(platform, handle) belongs to, `claim_request` the refused claims the operator settles, and
`influencer.verified_at` when the operator verified a self-listed row.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("influencer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "rate_card",
        sa.Column("influencer_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("price_idr", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["influencer_id"], ["influencer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("influencer_id", "format"),
    )
    op.create_table(
        "influencer_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("handle", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("influencer_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["influencer_id"], ["influencer.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "handle", name="uq_influencer_claim_platform_handle"),
    )
    op.create_index("ix_influencer_claim_user_id", "influencer_claim", ["user_id"])
    op.create_index("ix_influencer_claim_influencer_id", "influencer_claim", ["influencer_id"])
    op.create_table(
        "claim_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("handle", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "handle", "user_id", name="uq_claim_request_account"),
    )
    op.create_index("ix_claim_request_user_id", "claim_request", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_claim_request_user_id", table_name="claim_request")
    op.drop_table("claim_request")
    op.drop_index("ix_influencer_claim_influencer_id", table_name="influencer_claim")
    op.drop_index("ix_influencer_claim_user_id", table_name="influencer_claim")
    op.drop_table("influencer_claim")
    op.drop_table("rate_card")
    with op.batch_alter_table("influencer", schema=None) as batch_op:
        batch_op.drop_column("verified_at")
