"""Offers: campaign members invited by a deep link; figures reported by influencers

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 18:00:00.000000

`offer` holds one invitation per campaign member (only the token's SHA-256), `offer_proof`
the screenshots an influencer sent as proof, and
`performance_snapshot.reported_by_user_id` names the influencer who sent a snapshot.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("counter_fee_idr", sa.BigInteger(), nullable=True),
        sa.Column("influencer_user_id", sa.BigInteger(), nullable=True),
        sa.Column("influencer_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["campaign_member.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_offer_influencer_user_id", "offer", ["influencer_user_id"])
    op.create_table(
        "offer_proof",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.String(length=200), nullable=False),
        sa.Column("caption", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["offer_id"], ["offer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_offer_proof_offer_id", "offer_proof", ["offer_id"])
    with op.batch_alter_table("performance_snapshot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reported_by_user_id", sa.BigInteger(), nullable=True))
        batch_op.create_index(
            "ix_performance_snapshot_reported_by_user_id", ["reported_by_user_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("performance_snapshot", schema=None) as batch_op:
        batch_op.drop_index("ix_performance_snapshot_reported_by_user_id")
        batch_op.drop_column("reported_by_user_id")
    op.drop_index("ix_offer_proof_offer_id", table_name="offer_proof")
    op.drop_table("offer_proof")
    op.drop_index("ix_offer_influencer_user_id", table_name="offer")
    op.drop_table("offer")
