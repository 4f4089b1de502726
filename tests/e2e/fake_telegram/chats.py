"""Chats and the bot's messages in them: chat ids, replies, the message objects Telegram
returns, and the event log of sends, edits and deletes that tests wait on."""

from __future__ import annotations

import copy
import time
from typing import Any

from .files import _image_size
from .records import (
    MessageEvent,
    SentMessage,
)
from .state import EmulatorState
from .wire import (
    _bad_request,
)


class ChatStore(EmulatorState):
    """Bot messages by chat and id; every change is an event in the log."""

    def _chat_id(self, params: dict[str, Any], *, required: bool = True) -> int:
        value = params.get("chat_id")
        if value is None or value == "":
            if required:
                raise _bad_request("chat_id is empty")
            return 0
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise _bad_request("chat not found")
        if isinstance(value, str):
            with self._lock:
                for chat_id, known in self._chats.items():
                    if value.startswith("@") and known.get("username") == value[1:]:
                        return chat_id
            raise _bad_request("chat not found")
        with self._lock:
            if value not in self._chats:
                chat_type = (
                    "private"
                    if value > 0
                    else ("supergroup" if str(value).startswith("-100") else "group")
                )
                chat: dict[str, Any] = {"id": value, "type": chat_type}
                if chat_type == "private":
                    chat["first_name"] = f"User{value}"
                else:
                    chat["title"] = f"Chat {value}"
                self._chats[value] = chat
        return value

    def _reply_target(self, chat_id: int, params: dict[str, Any]) -> int | None:
        reply = params.get("reply_parameters")
        allow = bool(params.get("allow_sending_without_reply"))
        message_id: Any = params.get("reply_to_message_id")
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            allow = allow or bool(reply.get("allow_sending_without_reply"))
        elif reply is not None:
            raise _bad_request("can't parse reply parameters JSON object")
        if message_id is None:
            return None
        with self._lock:
            bot_msg = self._bot_messages.get(chat_id, {}).get(message_id)
            exists = (
                bot_msg is not None and not bot_msg.deleted
            ) or message_id in self._user_messages.get(chat_id, {})
        if not exists:
            if allow:
                return None
            raise _bad_request("message to be replied not found")
        return int(message_id)

    def _message_dict(self, msg: SentMessage, *, with_reply: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": msg.message_id,
            "from": self._bot_user(),
            "chat": copy.deepcopy(
                self._chats.get(msg.chat_id, {"id": msg.chat_id, "type": "private"})
            ),
            "date": msg.date,
        }
        if msg.edit_date is not None:
            data["edit_date"] = msg.edit_date
        if msg.kind == "text":
            data["text"] = msg.text
            if msg.entities:
                data["entities"] = copy.deepcopy(msg.entities)
        else:
            if msg.kind == "document" and msg.document is not None:
                data["document"] = {
                    "file_id": msg.document.file_id,
                    "file_unique_id": msg.document.file_unique_id,
                    "file_name": msg.document.filename,
                    "mime_type": msg.document.mime_type,
                    "file_size": len(msg.document.content),
                }
            elif msg.kind == "photo" and msg.photo is not None:
                width, height = _image_size(msg.photo) or (1, 1)
                entry = self._files.get(msg.photo_file_id or "")
                data["photo"] = [
                    {
                        "file_id": msg.photo_file_id,
                        "file_unique_id": entry.file_unique_id if entry else "AgAD",
                        "width": width,
                        "height": height,
                        "file_size": len(msg.photo),
                    }
                ]
            if msg.caption:
                data["caption"] = msg.caption
                if msg.entities:
                    data["caption_entities"] = copy.deepcopy(msg.entities)
        if msg.reply_markup and "inline_keyboard" in msg.reply_markup:
            data["reply_markup"] = copy.deepcopy(
                {"inline_keyboard": msg.reply_markup["inline_keyboard"]}
            )
        if with_reply and msg.reply_to_message_id is not None:
            replied = self._message_dict_any(msg.chat_id, msg.reply_to_message_id, with_reply=False)
            if replied:
                data["reply_to_message"] = replied
        return data

    def _message_dict_any(
        self, chat_id: int, message_id: int, *, with_reply: bool = False
    ) -> dict[str, Any] | None:
        bot_msg = self._bot_messages.get(chat_id, {}).get(message_id)
        if bot_msg is not None:
            return self._message_dict(bot_msg, with_reply=with_reply)
        user_msg = self._user_messages.get(chat_id, {}).get(message_id)
        if user_msg is not None:
            return {k: v for k, v in copy.deepcopy(user_msg).items() if k != "reply_to_message"}
        return None

    def _record_event(self, kind: str, msg: SentMessage) -> None:
        self._events.append(
            MessageEvent(
                seq=self._next_seq(),
                kind=kind,
                chat_id=msg.chat_id,
                message_id=msg.message_id,
                message=copy.deepcopy(msg),
            )
        )
        self._cond.notify_all()

    def _store_new(self, msg: SentMessage) -> dict[str, Any]:
        with self._cond:
            msg.message_id = self._alloc_message_id(msg.chat_id)
            msg.date = int(time.time())
            msg.seq = self._seq + 1  # the event below takes this number
            self._bot_messages.setdefault(msg.chat_id, {})[msg.message_id] = msg
            self._record_event("send", msg)
            return self._message_dict(msg)

    def _editable(self, params: dict[str, Any]) -> SentMessage:
        if params.get("inline_message_id"):
            raise _bad_request("inline messages are not supported by the emulator")
        chat_id = self._chat_id(params)
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise _bad_request("message identifier is not specified")
        with self._lock:
            msg = self._bot_messages.get(chat_id, {}).get(message_id)
        if msg is None or msg.deleted:
            raise _bad_request("message to edit not found")
        return msg

    def _apply_edit(self, msg: SentMessage, **changes: Any) -> dict[str, Any]:
        with self._cond:
            msg.history.append(msg.text)
            msg.html_history.append(msg.html if msg.kind == "text" else msg.caption_html)
            for key, value in changes.items():
                setattr(msg, key, value)
            msg.edits += 1
            msg.edit_date = int(time.time())
            self._record_event("edit", msg)
            return self._message_dict(msg)
