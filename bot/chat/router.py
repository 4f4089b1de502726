"""Routes each message or button to the feature that owns it.

Free text goes to the open form's step if there is one, else to a performance line or a post
link, else to the advisor; buttons go through the kernel's tables.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, col

from bot.advisor import actions as rec_actions
from bot.advisor import conversation as advisor
from bot.advisor import saved
from bot.agencies import broadcasts
from bot.agencies import chat as agency_chat
from bot.campaigns import capture, guided_capture, uploads, views
from bot.campaigns import chat as campaign_chat
from bot.chat.help import not_text
from bot.chat.kernel import Kernel
from bot.chat.person import Person
from bot.chat.replies import Outcome
from bot.influencers import chat as influencer_chat
from bot.influencers import guided as influencer_guided
from bot.influencers import listing_chat
from bot.influencers.figures import influencer_photo, influencer_text
from bot.influencers.offers import is_invite_payload
from bot.language.performance_line import looks_like_performance_line
from bot.privacy import chat as privacy_chat
from bot.summaries import schedules
from models.agencies import BlockedChat
from models.conversations import load_conversation

#: Every feature's table of buttons and form steps, in one place.
KERNEL = Kernel(
    [
        advisor.FEATURE,
        rec_actions.FEATURE,
        saved.FEATURE,
        privacy_chat.FEATURE,
        agency_chat.FEATURE,
        broadcasts.FEATURE,
        campaign_chat.FEATURE,
        schedules.FEATURE,
        guided_capture.FEATURE,
        capture.FEATURE,
        uploads.FEATURE,
        influencer_chat.FEATURE,
        influencer_guided.FEATURE,
        listing_chat.FEATURE,
    ]
)


def text_message(session: Session, person: Person, text: str) -> Outcome:
    """The advisor reads whatever no form and no pattern claimed."""
    text = text.replace("\x00", "")  # meaningless in a chat, and PostgreSQL cannot store it
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    form = KERNEL.flow_text(conv.step)
    if form is not None:
        return form(session, person, text)
    reported = influencer_text(session, person, text)
    if reported is not None:
        return reported
    if looks_like_performance_line(text):
        return capture.capture_line(session, person, text)
    if capture.is_post_link(text):
        return capture.set_post_link(session, person, text)
    return advisor.text_message(session, person, text)


def button(session: Session, person: Person, data: str | None) -> Outcome:
    return KERNEL.press(session, person, data)


def campaigns_command(session: Session, person: Person) -> Outcome:
    return views.campaign_list(session, person)


def report_command(session: Session, person: Person) -> Outcome:
    return views.report_command(session, person)


def record_command(session: Session, person: Person) -> Outcome:
    """/catat: the owner's campaigns; an influencer without campaigns reports for their offers."""
    if not guided_capture.has_active_campaigns(session, person):
        reporting = influencer_guided.start_command(session, person)
        if reporting is not None:
            return reporting
    return guided_capture.start(session, person)


def schedule_command(session: Session, person: Person) -> Outcome:
    return schedules.schedule_command(session, person)


def listing_command(session: Session, person: Person) -> Outcome:
    """/daftar: an influencer lists their accounts (or sees and changes them)."""
    return listing_chat.command(session, person)


def document(session: Session, person: Person, filename: str, data: bytes) -> Outcome:
    """A CSV: the open form's file if it takes one (a client list), else performance figures."""
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    form = KERNEL.document_steps.get(conv.step)
    if form is not None:
        return form(session, person, filename, data)
    return uploads.document(session, person, filename, data)


def start(session: Session, person: Person, payload: str = "") -> Outcome:
    """/start, /mulai; /start <code> from an invite link joins an agency, /start inv_<token>
    opens an influencer's offer."""
    # A chat that blocked the bot and comes back may receive broadcasts again.
    session.execute(delete(BlockedChat).where(col(BlockedChat.chat_id) == person.chat_id))
    if is_invite_payload(payload.strip()):
        return influencer_chat.start_with_invite(session, person, payload.strip()[:64])
    if payload:
        return agency_chat.start_with_code(session, person, payload.strip()[:40])
    welcome = advisor.start(session, person)
    mine = influencer_chat.my_offers_reply(session, person)
    if mine is not None:  # an influencer back in the chat: their offers before the advisor
        welcome.replies.insert(0, mine)
    return welcome


def broadcast_command(session: Session, person: Person) -> Outcome:
    return broadcasts.command(session, person)


def photo_message(session: Session, person: Person, caption: str, file_id: str) -> Outcome:
    """A photo: part of a broadcast being composed, or an influencer's screenshot as proof;
    otherwise not something the bot reads."""
    caption = caption.replace("\x00", "")
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    form = KERNEL.photo_steps.get(conv.step)
    if form is not None:
        return form(session, person, caption, file_id)
    proof = influencer_photo(session, person, caption, file_id)
    if proof is not None:
        return proof
    return not_text(session, person)
