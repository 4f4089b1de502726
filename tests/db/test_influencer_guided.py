"""An influencer's figures one question at a time: their own offer only, nothing half-written."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot.chat import router
from bot.reports.kpi.figures import FIGURE_FIELDS
from models.campaigns import Campaign
from models.db import session_scope
from tests.db.chat import button, call, texts
from tests.db.test_invites import (
    JAJAN,
    OWNER,
    RINA,
    STRANGER,
    _accepted,
    _campaign_with_two,
    _invite,
    _offers,
    _snapshots,
)


def test_guided_report_from_the_accept_message_reaches_the_owner(db: Engine) -> None:
    cid = _campaign_with_two(db)
    out = call(db, router.start, RINA, _invite(db, cid, "dapur_rina"))
    out = call(db, router.button, RINA, button(out, "Terima"))
    start = button(out, "langkah demi langkah")

    out = call(db, router.button, RINA, start)
    assert "(1/" in texts(out) and "@dapur_rina" in texts(out)
    out = call(db, router.text_message, RINA, "12rb")  # the first question's figure
    out = call(db, router.text_message, RINA, "banyak bgt")  # unreadable: asked again
    assert "belum bisa saya baca" in texts(out) and "(2/" in texts(out)
    out = call(db, router.text_message, RINA, "-3")
    assert "negatif" in texts(out)
    out = call(db, router.text_message, RINA, "gatau kak")  # typed instead of Lewati
    assert "(3/" in texts(out) and "belum bisa saya baca" not in texts(out)
    # skip everything else, then send
    for _ in range(len(FIGURE_FIELDS) - 2):
        skip = button(out, "Lewati")
        out = call(db, router.button, RINA, skip)
    assert "Kirim ke pemilik usaha?" in texts(out)
    assert _snapshots(db) == []  # nothing written before Kirim
    out = call(db, router.button, RINA, button(out, "Kirim"))
    assert "sudah tercatat" in texts(out)
    notice = [r.text for r in out.replies if r.chat_id == OWNER.chat_id]
    assert notice and "melaporkan angka" in notice[0]
    assert len(_snapshots(db)) == 1
    source, reporter, _ = _snapshots(db)[0]
    assert (source, reporter) == ("influencer", RINA.id)

    out = call(db, router.report_command, OWNER)
    assert "dilaporkan influencer" in texts(out)
    out = call(db, router.button, OWNER, f"campaign.report_csv:{cid}")
    document = out.replies[0].document
    assert document is not None
    rows = [line.split(";") for line in document.content.decode("utf-8-sig").splitlines()]
    source = rows[0].index("Sumber angka")
    by_account = {row[1]: row[source] for row in rows[1:] if row[0] == "Influencer"}
    # the influencer's own report is labelled; an account with no figures has no source
    assert by_account == {"@dapur_rina": "dilaporkan influencer", "@jajan_bdg": ""}


def test_guided_buttons_refuse_everyone_but_the_bound_influencer(db: Engine) -> None:
    _accepted(db)
    out = call(db, router.record_command, RINA)  # /catat from an influencer: their offer
    assert "(1/" in texts(out)
    skip = button(out, "Lewati")
    for other in (OWNER, STRANGER, JAJAN):
        refused = call(db, router.button, other, skip)
        assert refused.toast and not refused.replies
    forged = skip.replace("skip", "start")
    refused = call(db, router.button, STRANGER, forged)
    assert refused.toast and not refused.replies
    out = call(db, router.button, RINA, button(out, "Batal"))
    assert "dibatalkan" in texts(out)
    assert _snapshots(db) == []


def test_guided_report_ends_when_the_owner_revokes_midway(db: Engine) -> None:
    cid = _accepted(db)
    offer_id = _offers(db)[0].id
    out = call(db, router.button, RINA, f"ireport.start:{offer_id}")
    assert "(1/" in texts(out)
    call(db, router.text_message, RINA, "5000")
    picker = call(db, router.button, OWNER, f"offer.pick:{cid}")
    member_view = call(db, router.button, OWNER, button(picker, "dapur_rina"))
    assert call(db, router.button, OWNER, button(member_view, "Cabut")).replies
    out = call(db, router.text_message, RINA, "300")
    assert "dicabut" in texts(out)
    assert _snapshots(db) == []
    # the form is gone: the next text is not read as a figure
    out = call(db, router.text_message, RINA, "400")
    assert "(3/" not in texts(out)


def test_catat_from_an_owner_stays_the_owners(db: Engine) -> None:
    _accepted(db)
    out = call(db, router.record_command, OWNER)
    assert "ireport." not in str([b.data for r in out.replies for row in r.buttons for b in row])


# The influencer role against the owner's campaign: an accepted influencer reaches their offer
# and their own figures, never the campaign itself (its view, report, CSV, edits or the owners'
# capture).
CAMPAIGN_BUTTONS = (
    "campaign.detail",
    "campaign.report",
    "campaign.report_csv",
    "campaign.edit",
    "campaign.edit_brief",
    "campaign.edit_budget",
    "campaign.add_member",
    "campaign.remove",
    "campaign.end",
    "campaign.end_yes",
    "campaign.delete_yes",
    "record.campaign",
    "schedule.menu",
)


@pytest.mark.parametrize("data", CAMPAIGN_BUTTONS)
def test_an_accepted_influencer_cannot_reach_the_owners_campaign(db: Engine, data: str) -> None:
    cid = _accepted(db)
    before = _campaign_row(db, cid)
    out = call(db, router.button, RINA, f"{data}:{cid}")
    assert out.toast and not out.replies, (data, out)
    assert _campaign_row(db, cid) == before


def _campaign_row(db: Engine, cid: int) -> tuple[object, ...]:
    with session_scope(db) as session:
        c = session.get(Campaign, cid)
        assert c is not None
        return (c.name, c.budget_idr, c.status, c.brief, c.start_date, c.end_date)


def test_a_summary_says_whose_figures_the_influencer_sent(db: Engine) -> None:
    from bot.summaries.sweeper import Claim, draft_summary
    from models.base import utcnow

    cid = _accepted(db)
    call(db, router.text_message, RINA, "reach 12.000 like 800 komen 45")
    with session_scope(db) as session:
        claim = Claim(
            run_id=0,
            campaign_id=cid,
            chat_id=OWNER.chat_id,
            period_key="D2026-12-07",
            late=False,
            covers_from=None,
        )
        text = draft_summary(session, claim, now=utcnow(), default_timezone="Asia/Jakarta").text
    assert "📥 Angka @dapur_rina <i>dilaporkan influencer</i>." in text
    assert "jajan_bdg" not in text.split("📥")[1]
