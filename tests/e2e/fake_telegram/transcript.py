"""Waiting for a condition, and the readable dumps (chat transcript, errors) a timeout shows."""

from __future__ import annotations

import time
from collections.abc import Callable

from .records import (
    PredicateArg,
    SentMessage,
)
from .state import EmulatorState


class Transcripts(EmulatorState):
    """Waiting with a readable failure: a timed-out wait shows what the chat looked like."""

    @staticmethod
    def _describe(predicate: PredicateArg) -> str:
        if predicate is None:
            return "anything"
        if isinstance(predicate, str):
            return f"text containing {predicate!r}"
        return getattr(predicate, "__name__", repr(predicate))

    def _wait_until(
        self,
        ready: Callable[[], bool],
        timeout: float,
        describe: Callable[[], str],
        chat_id: int | None = None,
    ) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not ready():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    dump = self.dump_chat(chat_id) if chat_id is not None else self.dump_errors()
                    raise AssertionError(f"Timed out after {timeout}s: {describe()}\n{dump}")
                self._cond.wait(min(remaining, 0.25))

    def wait_until(
        self,
        ready: Callable[[], bool],
        timeout: float = 10.0,
        describe: Callable[[], str] = lambda: "the condition never held",
        chat_id: int | None = None,
    ) -> None:
        """Wait until ``ready()`` holds, re-checked whenever the emulator's state changes (it
        runs under the emulator's lock: keep it quick, and read state through the public
        methods); on timeout, fail with a dump of ``chat_id`` (else of the errors)."""
        self._wait_until(ready, timeout, describe, chat_id)

    @staticmethod
    def _render_message(msg: SentMessage) -> list[str]:
        flags = []
        if msg.edits:
            flags.append(f"edited {msg.edits}x")
        if msg.deleted:
            flags.append("DELETED")
        if msg.document is not None:
            flags.append(f"document {msg.document.filename} ({len(msg.document.content)} bytes)")
        if msg.photo is not None:
            flags.append(f"photo ({len(msg.photo)} bytes)")
        head = f"#{msg.message_id}" + (f" [{', '.join(flags)}]" if flags else "")
        lines = [f"bot  {head}: " + msg.text.replace("\n", "\n" + " " * 14)]
        for row in msg.buttons:
            rendered = " ".join(
                f"[{b.text} | {'cb:' + b.callback_data if b.callback_data is not None else b.url}]"
                for b in row
            )
            lines.append("             " + rendered)
        return lines

    def dump_chat(self, chat_id: int) -> str:
        """Readable transcript of a chat (user actions, bot messages, errors) for failures."""
        with self._lock:
            entries: list[tuple[int, list[str]]] = []
            for seq, kind, payload in self._transcript.get(chat_id, []):
                prefix = "user " if kind == "user" else "     "
                entries.append((seq, [f"{prefix}{payload}"]))
            for msg in self._bot_messages.get(chat_id, {}).values():
                entries.append((msg.seq, self._render_message(msg)))
            for answer in self._callback_answers:
                if answer.get("chat_id") == chat_id:
                    entries.append(
                        (
                            answer["seq"],
                            [
                                f"     answerCallbackQuery text={answer.get('text')!r} "
                                f"show_alert={answer.get('show_alert')}"
                            ],
                        )
                    )
            entries.sort(key=lambda e: e[0])
            lines = [f"--- chat {chat_id} transcript ---"]
            for seq, rendered in entries:
                lines.append(f"[{seq:>4}] " + rendered[0])
                lines.extend("       " + line for line in rendered[1:])
            errors = [
                f"[{seq:>4}] {method} -> {code} {description}"
                for seq, method, code, description, chat, _inj in self._error_details
                if chat == chat_id
            ]
            if errors:
                lines.append("--- errors returned to the bot in this chat ---")
                lines.extend(errors[-15:])
            recent = [c for c in self._call_log if c.chat_id == chat_id][-15:]
            if recent:
                lines.append("--- last calls in this chat ---")
                lines.extend(f"[{c.seq:>4}] {c.method} -> {c.status}" for c in recent)
            return "\n".join(lines)

    def dump_errors(self) -> str:
        with self._lock:
            lines = ["--- errors returned to the bot ---"]
            lines.extend(
                f"[{seq:>4}] {method} -> {code} {description}"
                for seq, method, code, description, _chat, _inj in self._error_details[-20:]
            )
            lines.extend(f"emulator bug: {tb}" for tb in self.internal_errors)
            return "\n".join(lines)
