"""Where the database holds a person's Telegram ids, and a scan for one person's traces.

Every BIGINT column is classified here, as a person's id or not; a new column that is neither
fails `test_every_id_column_is_classified`, so /hapusdata cannot silently miss it.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Engine, select
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (every table in the metadata)

# (table, column) -> what it holds: a Telegram user id or a chat id.
PERSON_COLUMNS: dict[tuple[str, str], str] = {
    ("user_account", "id"): "user",
    ("recommendation", "user_id"): "user",
    ("recommendation", "chat_id"): "chat",
    ("conversation", "chat_id"): "chat",
    ("conversation", "user_id"): "user",
    ("campaign", "owner_user_id"): "user",
    ("summary_schedule", "copy_to_user_id"): "user",
    ("agency", "owner_user_id"): "user",
    ("agency_staff", "user_id"): "user",
    ("client", "user_id"): "user",
    ("client", "chat_id"): "chat",
    ("invite_link", "created_by"): "user",
    ("invite_link", "used_by"): "user",
    ("broadcast", "created_by"): "user",
    ("broadcast", "progress_chat_id"): "chat",
    ("outbox_message", "chat_id"): "chat",
    ("blocked_chat", "chat_id"): "chat",
    ("pending_upload", "user_id"): "user",
    ("pending_upload", "chat_id"): "chat",
    ("offer", "influencer_user_id"): "user",
    ("offer", "influencer_chat_id"): "chat",
    ("performance_snapshot", "reported_by_user_id"): "user",
    ("influencer_claim", "user_id"): "user",
    ("influencer_claim", "chat_id"): "chat",
    ("claim_request", "user_id"): "user",
    ("claim_request", "chat_id"): "chat",
}

# BIGINT columns that hold no person's id: money, counts, Telegram's update numbers.
NOT_PERSON_COLUMNS: frozenset[tuple[str, str]] = frozenset(
    {
        ("campaign", "budget_idr"),
        ("campaign_member", "followers"),
        ("campaign_member", "fee_idr"),
        ("influencer", "followers"),
        ("store_revision", "revision"),
        ("search_pack", "revision"),
        ("influencer", "avg_views"),
        ("influencer", "price_idr"),
        ("influencer_niche", "price_idr"),
        ("performance_snapshot", "impressions"),
        ("performance_snapshot", "reach"),
        ("performance_snapshot", "likes"),
        ("performance_snapshot", "comments"),
        ("performance_snapshot", "shares"),
        ("performance_snapshot", "saves"),
        ("performance_snapshot", "clicks"),
        ("performance_snapshot", "conversions"),
        ("performance_snapshot", "revenue_idr"),
        ("offer", "counter_fee_idr"),
        ("rate_card", "price_idr"),
        # Update numbers only, no content; kept 7 days against redelivery (see /privasi).
        ("processed_update", "update_id"),
    }
)


def unclassified_columns() -> list[tuple[str, str]]:
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            key = (table.name, column.name)
            if (
                isinstance(column.type, BigInteger)
                and key not in PERSON_COLUMNS
                and key not in NOT_PERSON_COLUMNS
            ):
                found.append(key)
    return found


def personal_rows(engine: Engine, *, user_id: int, chat_id: int) -> list[str]:
    """ "table.column = value" for every row that still holds this person's user or chat id."""
    tables = SQLModel.metadata.tables
    found: list[str] = []
    with engine.connect() as connection:
        for (table_name, column_name), kind in PERSON_COLUMNS.items():
            column = tables[table_name].c[column_name]
            value = user_id if kind == "user" else chat_id
            count = len(connection.execute(select(column).where(column == value)).all())
            if count:
                found.append(f"{table_name}.{column_name} = {value} ({count} rows)")
    return found
