"""`python -m bot claims list | assign | release | verify`: the operator settles who holds a
self-listed handle, and verifies listings.

Nobody is told in the chat automatically: the command line sends nothing (the operator
contacts the accounts involved, whose Telegram ids `claims list` shows).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.cli.errors import EXIT_OK, Refused

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    claims = sub.add_parser(
        "claims", help="self-listed influencers (/daftar): who holds a handle, verification"
    )
    actions = claims.add_subparsers(dest="claims_command", required=True, metavar="ACTION")
    actions.add_parser("list", help="every claimed handle, and refused claims waiting")
    for name, text in (
        ("assign", "give a handle to a Telegram account (drops that account's refused claim)"),
        ("release", "remove a handle's claim; the listing stays in the store, unclaimed"),
        ("verify", "mark a self-listed handle as verified"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("--platform", required=True, help="instagram, tiktok, youtube, ...")
        action.add_argument("--handle", required=True, help="the handle, with or without @")
        if name == "assign":
            action.add_argument("--user", required=True, type=int, help="Telegram user id")


def run(engine: Engine, args: argparse.Namespace) -> int:
    from models.db import session_scope

    with session_scope(engine) as session:
        if args.claims_command == "list":
            return _list(session)
        platform, handle = _key(args.platform, args.handle)
        if args.claims_command == "assign":
            return _assign(session, platform, handle, args.user)
        if args.claims_command == "release":
            return _release(session, platform, handle)
        return _verify(session, platform, handle)


def _key(platform_text: str, handle_text: str) -> tuple[str, str]:
    from bot.influencers.listing import ListingError, read_handle
    from bot.language.platforms import parse_platform

    platform = parse_platform(platform_text)
    if platform is None:
        raise Refused(
            f"unknown platform {platform_text!r}; use instagram, tiktok, youtube, facebook or x"
        )
    try:
        return platform.value, read_handle(handle_text, platform)
    except ListingError as exc:
        raise Refused(f"not a handle: {handle_text!r}") from exc


def _list(session: Session) -> int:
    from models import listings

    claims = listings.all_claims(session)
    requests = listings.all_requests(session)
    if not claims and not requests:
        print("No claimed handles and no refused claims.")
        return EXIT_OK
    for claim, row in claims:
        if row is None:
            state = "no listing"
        elif row.verified_at is not None:
            state = f"verified {row.verified_at:%Y-%m-%d}"
        else:
            state = "unverified" if row.source == "self" else f"source {row.source}"
        print(f"{claim.platform}\t@{claim.handle}\tuser {claim.user_id}\t{state}")
    if requests:
        print(f"\nRefused claims waiting ({len(requests)}):")
        for request in requests:
            print(
                f"{request.platform}\t@{request.handle}\tuser {request.user_id}\t"
                f"since {request.created_at:%Y-%m-%d %H:%M} UTC"
            )
    return EXIT_OK


def _assign(session: Session, platform: str, handle: str, user_id: int) -> int:
    from models import listings
    from models.influencers import InfluencerClaim

    if not 0 < user_id < 2**63:
        raise Refused(f"not a Telegram user id: {user_id}")
    claim = listings.claim_of(session, platform=platform, handle=handle)
    previous = claim.user_id if claim else None
    if claim is None:
        row = listings.global_row(session, platform=platform, handle=handle)
        claim = InfluencerClaim(
            platform=platform,
            handle=handle,
            user_id=user_id,
            chat_id=user_id,
            influencer_id=row.id if row else None,
        )
    claim.user_id = user_id
    claim.chat_id = user_id  # a private chat's id is its user's id
    session.add(claim)
    dropped = listings.drop_requests(session, platform=platform, handle=handle, user_id=user_id)
    session.flush()
    before = f" (was user {previous})" if previous not in (None, user_id) else ""
    print(f"{platform} @{handle} now belongs to user {user_id}{before}.")
    if dropped:
        print("Their refused claim of it was removed.")
    return EXIT_OK


def _release(session: Session, platform: str, handle: str) -> int:
    from models import listings

    claim = listings.claim_of(session, platform=platform, handle=handle)
    if claim is None:
        raise Refused(f"{platform} @{handle} is not claimed")
    session.delete(claim)
    session.flush()
    print(f"{platform} @{handle} released (was user {claim.user_id}); the listing stays.")
    return EXIT_OK


def _verify(session: Session, platform: str, handle: str) -> int:
    from models import listings
    from models.base import utcnow

    row = listings.global_row(session, platform=platform, handle=handle)
    if row is None:
        raise Refused(f"{platform} @{handle} is not in the store")
    row.verified_at = utcnow()
    session.add(row)
    session.flush()
    print(f"{platform} @{handle} verified.")
    return EXIT_OK
