"""`python -m bot run`: the composition root, the one place in `bot` that reaches `handlers`.

It checks what can be checked without Telegram (token, webhook settings, database), then
hands over to `handlers.serve`, which builds the application and serves updates.
"""

from __future__ import annotations

from bot.cli.errors import EXIT_OK, Refused
from bot.cli.main import prepared_engine
from bot.config import Settings
from bot.platform import logs
from bot.platform.runtime import share_one_heap


def run(settings: Settings) -> int:
    if not settings.telegram_bot_token.strip():
        raise Refused(
            "TELEGRAM_BOT_TOKEN is not set: get a bot token from @BotFather in Telegram and put "
            "TELEGRAM_BOT_TOKEN=<token> in .env (see .env.example)"
        )
    share_one_heap()
    from handlers import serve

    problem = serve.settings_problem(settings) if settings.webhook_url.strip() else None
    if problem:
        raise Refused(problem)
    logs.configure(
        settings.log_level, secrets=[settings.telegram_bot_token, settings.webhook_secret]
    )
    serve.serve(settings, prepared_engine(settings))
    return EXIT_OK
