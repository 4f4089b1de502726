"""Acting as users: creating them, sending text and documents, pressing buttons, redelivering
an update and queueing any raw update."""

from __future__ import annotations

import copy
import re
import time
from typing import Any

from .chats import ChatStore
from .files import FileStore
from .records import (
    FakeUser,
)
from .telegram_html import utf16_len
from .updates import UpdateQueue

_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,64})?(?![A-Za-z0-9_@])")


class UserActions(ChatStore, FileStore, UpdateQueue):
    """What a test does as a user; each action queues an update and returns its update_id."""

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        *,
        username: str | None = None,
        language_code: str | None = "id",
        last_name: str | None = None,
    ) -> FakeUser:
        """Create (or replace) a user and their private chat."""
        with self._lock:
            fake_user = FakeUser(
                id=user_id,
                first_name=first_name or f"User{user_id}",
                username=username if username is not None else f"user{user_id}",
                language_code=language_code,
                last_name=last_name,
            )
            self._users[user_id] = fake_user
            self._chats[user_id] = fake_user.chat_dict()
            return fake_user

    def _resolve_user(self, user: FakeUser | int) -> FakeUser:
        with self._lock:
            if isinstance(user, FakeUser):
                self._users[user.id] = user
                self._chats[user.id] = user.chat_dict()
                return user
            return self._users.get(user) or self.user(user)

    def _user_message(self, user: FakeUser, **content: Any) -> dict[str, Any]:
        chat_id = user.id
        message = {
            "message_id": self._alloc_message_id(chat_id),
            "from": user.to_dict(),
            "chat": self._chats.get(chat_id, user.chat_dict()),
            "date": int(time.time()),
            **content,
        }
        self._user_messages.setdefault(chat_id, {})[message["message_id"]] = message
        return message

    def send_text(self, user: FakeUser | int, text: str, *, reply_to: int | None = None) -> int:
        """The user sends ``text`` (bot_command entities like Telegram); returns the update_id."""
        fake_user = self._resolve_user(user)
        with self._cond:
            content: dict[str, Any] = {"text": text}
            entities = [
                {
                    "type": "bot_command",
                    "offset": utf16_len(text[: m.start()]),
                    "length": utf16_len(m.group(0)),
                }
                for m in _COMMAND_RE.finditer(text)
            ]
            if entities:
                content["entities"] = entities
            if reply_to is not None:
                content["reply_to_message"] = self._message_dict_any(fake_user.id, reply_to)
            message = self._user_message(fake_user, **content)
            self._transcript.setdefault(fake_user.id, []).append(
                (self._next_seq(), "user", f"#{message['message_id']}: {text}")
            )
            return self._enqueue({"message": message})

    def send_document(
        self,
        user: FakeUser | int,
        filename: str,
        content: bytes,
        mime_type: str = "text/csv",
        caption: str | None = None,
    ) -> int:
        """The user uploads a file; getFile/download will serve ``content``. Returns update_id."""
        fake_user = self._resolve_user(user)
        with self._cond:
            entry = self._store_file(content, filename, mime_type, "documents")
            document = {
                "file_id": entry.file_id,
                "file_unique_id": entry.file_unique_id,
                "file_name": filename,
                "mime_type": mime_type,
                "file_size": len(content),
            }
            extra: dict[str, Any] = {"document": document}
            if caption is not None:
                extra["caption"] = caption
            message = self._user_message(fake_user, **extra)
            self._transcript.setdefault(fake_user.id, []).append(
                (
                    self._next_seq(),
                    "user",
                    f"#{message['message_id']}: [document {filename}, {len(content)} bytes]"
                    + (f" {caption}" if caption else ""),
                )
            )
            return self._enqueue({"message": message})

    def press(self, user: FakeUser | int, message_id: int, data: str) -> int:
        """The user taps a callback button with ``data`` on bot message ``message_id``."""
        fake_user = self._resolve_user(user)
        with self._cond:
            chat_id = fake_user.id
            msg = self._bot_messages.get(chat_id, {}).get(message_id)
            if msg is None or msg.deleted:
                raise AssertionError(
                    f"Cannot press a button: no bot message {message_id} in chat {chat_id}\n"
                    + self.dump_chat(chat_id)
                )
            update_id = self._next_update_id
            query_id = str(4_000_000_000_000_000 + update_id)
            self._queries[query_id] = {
                "chat_id": chat_id,
                "message_id": message_id,
                "data": data,
                "update_id": update_id,
                "answered": False,
            }
            label = next((b.text for b in msg.all_buttons() if b.callback_data == data), None)
            self._transcript.setdefault(chat_id, []).append(
                (
                    self._next_seq(),
                    "press",
                    f"pressed {label!r} (data={data!r}) on #{message_id}",
                )
            )
            query = {
                "id": query_id,
                "from": fake_user.to_dict(),
                "message": self._message_dict(msg),
                "chat_instance": str(abs(hash(("chat", chat_id))) % 10**18),
                "data": data,
            }
            return self._enqueue({"update_id": update_id, "callback_query": query})

    def press_button(
        self, user: FakeUser | int, text_or_substring: str, message_id: int | None = None
    ) -> int:
        """Press a callback button found by label in the latest keyboard message (or the given)."""
        fake_user = self._resolve_user(user)
        with self._lock:
            chat_id = fake_user.id
            chat_messages = self._bot_messages.get(chat_id, {})
            if message_id is not None:
                msg = chat_messages.get(message_id)
                if msg is None or msg.deleted:
                    raise AssertionError(
                        f"No bot message {message_id} in chat {chat_id}\n" + self.dump_chat(chat_id)
                    )
            else:
                with_keyboard = [
                    m
                    for m in chat_messages.values()
                    if not m.deleted and any(b.callback_data for b in m.all_buttons())
                ]
                if not with_keyboard:
                    raise AssertionError(
                        f"No bot message with an inline keyboard in chat {chat_id}\n"
                        + self.dump_chat(chat_id)
                    )
                msg = max(with_keyboard, key=lambda m: m.message_id)
            try:
                button = msg.find_button(text_or_substring)
            except AssertionError as exc:
                raise AssertionError(f"{exc}\n{self.dump_chat(chat_id)}") from None
            if button.callback_data is None:
                raise AssertionError(f"Button {button.text!r} is not a callback button: {button}")
            return self.press(fake_user, msg.message_id, button.callback_data)

    def redeliver(self, update_id: int) -> None:
        """Queue the same update again with the same id (as after a bot crash), even if confirmed."""
        with self._cond:
            if update_id not in self._all_updates:
                raise KeyError(f"unknown update_id {update_id}")
            for pending in self._pending:
                if pending.update_id == update_id:
                    # Still unconfirmed; if already fetched, make it survive the next offset.
                    if pending.delivered:
                        pending.forced = True
                        pending.delivered = False
                        self._delivered_ids.discard(update_id)
                        self._cond.notify_all()
                    return
            self._confirmed_ids.discard(update_id)
            self._delivered_ids.discard(update_id)
            for query in self._queries.values():
                if query["update_id"] == update_id:
                    query["answered"] = False
            self._enqueue(copy.deepcopy(self._all_updates[update_id]), forced=True)

    def queue_raw_update(self, update: dict[str, Any]) -> int:
        """Queue any update dict (groups, channels, edits...); assigns update_id if missing."""
        with self._cond:
            update = copy.deepcopy(update)
            for key, value in update.items():
                if key != "update_id" and isinstance(value, dict):
                    chat = value.get("chat") or (value.get("message") or {}).get("chat")
                    if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                        self._chats.setdefault(chat["id"], chat)
                        message_id = value.get("message_id")
                        if isinstance(message_id, int) and "chat" in value:
                            self._user_messages.setdefault(chat["id"], {})[message_id] = value
                            self._next_message_id[chat["id"]] = max(
                                self._next_message_id.get(chat["id"], 1), message_id + 1
                            )
                    if key == "callback_query" and "id" in value:
                        message = value.get("message") or {}
                        self._queries[str(value["id"])] = {
                            "chat_id": (message.get("chat") or {}).get("id"),
                            "message_id": message.get("message_id"),
                            "data": value.get("data"),
                            "update_id": update.get("update_id", self._next_update_id),
                            "answered": False,
                        }
            return self._enqueue(update)
