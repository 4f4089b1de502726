"""Everything the emulator remembers, behind one lock, and the few helpers every part uses.

The parts of the emulator are mixins over this state (see emulator.py); the lock is
re-entrant and its condition is notified whenever something a test may wait for changes."""

from __future__ import annotations

import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .records import (
    ApiCall,
    FakeUser,
    MessageEvent,
    SentMessage,
    WebhookDelivery,
    _Fault,
    _FileEntry,
    _Pending,
)

if TYPE_CHECKING:
    from .server import _Server

ApiMethod = Callable[[dict[str, Any], dict[str, Any], Any], Any]


class EmulatorState:
    """The emulator's configuration and state (FakeTelegram takes these arguments)."""

    def __init__(
        self,
        token: str = "123456:TEST-token",
        *,
        bot_username: str = "umkm_test_bot",
        bot_first_name: str = "UMKM Test Bot",
        host: str = "127.0.0.1",
        port: int = 0,
        global_rate: int | None = None,
        per_chat_rate: int | None = None,
        retry_after: int | None = None,
        strict_ampersand: bool = True,
        first_update_id: int = 100_000,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.host = host
        self.port = port
        self.strict_ampersand = strict_ampersand
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 123456

        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()

        self._seq = 0
        self._call_log: list[ApiCall] = []
        self._errors: list[tuple[str, int, str]] = []
        self._error_details: list[tuple[int, str, int, str, int | None, bool]] = []
        self.internal_errors: list[str] = []
        self._inflight: dict[int | None, int] = {}
        self._last_activity: dict[int | None, float] = {None: time.monotonic()}

        # Updates
        self._next_update_id = first_update_id
        self._pending: list[_Pending] = []
        self._all_updates: dict[int, dict[str, Any]] = {}
        self._delivered_ids: set[int] = set()
        self._confirmed_ids: set[int] = set()
        self.dropped_updates: list[dict[str, Any]] = []
        self._poll_generation = 0
        self._allowed_updates: list[str] | None = None
        self._webhook: dict[str, Any] = {}
        self._webhook_thread: threading.Thread | None = None
        self._webhook_error: tuple[int, str] | None = None
        self._deliveries: list[WebhookDelivery] = []
        self._balance: list[str] = []
        self._balance_next = 0
        self._webhook_passes = 0  # rounds of the delivery loop, for wait_webhook_pass
        self._pass_waiters = 0
        self.webhook_timeout = 10.0  # seconds a webhook POST may take before it counts as failed

        # Chats and messages
        self._users: dict[int, FakeUser] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._next_message_id: dict[int, int] = {}
        self._bot_messages: dict[int, dict[int, SentMessage]] = {}
        self._user_messages: dict[int, dict[int, dict[str, Any]]] = {}
        self._transcript: dict[int, list[tuple[int, str, Any]]] = {}
        self._events: list[MessageEvent] = []
        self.blocked_chats: set[int] = set()
        self.chat_actions: list[tuple[int, str]] = []

        # Callback queries
        self._queries: dict[str, dict[str, Any]] = {}
        self._callback_answers: list[dict[str, Any]] = []

        # Files
        self._files: dict[str, _FileEntry] = {}
        self._files_by_path: dict[str, _FileEntry] = {}
        self._file_counter = 0
        self.downloads: list[str] = []

        # Bot settings
        self.commands_by_scope: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.bot_texts: dict[tuple[str, str], str] = {}

        # Flood control and faults
        self._global_rate = global_rate
        self._per_chat_rate = per_chat_rate
        self._retry_after = retry_after
        self._global_window: deque[float] = deque()
        self._chat_windows: dict[int, deque[float]] = {}
        self.rate_limited_count = 0
        self._fail_queue: dict[str, deque[_Fault]] = {}
        self._delay_queue: dict[str, deque[_Fault]] = {}

        self._methods: dict[str, tuple[str, ApiMethod]] = {
            name.lower(): (name, fn) for name, fn in self._api_methods().items()
        }

    def _api_methods(self) -> dict[str, ApiMethod]:
        """Bot API method name -> implementation; FakeTelegram lists every method it answers."""
        return {}

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _alloc_message_id(self, chat_id: int) -> int:
        next_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = next_id + 1
        return next_id

    def _touch(self, chat_id: int | None) -> None:
        now = time.monotonic()
        self._last_activity[None] = now
        if chat_id is not None:
            self._last_activity[chat_id] = now

    @staticmethod
    def _update_chat_id(update: dict[str, Any]) -> int | None:
        for key, value in update.items():
            if key == "update_id" or not isinstance(value, dict):
                continue
            chat = value.get("chat") or (value.get("message") or {}).get("chat")
            if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                return int(chat["id"])
            sender = value.get("from")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return int(sender["id"])
        return None

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }
