"""Local emulation of the Telegram Bot API for end-to-end tests.

The bot under test can never reach Telegram, so this package runs a small HTTP server on
127.0.0.1 that answers the Bot API methods the bot uses, with Telegram's URL shapes, response
envelopes, error codes and (deliberately strict) validation. A bot bug that real Telegram would
reject - broken HTML, an over-long message, oversized callback data, an edit that changes
nothing - therefore fails the test instead of passing silently.

Tests drive it synchronously: they act as users (``send_text``, ``press_button``,
``send_document``), then wait for and inspect what the bot did (``mark``/``wait_for``,
``messages``, ``callback_answers``, ``calls``, ``errors_returned``).

Point the bot at it with PTB's ``base_url=fake.base_url`` and
``base_file_url=fake.file_base_url`` (PTB appends the token itself).

Typical flow::

    with FakeTelegram() as fake:
        start_bot(TELEGRAM_API_BASE_URL=fake.base_url, TELEGRAM_API_FILE_URL=fake.file_base_url)
        fake.wait_polling()             # updates queued earlier die with drop_pending_updates
        m = fake.mark()
        fake.send_text(1001, "/start")
        reply = fake.wait_for(1001, since=m, predicate="Halo")
        fake.press_button(1001, "Mikro")
        fake.assert_no_errors()

Messages returned by ``messages``/``wait_for`` are snapshots (copies); re-read to see later
edits. A callback query can be answered once (a second answer gets Telegram's "query is too
old" 400) unless the test redelivered its update.

Deliberate differences from real Telegram (to catch bugs earlier, or to keep tests fast):

* a bare ``&`` that does not start an entity is a parse error (Telegram's docs demand
  escaping it, the real server tolerates it); pass ``strict_ampersand=False`` to relax;
* ``parse_mode`` MarkdownV2/Markdown is rejected with 400 (the bot is expected to use HTML);
* webhooks may be plain ``http://`` (Telegram demands HTTPS on ports 443/80/88/8443), and
  failed deliveries are retried after a short backoff (0.05 s doubling to 2 s) rather than
  Telegram's minutes.

Webhook mode works like Telegram's: while a webhook is set, ``getUpdates`` answers 409 and a
delivery thread POSTs each update as JSON to the webhook URL (with the
``X-Telegram-Bot-Api-Secret-Token`` header when a secret was set), at most ``max_connections``
at a time, one at a time per chat (the next update of a chat waits until the previous one got
a 2xx), retrying non-2xx answers and connection errors. ``wait_delivered`` then means "the
bot's server answered", ``wait_confirmed`` "it answered 2xx"; ``wait_webhook`` is the
counterpart of ``wait_polling``, ``deliveries`` lists every attempt, and
``balance_between([url1, url2])`` plays a reverse proxy that spreads deliveries round-robin
over several bot processes whatever URL they registered.

To assert that something did *not* happen, wait for a positive event that must come after it
instead of sleeping: ``events(chat, since=..., until=...)`` reads the log up to that event,
``wait_until`` waits for any condition, and ``wait_webhook_pass`` waits until the webhook
loop has looked at every pending update once more (an update it was going to POST now shows
in ``deliveries``).

One module per concern; ``FakeTelegram`` (emulator.py) composes them as mixins over one
state (state.py): the HTTP front and dispatch (server.py, wire.py), the update queue and
getUpdates (updates.py), webhook delivery (webhook.py), acting as users (users.py), chats and
the bot's messages (chats.py, messages.py, content.py, telegram_html.py), files (files.py),
flood control and injected faults (faults.py), the bot's own settings (bot_settings.py), and
what tests read and wait on (observe.py, transcript.py, records.py).
"""

from .emulator import FakeTelegram
from .faults import RATE_LIMITED_METHODS
from .records import (
    ApiCall,
    Button,
    FakeUser,
    MessageEvent,
    SentDocument,
    SentMessage,
    WebhookDelivery,
)
from .telegram_html import HtmlParseError, parse_html, utf16_len

__all__ = [
    "RATE_LIMITED_METHODS",
    "ApiCall",
    "Button",
    "FakeTelegram",
    "FakeUser",
    "HtmlParseError",
    "MessageEvent",
    "SentDocument",
    "SentMessage",
    "WebhookDelivery",
    "parse_html",
    "utf16_len",
]
