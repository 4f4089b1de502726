"""Telegram doors into the conversation: commands, free text and buttons (logic in bot/)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.advisor import conversation as advisor
from bot.advisor import saved as saved_recommendations
from bot.agencies import chat as agency_chat
from bot.campaigns.uploads import MAX_CSV_BYTES
from bot.chat import help as chat_help
from bot.chat import router
from bot.chat.replies import Outcome, Reply
from bot.chat.texts import render
from bot.privacy import chat as privacy_chat
from handlers import uploads
from handlers.common import deliver, person_of, run


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update, context):
        payload = context.args[0] if context.args else ""
        await deliver(update, context, await run(context, router.start, person, payload))


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update, context):
        await deliver(update, context, await run(context, advisor.cancel, person))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update, context):
        await deliver(update, context, await run(context, chat_help.help_text, person))


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update, context):
        await deliver(update, context, await run(context, privacy_chat.privacy, person))


async def delete_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update, context):
        await deliver(update, context, await run(context, privacy_chat.request_deletion, person))


async def saved(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update, context):
        await deliver(update, context, await run(context, saved_recommendations.saved_list, person))


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    person = person_of(update, context)
    if person and update.effective_message and update.effective_message.text is not None:
        outcome = await run(context, router.text_message, person, update.effective_message.text)
        await deliver(update, context, outcome)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update, context):
        await deliver(update, context, await run(context, chat_help.unknown_command, person))


async def other_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    person = person_of(update, context)
    message = update.effective_message
    if person is None or message is None:
        return
    if message.photo:
        outcome = await run(
            context, router.photo_message, person, message.caption or "", message.photo[-1].file_id
        )
    else:
        outcome = await run(context, chat_help.not_text, person)
    await deliver(update, context, outcome)


async def broadcast(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update, context):
        await deliver(update, context, await run(context, router.broadcast_command, person))


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    person = person_of(update, context)
    if query is None:
        return
    if person is None:
        await query.answer()
        return
    await deliver(update, context, await run(context, router.button, person, query.data))


async def campaigns(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update, context):
        await deliver(update, context, await run(context, router.campaigns_command, person))


async def report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update, context):
        await deliver(update, context, await run(context, router.report_command, person))


async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update, context):
        await deliver(update, context, await run(context, router.record_command, person))


async def schedule(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update, context):
        await deliver(update, context, await run(context, router.schedule_command, person))


async def listing(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update, context):
        await deliver(update, context, await run(context, router.listing_command, person))


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file in a private chat: CSV performance figures; anything else is explained."""
    person = person_of(update, context)
    message = update.effective_message
    if person is None or message is None or message.document is None:
        return
    doc = message.document
    name = (doc.file_name or "").lower()
    if not (
        name.endswith(".csv")
        or (doc.mime_type or "") in ("text/csv", "text/plain", "application/vnd.ms-excel")
    ):
        await deliver(update, context, Outcome().add(Reply(render("csv_upload", stage="not_csv"))))
        return
    if doc.file_size and doc.file_size > MAX_CSV_BYTES:
        await deliver(
            update,
            context,
            Outcome().add(Reply(render("csv_upload", stage="too_big", limit=MAX_CSV_BYTES))),
        )
        return
    telegram_file = await doc.get_file()
    data = bytes(await telegram_file.download_as_bytearray())
    if uploads.is_influencer_csv(data):
        await uploads.import_influencers(update, context, person, doc.file_name or "file.csv", data)
        return
    await deliver(
        update,
        context,
        await run(context, router.document, person, doc.file_name or "file.csv", data),
    )


async def agency(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update, context):
        await deliver(update, context, await run(context, agency_chat.agency_command, person))


async def mute(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update, context):
        await deliver(
            update, context, await run(context, agency_chat.mute_command, person, muted=True)
        )


async def unmute(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update, context):
        await deliver(
            update, context, await run(context, agency_chat.mute_command, person, muted=False)
        )
