"""The Bot API methods that send, edit and delete messages, answer callback queries and show
chat actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .chats import ChatStore
from .content import ContentChecks
from .faults import Faults
from .files import FileStore, _image_size
from .records import (
    SentDocument,
    SentMessage,
)
from .wire import (
    _ApiError,
    _bad_request,
)

if TYPE_CHECKING:
    from .server import _Handler

MAX_CALLBACK_ANSWER_LENGTH = 200

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)

QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


class MessageMethods(ChatStore, ContentChecks, Faults, FileStore):
    """sendMessage, sendDocument, sendPhoto, the edits, deleteMessage, answerCallbackQuery,
    sendChatAction."""

    def _m_send_message(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        if "text" not in params:
            raise _bad_request("message text is empty")
        raw = params["text"] if isinstance(params["text"], str) else str(params["text"])
        plain, entities, mode = self._format(
            raw, params.get("parse_mode"), params.get("entities"), caption=False
        )
        markup, buttons = self._parse_markup(params.get("reply_markup"))
        with self._cond:
            reply_to = self._reply_target(chat_id, params)
            self._check_blocked(chat_id)
            self._check_rate(chat_id)
            msg = SentMessage(
                chat_id=chat_id,
                message_id=0,
                date=0,
                kind="text",
                text=plain,
                html=raw,
                parse_mode=mode,
                entities=entities,
                buttons=buttons,
                reply_markup=markup,
                reply_to_message_id=reply_to,
            )
            return self._store_new(msg)

    def _send_media(
        self, params: dict[str, Any], files: dict[str, Any], kind: str
    ) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        filename, content, mime, existing = self._input_file(params, files, kind)
        size = _image_size(content) if kind == "photo" else None
        if kind == "photo" and size is None:
            raise _bad_request("IMAGE_PROCESS_FAILED")
        raw_caption = params.get("caption")
        caption_plain: str | None = None
        entities: list[dict[str, Any]] = []
        mode: str | None = None
        if raw_caption is not None:
            if not isinstance(raw_caption, str):
                raw_caption = str(raw_caption)
            caption_plain, entities, mode = self._format(
                raw_caption, params.get("parse_mode"), params.get("caption_entities"), caption=True
            )
        markup, buttons = self._parse_markup(params.get("reply_markup"))
        with self._cond:
            reply_to = self._reply_target(chat_id, params)
            self._check_blocked(chat_id)
            self._check_rate(chat_id)
            entry = existing or self._store_file(
                content, filename, mime, "photos" if kind == "photo" else "documents"
            )
            msg = SentMessage(
                chat_id=chat_id,
                message_id=0,
                date=0,
                kind=kind,
                text=caption_plain or "",
                html=None,
                parse_mode=mode,
                entities=entities,
                buttons=buttons,
                reply_markup=markup,
                caption=caption_plain,
                caption_html=raw_caption,
                reply_to_message_id=reply_to,
            )
            if kind == "document":
                msg.document = SentDocument(
                    filename=filename,
                    content=content,
                    mime_type=mime,
                    file_id=entry.file_id,
                    file_unique_id=entry.file_unique_id,
                )
            else:
                msg.photo = content
                msg.photo_file_id = entry.file_id
            return self._store_new(msg)

    def _m_send_document(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        return self._send_media(params, files, "document")

    def _m_send_photo(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        return self._send_media(params, files, "photo")

    def _m_edit_message_text(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        msg = self._editable(params)
        if msg.kind != "text":
            raise _bad_request("there is no text in the message to edit")
        raw = params.get("text")
        if raw is None:
            raise _bad_request("text must be non-empty")
        raw = raw if isinstance(raw, str) else str(raw)
        plain, entities, mode = self._format(
            raw, params.get("parse_mode"), params.get("entities"), caption=False
        )
        markup, buttons = self._parse_markup(params.get("reply_markup"))
        with self._cond:
            if (
                plain == msg.text
                and entities == msg.entities
                and self._markup_key(markup) == self._markup_key(msg.reply_markup)
            ):
                raise _bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
            self._check_blocked(msg.chat_id)
            self._check_rate(msg.chat_id)
            return self._apply_edit(
                msg,
                text=plain,
                html=raw,
                parse_mode=mode,
                entities=entities,
                buttons=buttons,
                reply_markup=markup,
            )

    def _m_edit_message_reply_markup(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        msg = self._editable(params)
        markup, buttons = self._parse_markup(params.get("reply_markup"))
        if markup is not None and "inline_keyboard" not in markup:
            raise _bad_request("only inline keyboards can be set by editMessageReplyMarkup")
        with self._cond:
            if self._markup_key(markup) == self._markup_key(msg.reply_markup):
                raise _bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
            self._check_blocked(msg.chat_id)
            self._check_rate(msg.chat_id)
            return self._apply_edit(msg, buttons=buttons, reply_markup=markup)

    def _m_edit_message_caption(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        msg = self._editable(params)
        if msg.kind == "text":
            raise _bad_request("there is no caption in the message to edit")
        raw = params.get("caption")
        plain: str | None = None
        entities: list[dict[str, Any]] = []
        mode: str | None = None
        if raw is not None:
            raw = raw if isinstance(raw, str) else str(raw)
            plain, entities, mode = self._format(
                raw, params.get("parse_mode"), params.get("caption_entities"), caption=True
            )
        markup, buttons = self._parse_markup(params.get("reply_markup"))
        with self._cond:
            if (
                (plain or "") == (msg.caption or "")
                and entities == msg.entities
                and self._markup_key(markup) == self._markup_key(msg.reply_markup)
            ):
                raise _bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
            self._check_blocked(msg.chat_id)
            self._check_rate(msg.chat_id)
            return self._apply_edit(
                msg,
                text=plain or "",
                caption=plain,
                caption_html=raw,
                parse_mode=mode,
                entities=entities,
                buttons=buttons,
                reply_markup=markup,
            )

    def _m_delete_message(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> bool:
        chat_id = self._chat_id(params)
        message_id = params.get("message_id")
        with self._cond:
            msg = self._bot_messages.get(chat_id, {}).get(message_id)  # type: ignore[arg-type]
            if msg is not None and not msg.deleted:
                msg.deleted = True
                self._record_event("delete", msg)
                return True
            user_messages = self._user_messages.get(chat_id, {})
            if message_id in user_messages:
                del user_messages[message_id]
                return True
        raise _bad_request("message to delete not found")

    def _m_answer_callback_query(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad_request("MESSAGE_TOO_LONG")
        with self._cond:
            query = self._queries.get(query_id)
            if query is None or query["answered"]:
                raise _ApiError(400, QUERY_INVALID)
            query["answered"] = True
            self._callback_answers.append(
                {
                    "seq": self._next_seq(),
                    "callback_query_id": query_id,
                    "update_id": query["update_id"],
                    "chat_id": query["chat_id"],
                    "message_id": query["message_id"],
                    "data": query["data"],
                    "text": text,
                    "show_alert": bool(params.get("show_alert", False)),
                    "url": params.get("url"),
                    "cache_time": params.get("cache_time"),
                }
            )
            self._cond.notify_all()
        return True

    def _m_send_chat_action(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> bool:
        chat_id = self._chat_id(params)
        action = params.get("action")
        if action not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        with self._lock:
            self._check_blocked(chat_id)
            self.chat_actions.append((chat_id, str(action)))
        return True
