"""What tests read and wait on: the bot's messages, the event log, callback answers, the
call log and the errors the bot received."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterable
from typing import Any

from .records import (
    ApiCall,
    MessageEvent,
    PredicateArg,
    SentMessage,
    _as_predicate,
)
from .transcript import Transcripts


class Observation(Transcripts):
    """Assertions and waits; everything returned is a copy, safe to keep."""

    def messages(self, chat_id: int, *, include_deleted: bool = False) -> list[SentMessage]:
        """Bot messages in the chat, oldest first, current version (after edits), as copies."""
        with self._lock:
            return [
                copy.deepcopy(m)
                for m in sorted(
                    self._bot_messages.get(chat_id, {}).values(), key=lambda m: m.message_id
                )
                if include_deleted or not m.deleted
            ]

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        with self._lock:
            msg = self._bot_messages.get(chat_id, {}).get(message_id)
            if msg is None:
                raise AssertionError(f"No bot message {message_id} in chat {chat_id}")
            return copy.deepcopy(msg)

    def last_message(self, chat_id: int) -> SentMessage:
        """The newest (non-deleted) bot message in the chat; AssertionError if there is none."""
        current = self.messages(chat_id)
        if not current:
            raise AssertionError(
                f"The bot sent nothing to chat {chat_id}\n{self.dump_chat(chat_id)}"
            )
        return current[-1]

    def events(
        self, chat_id: int | None = None, since: int = 0, until: int | None = None
    ) -> list[MessageEvent]:
        """Send/edit/delete events with seq > ``since`` and, given ``until``, seq < ``until``
        (optionally for one chat): with ``until`` the seq of a later event, what happened
        in between."""
        with self._lock:
            return [
                copy.deepcopy(e)
                for e in self._events
                if e.seq > since
                and (until is None or e.seq < until)
                and (chat_id is None or e.chat_id == chat_id)
            ]

    def mark(self) -> int:
        """A position in the sequence of bot actions; pass it to wait_for(since=...)."""
        with self._lock:
            return self._seq

    def wait_for(
        self,
        chat_id: int | None,
        since: int = 0,
        predicate: PredicateArg = None,
        timeout: float = 10.0,
        *,
        kinds: Iterable[str] = ("send", "edit"),
    ) -> SentMessage:
        """First message sent/edited after mark ``since`` (in ``chat_id``; None = any chat)
        matching ``predicate`` (a callable on SentMessage, or a substring of its text).

        Returns the snapshot as of that event. Raises AssertionError with a dump on timeout.
        """
        check = _as_predicate(predicate)
        wanted = frozenset(kinds)
        found: list[SentMessage] = []

        def ready() -> bool:
            for event in self._events:
                if (
                    event.seq > since
                    and event.kind in wanted
                    and (chat_id is None or event.chat_id == chat_id)
                    and check(event.message)
                ):
                    found.append(copy.deepcopy(event.message))
                    return True
            return False

        self._wait_until(
            ready,
            timeout,
            lambda: (
                f"no bot message ({'/'.join(sorted(wanted))}) in chat {chat_id} after mark "
                f"{since} matching {self._describe(predicate)}"
            ),
            chat_id,
        )
        return found[0]

    def wait_for_message(
        self,
        chat_id: int,
        predicate: PredicateArg = None,
        timeout: float = 10.0,
        after: int = 0,
    ) -> SentMessage:
        """First current bot message with message_id > ``after`` matching ``predicate``.

        Checks current versions, so it also sees a message that an edit made match. Prefer
        mark()/wait_for() to wait for "the next reply after my action".
        """
        check = _as_predicate(predicate)
        found: list[SentMessage] = []

        def ready() -> bool:
            for msg in sorted(
                self._bot_messages.get(chat_id, {}).values(), key=lambda m: m.message_id
            ):
                if msg.message_id > after and not msg.deleted and check(msg):
                    found.append(copy.deepcopy(msg))
                    return True
            return False

        self._wait_until(
            ready,
            timeout,
            lambda: (
                f"no bot message with id > {after} in chat {chat_id} matching "
                f"{self._describe(predicate)}"
            ),
            chat_id,
        )
        return found[0]

    def callback_answers(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """answerCallbackQuery calls (callback_query_id, chat_id, message_id, data, text,
        show_alert, url, cache_time, update_id, seq), optionally for one chat."""
        with self._lock:
            return [
                dict(a)
                for a in self._callback_answers
                if chat_id is None or a.get("chat_id") == chat_id
            ]

    def wait_for_callback_answer(
        self,
        chat_id: int | None = None,
        since: int = 0,
        timeout: float = 10.0,
        *,
        update_id: int | None = None,
    ) -> dict[str, Any]:
        """First callback answer after mark ``since`` (for a chat or for a press's update_id)."""
        found: list[dict[str, Any]] = []

        def ready() -> bool:
            for answer in self._callback_answers:
                if (
                    answer["seq"] > since
                    and (chat_id is None or answer.get("chat_id") == chat_id)
                    and (update_id is None or answer.get("update_id") == update_id)
                ):
                    found.append(dict(answer))
                    return True
            return False

        self._wait_until(
            ready,
            timeout,
            lambda: f"no answerCallbackQuery (chat {chat_id}, update {update_id}) after {since}",
            chat_id,
        )
        return found[0]

    def wait_call(
        self, method: str, chat_id: int | None = None, since: int = 0, timeout: float = 10.0
    ) -> ApiCall:
        """Wait until the bot calls ``method`` (in ``chat_id``) after mark ``since``; the call
        may still be running (e.g. held by delay_next). Returns a copy of its record."""
        found: list[ApiCall] = []

        def ready() -> bool:
            for call in self._call_log:
                if (
                    call.method == method
                    and call.seq > since
                    and (chat_id is None or call.chat_id == chat_id)
                ):
                    found.append(copy.deepcopy(call))
                    return True
            return False

        self._wait_until(
            ready, timeout, lambda: f"the bot never called {method} (chat {chat_id})", chat_id
        )
        return found[0]

    def wait_idle(
        self, chat_id: int | None = None, quiet: float = 0.3, timeout: float = 10.0
    ) -> None:
        """Wait until all queued updates were fetched and the bot made no call (in the chat,
        getUpdates excluded) for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                now = time.monotonic()
                busy = self._inflight.get(chat_id, 0) > 0 or any(
                    (not p.delivered or p.sending)
                    and (chat_id is None or self._update_chat_id(p.update) == chat_id)
                    for p in self._pending
                )
                last = self._last_activity.get(chat_id, 0.0)
                if not busy and now - last >= quiet:
                    return
                if now >= deadline:
                    raise AssertionError(
                        f"Bot was not idle for {quiet}s within {timeout}s\n"
                        + (self.dump_chat(chat_id) if chat_id is not None else "")
                    )
                step = 0.05 if busy else quiet - (now - last)
                self._cond.wait(max(0.01, min(step, deadline - now)))

    @property
    def calls(self) -> list[tuple[str, dict[str, Any]]]:
        """(method, params) for every API call, in arrival order."""
        with self._lock:
            return [(c.method, copy.deepcopy(c.params)) for c in self._call_log]

    @property
    def call_log(self) -> list[ApiCall]:
        """Detailed records: seq, status, description, chat_id, uploaded files, timing."""
        with self._lock:
            return copy.deepcopy(self._call_log)

    def calls_of(self, method: str, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Params of every call of ``method`` (optionally in one chat)."""
        with self._lock:
            return [
                copy.deepcopy(c.params)
                for c in self._call_log
                if c.method == method and (chat_id is None or c.chat_id == chat_id)
            ]

    def count(
        self, method: str, chat_id: int | None = None, *, ok_only: bool = False, since: int = 0
    ) -> int:
        """How many calls of ``method`` arrived (successful ones only with ``ok_only``)."""
        with self._lock:
            return sum(
                1
                for c in self._call_log
                if c.method == method
                and c.seq > since
                and (chat_id is None or c.chat_id == chat_id)
                and (not ok_only or c.status == 200)
            )

    @property
    def errors_returned(self) -> list[tuple[str, int, str]]:
        """(method, error_code, description) for every error answer, including injected ones."""
        with self._lock:
            return list(self._errors)

    def assert_no_errors(
        self,
        *,
        allow: Iterable[int | str] = (),
        include_injected: bool = False,
    ) -> None:
        """Fail if the bot received any error it did not provoke on purpose.

        ``allow`` holds error codes and/or description substrings to ignore; injected faults
        (fail_next) are ignored unless ``include_injected``. Emulator crashes always fail.
        """
        allowed = list(allow)
        with self._lock:
            bad = [
                f"seq {seq} {method} -> {code} {description}"
                for seq, method, code, description, _chat, injected in self._error_details
                if (include_injected or not injected)
                and code not in allowed
                and not any(isinstance(a, str) and a in description for a in allowed)
            ]
            bad += [f"emulator bug: {tb}" for tb in self.internal_errors]
        if bad:
            raise AssertionError("Unexpected Bot API errors:\n" + "\n".join(bad))
