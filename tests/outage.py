"""A database that goes away for a while, on either backend, without a proxy.

While `down`, every new connection fails the way the driver fails when the server is gone
(its own OperationalError, which SQLAlchemy wraps), and the pooled connections are dropped,
so the next checkout has to connect. Transactions already running finish. Used where a TCP
proxy cannot sit in between (SQLite) and in in-process tests.
"""

from __future__ import annotations

import threading

from sqlalchemy import Engine, event


class FlakyDatabase:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._down = threading.Event()
        self.refused = 0
        event.listen(engine, "do_connect", self._connect)

    def _connect(self, dialect, conn_rec, cargs, cparams) -> None:
        if self._down.is_set():
            self.refused += 1
            raise dialect.loaded_dbapi.OperationalError("test outage: the database is unreachable")

    def down(self) -> None:
        self._down.set()
        self.engine.pool.dispose()

    def up(self) -> None:
        self._down.clear()

    def remove(self) -> None:
        event.remove(self.engine, "do_connect", self._connect)
