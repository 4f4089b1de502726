"""What one sweep records for one schedule: the newest due period, and the ones it skips.

After an outage only the newest owed summary is sent (marked late past the grace period);
the periods missed in between are recorded as skipped in the same transaction, so a chat
never gets a flood of stale summaries. Pure logic over bot.summaries.periods.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.summaries.periods import (
    ScheduleSpec,
    fire_time,
    first_after,
    first_due,
    latest_key,
    ordinal,
    own_ordinal,
    previous_key,
    require_aware,
)

#: A summary sent later than this after its fire time is marked late.
DEFAULT_GRACE = timedelta(minutes=15)


@dataclass(frozen=True)
class SweepDecision:
    """What one sweep should record for one schedule.

    ``send`` is the key to claim and send (None: nothing due). ``skipped`` are older missed
    keys to record as skipped in the same transaction, so an outage never floods the chat.
    ``covers_from`` (UTC) is where the summary's figures start: the previous sent summary's
    fire time, or the schedule's start, so a late summary covers the whole gap.
    """

    send: str | None
    late: bool = False
    covers_from: datetime | None = None
    skipped: tuple[str, ...] = ()


NOTHING = SweepDecision(send=None)


def decide(
    spec: ScheduleSpec,
    now_utc: datetime,
    *,
    last_key: str | None,
    last_fire: datetime | None,
    since: datetime,
    grace: timedelta = DEFAULT_GRACE,
) -> SweepDecision:
    """Decide what to send now, given what is already recorded for this schedule.

    ``last_key``: the newest key recorded for this schedule in any state (sent, skipped or
    sending), so a period is never claimed twice. ``last_fire``: fire time of the previous
    sent summary (None before the first). ``since``: when the schedule started; periods
    firing before it are never due. A ``last_key`` of another frequency (the owner changed
    the schedule) does not order against this one's keys; it is ignored and ``last_fire``
    alone bounds what is still owed.

    Only the newest due period is sent (late if more than ``grace`` after its fire time);
    every older owed period since the last record is returned as skipped.
    """
    now_utc = require_aware(now_utc, "now_utc")
    since = require_aware(since, "since")
    if last_fire is not None:
        last_fire = require_aware(last_fire, "last_fire")

    latest = latest_key(spec, now_utc)
    latest_ord = ordinal(spec, latest)
    last_ord = None if last_key is None else own_ordinal(spec, last_key)
    if last_ord is not None and latest_ord <= last_ord:
        return NOTHING  # the common case on every tick: cheap and early

    # The oldest period still owed: not before the schedule started, after the last record,
    # and firing after the last sent summary.
    lower = ordinal(spec, first_due(spec, since))
    if last_ord is not None:
        lower = max(lower, last_ord + 1)
    if last_fire is not None:
        lower = max(lower, ordinal(spec, first_after(spec, last_fire)))
    if latest_ord < lower:
        return NOTHING

    skipped: list[str] = []
    key = latest
    for _ in range(latest_ord - lower):
        key = previous_key(spec, key)
        skipped.append(key)
    skipped.reverse()

    return SweepDecision(
        send=latest,
        late=now_utc - fire_time(spec, latest) > grace,
        covers_from=(last_fire if last_fire is not None else since).astimezone(UTC),
        skipped=tuple(skipped),
    )
