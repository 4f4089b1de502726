"""Command line: `python -m bot run | import-influencers | import-performance | seed-demo |
remove-sample | recommend | claims`.

Exit codes are a contract for scripts (README "Command line"): 0 done, 1 refused (bad input,
bad rows, missing token), 2 wrong usage.
Every command brings the database schema up to date first.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli import claims, commands
from bot.cli.errors import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, Refused
from bot.config import Settings, get_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine


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
    sub.add_parser(
        "remove-sample",
        help="delete the bundled SAMPLE influencers (campaigns keep their own copy of members)",
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
    rec.add_argument(
        "--business",
        help="walk_in, online or destination (or offline, olshop, wisata); "
        "default: inferred from the niche and location, else unknown",
    )
    rec.add_argument("--json", action="store_true", help="print JSON instead of text")
    claims.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = get_settings()
    try:
        if args.command == "run":
            from bot.cli.run import run

            return run(settings)
        engine = prepared_engine(settings)
        if args.command == "import-influencers":
            return commands.import_influencers(engine, args.file)
        if args.command == "import-performance":
            return commands.import_performance(engine, args.campaign, args.file, settings.timezone)
        if args.command == "seed-demo":
            return commands.seed(engine, if_empty=args.if_empty)
        if args.command == "remove-sample":
            return commands.remove_sample(engine)
        if args.command == "recommend":
            return commands.recommend(engine, args)
        if args.command == "claims":
            return claims.run(engine, args)
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


def prepared_engine(settings: Settings) -> Engine:
    from sqlalchemy.exc import OperationalError

    from bot.store.ranking import refresh_rankings
    from models.db import make_engine, migrate

    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
        refresh_rankings(engine)
    except OperationalError as exc:
        where = settings.database_url.split("@")[-1]  # never print the password
        reason = " ".join(str(exc.orig).split())
        raise Refused(f"cannot open the database ({where}): {reason}") from exc
    return engine
