"""The update queue and its delivery by getUpdates (long polling, offsets, allowed_updates)."""

from __future__ import annotations

import bisect
import copy
import time
from typing import TYPE_CHECKING, Any

from .records import (
    _Pending,
)
from .server import _client_gone
from .transcript import Transcripts
from .wire import (
    _Abandoned,
    _ApiError,
)

if TYPE_CHECKING:
    from .server import _Handler

# Update types Telegram leaves out unless they are requested explicitly in allowed_updates.
_NOT_SENT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class UpdateQueue(Transcripts):
    """Updates wait here until the bot confirms them (a later offset, or a 2xx webhook answer)."""

    def _enqueue(self, update: dict[str, Any], *, forced: bool = False) -> int:
        with self._cond:
            if "update_id" not in update:
                update = {"update_id": self._next_update_id, **update}
            update_id = int(update["update_id"])
            self._next_update_id = max(self._next_update_id, update_id + 1)
            self._all_updates[update_id] = copy.deepcopy(update)
            pending = _Pending(copy.deepcopy(update), forced=forced)
            keys = [p.update_id for p in self._pending]
            self._pending.insert(bisect.bisect_right(keys, update_id), pending)
            self._touch(self._update_chat_id(update))
            self._cond.notify_all()
            return update_id

    def update(self, update_id: int) -> dict[str, Any]:
        """A copy of an update that was queued (e.g. to read the file_id of a user document)."""
        with self._lock:
            return copy.deepcopy(self._all_updates[update_id])

    @property
    def pending_update_count(self) -> int:
        with self._lock:
            return len(self._pending)

    def wait_polling(self, timeout: float = 10.0, since: int = 0) -> None:
        """Wait until the bot calls getUpdates (after mark ``since``).

        Act as a user only after this: updates queued before the bot starts polling are
        dropped if it starts with drop_pending_updates, exactly as on Telegram.
        """
        self._wait_until(
            lambda: any(c.method == "getUpdates" and c.seq > since for c in self._call_log),
            timeout,
            lambda: "the bot never called getUpdates",
        )

    def wait_delivered(self, update_id: int, timeout: float = 10.0) -> None:
        """Wait until the bot fetched ``update_id`` with getUpdates (webhook: the bot's server
        answered its POST, with any status)."""
        self._wait_until(
            lambda: update_id in self._delivered_ids,
            timeout,
            lambda: f"update {update_id} was not fetched by the bot",
        )

    def wait_confirmed(self, update_id: int, timeout: float = 10.0) -> None:
        """Wait until the bot confirmed ``update_id`` (a later getUpdates with a higher offset;
        webhook: a 2xx answer to its POST)."""
        self._wait_until(
            lambda: update_id in self._confirmed_ids,
            timeout,
            lambda: f"update {update_id} was not confirmed by the bot",
        )

    def _apply_offset(self, offset: int) -> None:
        if offset > 0:
            keep: list[_Pending] = []
            for pending in self._pending:
                if pending.update_id >= offset or (pending.forced and not pending.delivered):
                    keep.append(pending)
                else:
                    self._confirmed_ids.add(pending.update_id)
            self._pending = keep
        elif offset < 0:
            cut = max(0, len(self._pending) + offset)
            for pending in self._pending[:cut]:
                self._confirmed_ids.add(pending.update_id)
            self._pending = self._pending[cut:]

    def _deliverable(self, limit: int) -> list[_Pending]:
        allowed = set(self._allowed_updates or [])
        batch: list[_Pending] = []
        for pending in list(self._pending):
            kind = next((k for k in pending.update if k != "update_id"), "")
            wanted = kind in allowed if allowed else kind not in _NOT_SENT_BY_DEFAULT
            if not wanted:
                self._pending.remove(pending)
                self.dropped_updates.append(pending.update)
                continue
            batch.append(pending)
            if len(batch) >= limit:
                break
        return batch

    def _m_get_updates(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        with self._cond:
            if self._webhook.get("url"):
                raise _ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            if isinstance(params.get("allowed_updates"), list):
                self._allowed_updates = [str(u) for u in params["allowed_updates"]]
            self._poll_generation += 1
            generation = self._poll_generation
            self._cond.notify_all()
            self._apply_offset(offset)
            deadline = time.monotonic() + timeout
            while True:
                if self._stopping.is_set():
                    return []
                if generation != self._poll_generation:
                    if _client_gone(req.connection):
                        raise _Abandoned
                    raise _ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only "
                        "one bot instance is running",
                    )
                batch = self._deliverable(limit)
                remaining = deadline - time.monotonic()
                if batch or remaining <= 0:
                    break
                self._cond.wait(min(remaining, 0.2))
                if _client_gone(req.connection):
                    raise _Abandoned
            for pending in batch:
                pending.delivered = True
                self._delivered_ids.add(pending.update_id)
                self._touch(self._update_chat_id(pending.update))
            self._cond.notify_all()
            return [copy.deepcopy(p.update) for p in batch]
