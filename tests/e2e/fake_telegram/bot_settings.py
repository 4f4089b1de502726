"""The bot's own settings: getMe, commands, the menu button, name and descriptions, getChat."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .chats import ChatStore
from .wire import (
    _bad_request,
)

if TYPE_CHECKING:
    from .server import _Handler

_BOT_COMMAND_NAME_RE = re.compile(r"^[a-z0-9_]{1,32}$")


class BotSettings(ChatStore):
    """Methods the bot calls at start-up to describe itself."""

    def _m_true(self, params: dict[str, Any], files: dict[str, Any], req: _Handler) -> bool:
        return True

    def _m_get_me(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, str]]:
        """Commands the bot registered for a scope (default scope by default)."""
        with self._lock:
            key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
            return copy.deepcopy(self.commands_by_scope.get(key, []))

    @staticmethod
    def _scope_key(params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise _bad_request("can't parse BotCommandScope JSON object")
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    def _m_set_my_commands(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad_request("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict):
                raise _bad_request("can't parse BotCommand JSON object")
            name = command.get("command")
            description = command.get("description")
            if not isinstance(name, str) or not _BOT_COMMAND_NAME_RE.match(name):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._scope_key(params)
        with self._lock:
            self.commands_by_scope[key] = [
                {"command": c["command"], "description": c["description"]} for c in commands
            ]
        return True

    def _m_get_my_commands(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> list[dict[str, str]]:
        key = self._scope_key(params)
        with self._lock:
            return copy.deepcopy(self.commands_by_scope.get(key, []))

    def _m_delete_my_commands(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> bool:
        key = self._scope_key(params)
        with self._lock:
            self.commands_by_scope.pop(key, None)
        return True

    def _m_set_chat_menu_button(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> bool:
        button = params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "default",
            "commands",
            "web_app",
        ):
            raise _bad_request("can't parse menu button JSON object")
        chat_id = self._chat_id(params) if "chat_id" in params else None
        with self._lock:
            self.menu_buttons[chat_id] = dict(button)
        return True

    def _m_get_chat_menu_button(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        chat_id = self._chat_id(params) if "chat_id" in params else None
        with self._lock:
            return dict(
                self.menu_buttons.get(chat_id)
                or self.menu_buttons.get(None)
                or {"type": "commands"}
            )

    def _m_set_bot_text(self, kind: str) -> Callable[[dict[str, Any], dict[str, Any], Any], bool]:
        def handler(params: dict[str, Any], files: dict[str, Any], req: _Handler) -> bool:
            value = params.get(kind) or ""
            with self._lock:
                self.bot_texts[(kind, str(params.get("language_code") or ""))] = str(value)
            return True

        return handler

    def _m_get_bot_text(
        self, kind: str
    ) -> Callable[[dict[str, Any], dict[str, Any], Any], dict[str, str]]:
        def handler(params: dict[str, Any], files: dict[str, Any], req: _Handler) -> dict[str, str]:
            with self._lock:
                value = self.bot_texts.get((kind, str(params.get("language_code") or "")), "")
            return {kind: value if kind != "name" else (value or self.bot_first_name)}

        return handler

    def _m_get_chat(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        with self._lock:
            chat = copy.deepcopy(self._chats[chat_id])
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
            },
        }
