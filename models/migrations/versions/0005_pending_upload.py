"""Pending uploads: a performance CSV or line waiting for the owner to pick its campaign

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 13:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chat_id", "kind", name="uq_pending_upload_chat_kind"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("pending_upload", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pending_upload_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pending_upload_user_id"), ["user_id"], unique=False)
    _forget_parked_in_conversations()


def _forget_parked_in_conversations() -> None:
    """Files and lines parked in conversation rows by older versions (their buttons are gone)."""
    conversation = sa.table(
        "conversation", sa.column("chat_id", sa.BigInteger()), sa.column("answers", sa.JSON())
    )
    bind = op.get_bind()
    parked = bind.execute(
        sa.select(conversation.c.chat_id, conversation.c.answers).where(
            sa.cast(conversation.c.answers, sa.Text).like("%pending_%")
        )
    ).all()
    for chat_id, answers in parked:
        if not isinstance(answers, dict):
            continue
        kept = {k: v for k, v in answers.items() if k not in ("pending_csv", "pending_line")}
        if kept != answers:
            bind.execute(
                conversation.update().where(conversation.c.chat_id == chat_id).values(answers=kept)
            )


def downgrade() -> None:
    with op.batch_alter_table("pending_upload", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_upload_user_id"))
        batch_op.drop_index(batch_op.f("ix_pending_upload_created_at"))
    op.drop_table("pending_upload")
