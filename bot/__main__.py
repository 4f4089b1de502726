"""Command line: `python -m bot run | import-influencers | seed-demo | recommend`.

Exit codes (PRODUCT.md): 0 done, 1 refused (bad input, bad rows, missing token), 2 wrong usage.
Every command brings the database schema up to date first.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings, get_settings

if TYPE_CHECKING:
    import socket

    from sqlalchemy import Engine
    from telegram.ext import Application

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
# The update types the handlers use. Both modes ask Telegram for exactly these, so both see
# the same updates (an edited message, say, never reaches the advisor as a new answer).
ALLOWED_UPDATES = ("message", "callback_query")


class Refused(Exception):
    """A clear one-line reason to stop with exit code 1."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Influencer-strategy advisor for Indonesian UMKM, on Telegram.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser(
        "run",
        help="start the bot (webhook mode when WEBHOOK_URL is set, else long polling; "
        "settings from the environment or .env)",
    )
    imp = sub.add_parser(
        "import-influencers", help="import or update influencers from a CSV file (all or nothing)"
    )
    imp.add_argument("file", type=Path, help="CSV file in the influencer contract (see README)")
    perf = sub.add_parser(
        "import-performance", help="record campaign figures from a performance CSV (all or nothing)"
    )
    perf.add_argument("campaign", type=int, help="the campaign's number as the bot shows it")
    perf.add_argument("file", type=Path, help="CSV file in the performance contract (see README)")
    seed = sub.add_parser("seed-demo", help="load the bundled SAMPLE influencer store")
    seed.add_argument(
        "--if-empty", action="store_true", help="do nothing when the store already has influencers"
    )
    rec = sub.add_parser("recommend", help="print a recommendation for a brief")
    rec.add_argument(
        "--niche", required=True, help='niche name or synonym, e.g. "Kuliner" or "skincare"'
    )
    rec.add_argument(
        "--goal", required=True, help="awareness, engagement or sales (or the Indonesian words)"
    )
    rec.add_argument(
        "--budget", required=True, help='budget in Rupiah as people write it, e.g. "5jt"'
    )
    rec.add_argument("--platform", required=True, help="instagram, tiktok, youtube, facebook or x")
    rec.add_argument("--location", required=True, help='city, province or "seluruh Indonesia"')
    rec.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = get_settings()
    try:
        if args.command == "run":
            return _run(settings)
        engine = _prepared_engine(settings)
        if args.command == "import-influencers":
            return _import(engine, args.file)
        if args.command == "import-performance":
            return _import_performance(engine, args.campaign, args.file, settings.timezone)
        if args.command == "seed-demo":
            return _seed(engine, if_empty=args.if_empty)
        if args.command == "recommend":
            return _recommend(engine, args)
    except Refused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        return EXIT_REFUSED
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; that is not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    return EXIT_USAGE


def _prepared_engine(settings: Settings):  # noqa: ANN202
    from sqlalchemy.exc import OperationalError

    from models.db import make_engine, migrate

    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
    except OperationalError as exc:
        where = settings.database_url.split("@")[-1]  # never print the password
        reason = " ".join(str(exc.orig).split())
        raise Refused(f"cannot open the database ({where}): {reason}") from exc
    return engine


def _run(settings: Settings) -> int:
    from bot import logs

    if not settings.telegram_bot_token.strip():
        raise Refused(
            "TELEGRAM_BOT_TOKEN is not set: get a bot token from @BotFather in Telegram and put "
            "TELEGRAM_BOT_TOKEN=<token> in .env (see .env.example)"
        )
    webhook = bool(settings.webhook_url.strip())
    if webhook:
        from bot.webhook import settings_problem

        problem = settings_problem(settings)
        if problem:
            raise Refused(problem)
    logs.configure(
        settings.log_level, secrets=[settings.telegram_bot_token, settings.webhook_secret]
    )
    from telegram.error import InvalidToken

    from bot.app import build_application
    from bot.runtime import settle_after_startup

    engine = _prepared_engine(settings)
    listener = _listen(settings) if webhook else None
    application = build_application(settings, engine)
    settle_after_startup()
    try:
        if listener is None:
            logging.getLogger(__name__).info("serving updates by long polling")
            application.run_polling(allowed_updates=list(ALLOWED_UPDATES))
        else:
            _serve_webhook(application, settings, listener, engine)
    except InvalidToken as exc:
        raise Refused(
            "Telegram refused TELEGRAM_BOT_TOKEN: check the token @BotFather gave you in .env"
        ) from exc
    return EXIT_OK


def _listen(settings: Settings) -> socket.socket:
    """Bind the webhook port now, so a busy port is a clear refusal, not a traceback."""
    from bot.webhook import bind

    try:
        return bind(settings.webhook_listen, settings.webhook_port)
    except OSError as exc:
        raise Refused(
            f"cannot listen on {settings.webhook_listen}:{settings.webhook_port} "
            f"(WEBHOOK_LISTEN, WEBHOOK_PORT): {exc.strerror or exc}"
        ) from exc


def _serve_webhook(
    application: Application, settings: Settings, listener: socket.socket, engine: Engine
) -> None:
    """Webhook mode until SIGTERM/SIGINT; Telegram refusing the URL is a clear refusal."""
    import asyncio

    from telegram.error import BadRequest

    from bot.webhook import run_webhook

    logging.getLogger(__name__).info("serving updates by webhook")
    try:
        asyncio.run(
            run_webhook(
                application, settings, listener, allowed_updates=ALLOWED_UPDATES, engine=engine
            )
        )
    except BadRequest as exc:
        raise Refused(f"Telegram refused WEBHOOK_URL: {exc.message}") from exc


def _import_bytes(engine, data: bytes, *, source: str, show_progress: bool) -> int:  # noqa: ANN001
    from bot.importer import import_rows, parse_influencer_csv
    from bot.runtime import collector_paused
    from models.db import session_scope

    with collector_paused():
        parsed = parse_influencer_csv(data)
    if parsed.errors:
        print(f"Nothing imported: {len(parsed.errors)} bad row(s).", file=sys.stderr)
        for error in parsed.errors:
            print(f"  {error}", file=sys.stderr)
        raise Refused("fix the rows above and import the file again")
    bar = None
    if show_progress and len(parsed.rows) >= 2000:
        from tqdm import tqdm

        bar = tqdm(total=len(parsed.rows), unit="row", desc="importing", file=sys.stderr)
    last = 0

    def progress(done: int) -> None:
        nonlocal last
        if bar is not None:
            bar.update(done - last)
            last = done

    with collector_paused(), session_scope(engine) as session:
        counts = import_rows(session, parsed.rows, source=source, progress=progress)
    if bar is not None:
        bar.close()
    print(
        f"Imported {len(parsed.rows)} influencer(s): {counts.added} added, {counts.updated} updated."
    )
    return EXIT_OK


def _import(engine, path: Path) -> int:  # noqa: ANN001
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Refused(f"cannot read {path}: {exc.strerror}") from exc
    return _import_bytes(engine, data, source=f"csv:{path.name}"[:200], show_progress=True)


def _import_performance(engine, campaign_id: int, path: Path, default_timezone: str) -> int:  # noqa: ANN001
    from bot.performance_import import import_performance
    from models.campaigns import Campaign
    from models.db import session_scope
    from models.users import UserAccount

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Refused(f"cannot read {path}: {exc.strerror}") from exc
    with session_scope(engine) as session:
        campaign = session.get(Campaign, campaign_id) if 0 < campaign_id < 2**31 else None
        if campaign is None:
            raise Refused(f"there is no campaign number {campaign_id}")
        owner = session.get(UserAccount, campaign.owner_user_id)
        timezone = owner.timezone if owner else default_timezone
        result = import_performance(session, campaign, data, timezone=timezone, source="cli")
        if result.errors:
            print(f"Nothing recorded: {len(result.errors)} bad row(s).", file=sys.stderr)
            for error in result.errors:
                print(f"  {error}", file=sys.stderr)
            raise Refused("fix the rows above and import the file again")
    print(f"Recorded {len(result.items)} snapshot(s) for campaign {campaign_id} ({campaign.name}).")
    return EXIT_OK


def _seed(engine, *, if_empty: bool) -> int:  # noqa: ANN001
    from models.db import session_scope
    from models.influencers import SAMPLE_SOURCE
    from models.store import count_influencers

    if if_empty:
        with session_scope(engine) as session:
            if count_influencers(session):
                print("The influencer store is not empty; sample data not loaded.")
                return EXIT_OK
    data = resources.files("bot").joinpath("data/sample_influencers.csv").read_bytes()
    print(
        "Loading the bundled SAMPLE store (invented accounts for trying the bot, not real people)."
    )
    return _import_bytes(engine, data, source=SAMPLE_SOURCE, show_progress=False)


def _recommend(engine, args: argparse.Namespace) -> int:  # noqa: ANN001
    from bot.domain import Brief
    from bot.parsing import parse_budget, parse_goal, parse_location, parse_niche, parse_platform
    from bot.recommendations import advise, describe, to_json
    from models.db import session_scope

    niche = parse_niche(args.niche)
    if niche is None:
        raise Refused(
            f"unknown niche {args.niche!r}; try a name such as Kuliner, Fashion, Kecantikan"
        )
    goal = parse_goal(args.goal)
    if goal is None:
        raise Refused(f"unknown goal {args.goal!r}; use awareness, engagement or sales")
    budget = parse_budget(args.budget)
    if budget.amount is None:
        if budget.ambiguous_juta:
            raise Refused(
                f"budget {args.budget!r} is ambiguous; write it in full, e.g. {args.budget}jt"
            )
        raise Refused(
            f"cannot read budget {args.budget!r} ({budget.error}); write e.g. 5jt or 5000000"
        )
    platform = parse_platform(args.platform)
    if platform is None:
        raise Refused(
            f"unknown platform {args.platform!r}; use instagram, tiktok, youtube, facebook or x"
        )
    location = parse_location(args.location)
    if location is None:
        raise Refused(
            f"unknown location {args.location!r}; use a city, a province or 'seluruh Indonesia'"
        )
    brief = Brief(
        niche=niche, goal=goal, budget=budget.amount, platform=platform, location=location
    )
    with session_scope(engine) as session:
        advice = advise(session, brief)
    if args.json:
        print(json.dumps(to_json(advice), ensure_ascii=False, indent=2))
    else:
        print(describe(advice))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
