"""A counter that moves whenever what recommendations search can change.

Processes keep what a search found (bot.advisor.search_cache) under the revision they
read; every writer that changes the visible search rows (an import's switch and fold,
an imported account gaining or losing a rate card, the sample store removed, rankings
recomputed) bumps it in its own transaction, so a reader never trusts a search made on an older store.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update
from sqlmodel import Field, Session, SQLModel

from models.base import BigInt, rows_affected

_ROW_ID = 1


class StoreRevision(SQLModel, table=True):
    __tablename__ = "store_revision"

    id: int = Field(default=_ROW_ID, primary_key=True)
    revision: int = Field(default=0, sa_type=BigInt)


_TABLE = SQLModel.metadata.tables[StoreRevision.__tablename__]
_READ = select(_TABLE.c.revision).where(_TABLE.c.id == _ROW_ID)
_BUMP = update(_TABLE).where(_TABLE.c.id == _ROW_ID).values(revision=_TABLE.c.revision + 1)


def store_revision(session: Session) -> int:
    """The current revision (0 on a database whose counter row is missing)."""
    value = session.execute(_READ).scalar_one_or_none()
    return int(value) if value is not None else 0


def bump_store_revision(target: Session | Connection) -> None:
    """Move the counter in the caller's transaction (creating its row on first use)."""
    if rows_affected(target.execute(_BUMP)) == 0:
        target.execute(_TABLE.insert().values(id=_ROW_ID, revision=1))
