"""Search rows keyed by (niche, platform, scope, account): imports append instead of scatter

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 02:00:00.000000

The covering index (niche, platform, scope, side, price, values, place, id) put every new
row of an import at a random place, so each short import transaction rewrote about one
index page per row; a 1,000,000-row import on SQLite spent half its time writing those
pages. Keyed by (niche, platform, scope, id), new rows (ids only grow) land at the end of
their niche. SQLite stores the table itself in that order (WITHOUT ROWID), which makes it
its own covering index; PostgreSQL keeps the ranking columns in the key's index (INCLUDE).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = ("niche", "platform", "scope", "influencer_id")
RANKING = (
    "side",
    "price_idr",
    "value_awareness",
    "value_engagement",
    "value_sales",
    "city",
    "province",
)
OLD_INDEX = ("niche", "platform", "scope", *RANKING, "influencer_id")
COLUMNS = (
    "influencer_id",
    "niche",
    "platform",
    "scope",
    "position",
    *RANKING,
    "ranking_version",
    "staged_by",
    "superseded_by",
)


def _columns() -> list[sa.Column]:
    return [
        sa.Column("influencer_id", sa.Integer(), nullable=False),
        sa.Column("niche", sa.String(length=60), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=5), nullable=False),
        sa.Column("price_idr", sa.BigInteger(), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("province", sa.String(length=100), nullable=True),
        sa.Column("value_awareness", sa.Float(), nullable=False),
        sa.Column("value_engagement", sa.Float(), nullable=False),
        sa.Column("value_sales", sa.Float(), nullable=False),
        sa.Column("ranking_version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("staged_by", sa.Integer(), nullable=True),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
    ]


def _rebuild_sqlite(*, clustered: bool) -> None:
    """SQLite cannot change a table's key in place: copy into a new table, then swap."""
    constraints: list[sa.Constraint] = [
        sa.ForeignKeyConstraint(["influencer_id"], ["influencer.id"], ondelete="CASCADE")
    ]
    if clustered:
        constraints += [
            sa.PrimaryKeyConstraint(*KEY, name="influencer_niche_pkey"),
            sa.UniqueConstraint("influencer_id", "niche", name="uq_influencer_niche_account"),
        ]
    else:
        constraints.append(sa.PrimaryKeyConstraint("influencer_id", "niche"))
    op.create_table(
        "_influencer_niche_new",
        *_columns(),
        *constraints,
        sqlite_with_rowid=not clustered,
    )
    names = ", ".join(COLUMNS)
    # in key order: the new table's pages fill one after another
    order = ", ".join(KEY if clustered else ("influencer_id", "niche"))
    op.execute(
        f"INSERT INTO _influencer_niche_new ({names}) "
        f"SELECT {names} FROM influencer_niche ORDER BY {order}"
    )
    op.drop_table("influencer_niche")
    op.rename_table("_influencer_niche_new", "influencer_niche")
    if not clustered:
        op.create_index("ix_influencer_niche_search", "influencer_niche", list(OLD_INDEX))


def upgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        _rebuild_sqlite(clustered=True)
        return
    op.drop_index("ix_influencer_niche_search", table_name="influencer_niche")
    op.execute("ALTER TABLE influencer_niche DROP CONSTRAINT influencer_niche_pkey")
    op.execute(
        "ALTER TABLE influencer_niche ADD CONSTRAINT influencer_niche_pkey "
        f"PRIMARY KEY ({', '.join(KEY)}) INCLUDE ({', '.join(RANKING)})"
    )
    op.create_unique_constraint(
        "uq_influencer_niche_account", "influencer_niche", ["influencer_id", "niche"]
    )


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        _rebuild_sqlite(clustered=False)
        return
    op.drop_constraint("uq_influencer_niche_account", "influencer_niche", type_="unique")
    op.execute("ALTER TABLE influencer_niche DROP CONSTRAINT influencer_niche_pkey")
    op.execute(
        "ALTER TABLE influencer_niche ADD CONSTRAINT influencer_niche_pkey "
        "PRIMARY KEY (influencer_id, niche)"
    )
    op.create_index("ix_influencer_niche_search", "influencer_niche", list(OLD_INDEX))
