"""Telegram doors into the conversation: commands, free text and buttons (logic in bot/)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import advisor, router
from handlers.common import deliver, person_of, run


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update):
        await deliver(update, context, await run(context, advisor.start, person))


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update):
        await deliver(update, context, await run(context, advisor.cancel, person))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update):
        await deliver(update, context, await run(context, advisor.help_text, person))


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update):
        await deliver(update, context, await run(context, advisor.privacy, person))


async def delete_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update):
        await deliver(update, context, await run(context, advisor.request_deletion, person))


async def saved(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update):
        await deliver(update, context, await run(context, advisor.saved_list, person))


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    person = person_of(update)
    if person and update.effective_message and update.effective_message.text is not None:
        outcome = await run(context, router.text_message, person, update.effective_message.text)
        await deliver(update, context, outcome)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update):
        await deliver(update, context, await run(context, advisor.unknown_command, person))


async def other_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update):
        await deliver(update, context, await run(context, advisor.not_text, person))


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    person = person_of(update)
    if query is None:
        return
    if person is None:
        await query.answer()
        return
    await deliver(update, context, await run(context, router.button, person, query.data))


async def campaigns(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update):
        await deliver(update, context, await run(context, router.campaigns_command, person))


async def report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if person := person_of(update):
        await deliver(update, context, await run(context, router.report_command, person))
