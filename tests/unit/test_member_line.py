"""Reading "add an influencer" lines: handle, platform, fee in budget forms, followers."""

from __future__ import annotations

import pytest

from bot.campaigns.access import CampaignError
from bot.campaigns.edits import parse_member_line
from bot.domain import Platform


@pytest.mark.parametrize(
    ("line", "platform", "fee", "followers"),
    [
        ("@kopi_kenangan_mdn instagram Rp1 jt", Platform.INSTAGRAM, 1_000_000, None),
        ("@Kopi.Kita TikTok 1,5jt video 120k followers", Platform.TIKTOK, 1_500_000, 120_000),
        ("@ab youtube Rp 2.500.000 subscriber: 300.000", Platform.YOUTUBE, 2_500_000, 300_000),
        ("@ab fb 500rb 5.000 pengikut https://fb.com/x", Platform.FACEBOOK, 500_000, 5_000),
        ("@ab ig pengikut 12rb 750rb", Platform.INSTAGRAM, 750_000, 12_000),
        ("@ab ig fee Rp 750.000 followers 12.000", Platform.INSTAGRAM, 750_000, 12_000),
        ("@ab ig 750rb 12,5 rb pengikut", Platform.INSTAGRAM, 750_000, 12_500),
        ("@ab 750rb", None, 750_000, None),
    ],
)
def test_member_lines(
    line: str, platform: Platform | None, fee: int, followers: int | None
) -> None:
    parsed = parse_member_line(line)
    assert (parsed.platform, parsed.fee, parsed.followers) == (platform, fee, followers)
    assert parsed.handle == line.split()[0][1:].lower()


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("kopi ig 750rb", "no_handle"),
        ("@ ig 750rb", "no_handle"),
        ("@ab ig 750rb banyak pengikut", "followers_unreadable"),
        ("@ab ig 750rb -12rb pengikut", "followers_unreadable"),
        ("@ab ig 750rb 1jt", "fee_unreadable"),
    ],
)
def test_member_lines_refused(line: str, code: str) -> None:
    with pytest.raises(CampaignError) as refused:
        parse_member_line(line)
    assert refused.value.code == code
