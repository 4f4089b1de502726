"""The campaign's brief for influencers: set, shown in the offer, too long refused, cleared."""

from __future__ import annotations

from sqlalchemy import Engine

from bot.chat import router
from models.campaigns import Campaign
from models.db import session_scope
from tests.db.chat import button, call, texts
from tests.db.test_invites import OWNER, RINA, STRANGER, _campaign_with_two, _invite


def _brief(db: Engine, cid: int) -> str:
    with session_scope(db) as session:
        campaign = session.get(Campaign, cid)
        assert campaign is not None
        return campaign.brief


def test_brief_set_shown_in_the_offer_refused_when_long_and_cleared(db: Engine) -> None:
    cid = _campaign_with_two(db)
    detail = call(db, router.button, OWNER, f"campaign.detail:{cid}")
    assert "Belum ada brief" in texts(detail)
    menu = call(db, router.button, OWNER, f"campaign.edit:{cid}")
    ask = call(db, router.button, OWNER, button(menu, "Brief"))
    assert "brief" in texts(ask).lower()

    too_long = "Tampilkan sambalnya. " * 40
    out = call(db, router.text_message, OWNER, too_long)
    assert "kepanjangan" in texts(out) and _brief(db, cid) == ""
    out = call(
        db,
        router.text_message,
        OWNER,
        "  Tampilkan sambal dicocol <b>gorengan</b>,\n\n  sebut 'pedasnya nagih'. ",
    )
    assert _brief(db, cid) == "Tampilkan sambal dicocol <b>gorengan</b>,\nsebut 'pedasnya nagih'."
    assert "&lt;b&gt;gorengan" in texts(out)  # shown escaped in the campaign view

    offer = call(db, router.start, RINA, _invite(db, cid, "dapur_rina"))
    assert "Brief: Tampilkan sambal dicocol &lt;b&gt;gorengan&lt;/b&gt;" in texts(offer)

    # only the campaign's manager can change it
    refused = call(db, router.button, STRANGER, f"campaign.edit_brief:{cid}")
    assert refused.toast and not refused.replies

    call(db, router.button, OWNER, f"campaign.edit_brief:{cid}")
    call(db, router.text_message, OWNER, "hapus")
    assert _brief(db, cid) == ""
