"""Settings, read from the environment and `.env` (names are a contract: README "Settings")."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def default_database_url() -> str:
    """SQLite file under ./data/ of the working directory, created on demand."""
    return f"sqlite:///{Path.cwd() / 'data' / 'bot.sqlite3'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: str = ""
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_api_file_url: str = "https://api.telegram.org/file/bot"
    database_url: str = Field(default_factory=default_database_url)
    timezone: str = "Asia/Jakarta"
    admin_user_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8080
    send_max_per_second: int = 29
    send_max_per_chat_per_second: int = 1
    send_reply_burst: int = 3
    sweep_interval_seconds: int = 30
    log_level: str = "INFO"

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Accept the comma-separated form the operator writes in `.env`."""
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
        if isinstance(value, int):
            return frozenset({value})
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
