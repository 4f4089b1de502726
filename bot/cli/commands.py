"""The data commands: import influencers or performance figures, seed or remove the sample store,
recommend."""

from __future__ import annotations

import argparse
import io
import json
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from bot.cli.errors import EXIT_OK, Refused

if TYPE_CHECKING:
    from sqlalchemy import Engine


def _import_file(engine: Engine, source: BinaryIO, *, name: str, size: int | None) -> int:
    """Stream the file into the store (bot.store.bulk): all or nothing, in short
    transactions, so a running bot keeps answering while a big file imports."""
    from bot.platform.runtime import collector_paused
    from bot.store.bulk import ImportBusy, import_csv

    bar = None
    if size is not None and size >= 200_000:
        from tqdm import tqdm

        bar = tqdm(total=size, unit="B", unit_scale=True, desc="importing", file=sys.stderr)
    last = 0

    def progress(_rows: int) -> None:
        nonlocal last
        if bar is not None:
            position = source.tell()
            bar.update(position - last)
            last = position

    try:
        with collector_paused():
            result = import_csv(engine, source, source_name=name, progress=progress)
    except ImportBusy as exc:
        raise Refused("another import of the store is running; try again when it is done") from exc
    finally:
        if bar is not None:
            bar.close()
    if result.counts is None:
        print(f"Nothing imported: {len(result.errors)} bad row(s).", file=sys.stderr)
        for error in result.errors:
            print(f"  {error}", file=sys.stderr)
        raise Refused("fix the rows above and import the file again")
    counts = result.counts
    print(f"Imported {result.rows} influencer(s): {counts.added} added, {counts.updated} updated.")
    return EXIT_OK


def import_influencers(engine: Engine, path: Path) -> int:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise Refused(f"cannot read {path}: {exc.strerror}") from exc
    with handle:
        size = path.stat().st_size
        return _import_file(engine, handle, name=f"csv:{path.name}"[:200], size=size)


def import_performance(engine: Engine, campaign_id: int, path: Path, default_timezone: str) -> int:
    from bot.campaigns.performance_import import import_performance as record
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
        result = record(session, campaign, data, timezone=timezone, source="cli")
        if result.errors:
            print(f"Nothing recorded: {len(result.errors)} bad row(s).", file=sys.stderr)
            for error in result.errors:
                print(f"  {error}", file=sys.stderr)
            raise Refused("fix the rows above and import the file again")
    print(f"Recorded {len(result.items)} snapshot(s) for campaign {campaign_id} ({campaign.name}).")
    return EXIT_OK


def seed(engine: Engine, *, if_empty: bool) -> int:
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
    return _import_file(engine, io.BytesIO(data), name=SAMPLE_SOURCE, size=None)


def remove_sample(engine: Engine) -> int:
    """Delete the bundled sample store in one transaction; real rows and campaigns stay."""
    from models.db import session_scope
    from models.store import remove_sample_rows

    with session_scope(engine) as session:
        removed = remove_sample_rows(session)
    if not removed.influencers:
        print("The influencer store holds no sample influencers; nothing removed.")
        return EXIT_OK
    print(
        f"Removed {removed.influencers} sample influencer(s) "
        f"and their {removed.search_rows} search row(s)."
    )
    if removed.members_detached:
        print(
            f"{removed.members_detached} campaign member(s) in {removed.campaigns} campaign(s) "
            "came from the sample: they keep their own copy of the account (handle, name, "
            "followers, fee) and their figures, so those campaigns and their reports are "
            "unchanged; they are no longer linked to the store."
        )
    return EXIT_OK


def recommend(engine: Engine, args: argparse.Namespace) -> int:
    from bot.advisor.recommendations import advise, describe, to_json, with_platforms
    from bot.domain import Brief
    from bot.language.business import default_business, parse_business
    from bot.language.goals import parse_goal
    from bot.language.locations import parse_location
    from bot.language.money import parse_budget
    from bot.language.niches import parse_niche
    from bot.language.platforms import parse_platform
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
    if args.business:
        business = parse_business(args.business)
        if business is None:
            raise Refused(f"unknown business {args.business!r}; use walk_in, online or destination")
    else:
        business = default_business(niche, location)
    brief = Brief(
        niche=niche,
        goal=goal,
        budget=budget.amount,
        platform=platform,
        location=location,
        business=business,
    )
    with session_scope(engine) as session:
        advice = with_platforms(session, advise(session, brief))
    if args.json:
        print(json.dumps(to_json(advice), ensure_ascii=False, indent=2))
    else:
        print(describe(advice))
    return EXIT_OK
