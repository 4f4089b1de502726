"""FakeTelegram: the parts composed as mixins over one state (whose constructor, in state.py,
takes the configuration), the table of Bot API methods it answers, and starting and
stopping the server."""

from __future__ import annotations

import contextlib
import socket
import threading

from .bot_settings import BotSettings
from .messages import MessageMethods
from .observe import Observation
from .server import HttpFront, _Handler, _Server
from .state import ApiMethod
from .users import UserActions
from .webhook import Webhooks


class FakeTelegram(HttpFront, UserActions, MessageMethods, Webhooks, BotSettings, Observation):
    """The Bot API emulator; see the package docstring. All public methods are thread-safe."""

    def _api_methods(self) -> dict[str, ApiMethod]:
        return {
            "getMe": self._m_get_me,
            "logOut": self._m_true,
            "close": self._m_true,
            "deleteWebhook": self._m_delete_webhook,
            "setWebhook": self._m_set_webhook,
            "getWebhookInfo": self._m_get_webhook_info,
            "getUpdates": self._m_get_updates,
            "sendMessage": self._m_send_message,
            "editMessageText": self._m_edit_message_text,
            "editMessageReplyMarkup": self._m_edit_message_reply_markup,
            "editMessageCaption": self._m_edit_message_caption,
            "deleteMessage": self._m_delete_message,
            "answerCallbackQuery": self._m_answer_callback_query,
            "sendDocument": self._m_send_document,
            "sendPhoto": self._m_send_photo,
            "sendChatAction": self._m_send_chat_action,
            "getFile": self._m_get_file,
            "setMyCommands": self._m_set_my_commands,
            "getMyCommands": self._m_get_my_commands,
            "deleteMyCommands": self._m_delete_my_commands,
            "setChatMenuButton": self._m_set_chat_menu_button,
            "getChatMenuButton": self._m_get_chat_menu_button,
            "setMyDescription": self._m_set_bot_text("description"),
            "getMyDescription": self._m_get_bot_text("description"),
            "setMyShortDescription": self._m_set_bot_text("short_description"),
            "getMyShortDescription": self._m_get_bot_text("short_description"),
            "setMyName": self._m_set_bot_text("name"),
            "getMyName": self._m_get_bot_text("name"),
            "getChat": self._m_get_chat,
        }

    def start(self) -> None:
        """Bind and serve in a background thread; restartable after stop() on the same port."""
        if self._server is not None:
            return
        self._stopping.clear()
        server = _Server((self.host, self.port), _Handler)
        server.fake = self
        self._server = server
        self.port = int(server.server_address[1])
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"FakeTelegram:{self.port}",
            daemon=True,
        )
        self._thread.start()
        self._webhook_thread = threading.Thread(
            target=self._webhook_loop, name=f"FakeTelegram:{self.port}:webhook", daemon=True
        )
        self._webhook_thread.start()

    def stop(self) -> None:
        """Stop serving quickly, releasing long polls and dropping kept-alive connections."""
        server = self._server
        if server is None:
            return
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        server.shutdown()
        server.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self._webhook_thread is not None:
            self._webhook_thread.join(timeout=2)
        self._server = None
        self._thread = None
        self._webhook_thread = None

    def __enter__(self) -> FakeTelegram:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """Value for PTB's base_url / TELEGRAM_API_BASE_URL (PTB appends the token)."""
        self._require_started()
        return f"http://{self.host}:{self.port}/bot"

    @property
    def file_base_url(self) -> str:
        """Value for PTB's base_file_url / TELEGRAM_API_FILE_URL."""
        self._require_started()
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def api_url(self) -> str:
        """Full method prefix including the token, handy for raw httpx calls."""
        return f"{self.base_url}{self.token}"

    def _require_started(self) -> None:
        if not self.port:
            raise RuntimeError("FakeTelegram has no port yet; call start() or use it as a context")
