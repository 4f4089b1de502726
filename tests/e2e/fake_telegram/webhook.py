"""Webhook mode: setWebhook and friends, and the loop that POSTs each update to the bot (per
chat in order, at most max_connections at a time, retrying failures with a short backoff)."""

from __future__ import annotations

import contextlib
import copy
import http.client
import json
import re
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .records import (
    WebhookDelivery,
    _Pending,
)
from .updates import UpdateQueue
from .wire import (
    _bad_request,
)

if TYPE_CHECKING:
    from .server import _Handler


class Webhooks(UpdateQueue):
    """Delivery of the update queue by POSTs instead of getUpdates."""

    def _m_set_webhook(self, params: dict[str, Any], files: dict[str, Any], req: _Handler) -> bool:
        url = params.get("url", "")
        if not isinstance(url, str):
            raise _bad_request("bad webhook: invalid URL")
        with self._cond:
            if not url:
                self._webhook = {}
                return True
            if not url.startswith(("http://", "https://")):
                raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
            self._check_webhook_params(params)
            self._webhook = {k: v for k, v in params.items() if k != "certificate"}
            self._webhook_error = None
            for pending in self._pending:  # a new webhook is tried at once
                pending.not_before = 0.0
            if params.get("drop_pending_updates"):
                self._pending.clear()
            if "allowed_updates" in params:
                self._allowed_updates = list(params["allowed_updates"] or [])
            self._cond.notify_all()
        return True

    def _m_delete_webhook(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> bool:
        with self._cond:
            self._webhook = {}
            if params.get("drop_pending_updates"):
                for pending in self._pending:
                    self._confirmed_ids.add(pending.update_id)
                self._pending.clear()
            self._cond.notify_all()
        return True

    @property
    def webhook(self) -> dict[str, Any]:
        """Parameters of the last setWebhook ({} when none is set)."""
        with self._lock:
            return dict(self._webhook)

    def _m_get_webhook_info(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        with self._lock:
            info: dict[str, Any] = {
                "url": self._webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(self._pending),
            }
            if self._webhook.get("url"):
                info["max_connections"] = self._webhook.get("max_connections") or 40
            if self._webhook_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_error
            if self._allowed_updates:
                info["allowed_updates"] = list(self._allowed_updates)
            return info

    @staticmethod
    def _check_webhook_params(params: dict[str, Any]) -> None:
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _bad_request("secret token contains unallowed characters")
        connections = params.get("max_connections")
        if connections is not None and not (
            isinstance(connections, int) and 1 <= connections <= 100
        ):
            raise _bad_request("bad webhook: max_connections must be between 1 and 100")

    def wait_webhook(self, timeout: float = 10.0, since: int = 0, url: str | None = None) -> None:
        """Wait until the bot set a webhook (after mark ``since``; to ``url`` if given)."""
        self._wait_until(
            lambda: any(
                c.method == "setWebhook"
                and c.seq > since
                and c.status == 200
                and (url is None or c.params.get("url") == url)
                for c in self._call_log
            ),
            timeout,
            lambda: f"the bot never set the webhook{f' to {url}' if url else ''}",
        )

    def balance_between(self, urls: Iterable[str] | None) -> None:
        """Deliver webhook updates round-robin to ``urls`` (a reverse proxy in front of several
        bot processes), whatever URL the bots registered; None or [] delivers to that URL."""
        with self._cond:
            self._balance = list(urls or [])
            self._balance_next = 0
            self._cond.notify_all()

    def deliveries(self, update_id: int | None = None) -> list[WebhookDelivery]:
        """Every webhook POST so far (optionally of one update), oldest first, as copies."""
        with self._lock:
            return [
                copy.deepcopy(d)
                for d in self._deliveries
                if update_id is None or d.update_id == update_id
            ]

    def wait_webhook_pass(self, timeout: float = 10.0) -> None:
        """Wait until the delivery loop has looked at every pending update once more.

        Afterwards any update the loop was going to POST now is in ``deliveries()``, so a test
        can assert that one was held back (per-chat order, max_connections) without sleeping.
        """
        with self._cond:
            target = self._webhook_passes + 1  # the loop holds the lock for a whole pass
            self._pass_waiters += 1
            self._cond.notify_all()  # rather than waiting out the loop's sleep
            try:
                self._wait_until(
                    lambda: self._webhook_passes >= target,
                    timeout,
                    lambda: "the webhook delivery loop made no pass",
                )
            finally:
                self._pass_waiters -= 1

    def _webhook_loop(self) -> None:
        """Start every delivery that may go now; sleep until something changes."""
        with self._cond:
            while not self._stopping.is_set():
                sleep = self._start_deliveries()
                self._webhook_passes += 1
                if self._pass_waiters:
                    self._cond.notify_all()
                self._cond.wait(sleep)

    def _start_deliveries(self) -> float:
        """Per chat only the oldest unconfirmed update may be in flight (Telegram's order);
        returns the longest the loop may sleep."""
        url = self._webhook.get("url")
        if not url:
            return 0.5
        limit = int(self._webhook.get("max_connections") or 40)
        sending = sum(1 for p in self._pending if p.sending)
        taken = {self._order_key(p) for p in self._pending if p.sending}
        now = time.monotonic()
        sleep = 0.5
        for pending in self._deliverable(max(1, len(self._pending))):
            key = self._order_key(pending)
            if key in taken:
                continue
            taken.add(key)  # later updates of this chat wait for this one
            if pending.not_before > now:
                sleep = min(sleep, pending.not_before - now)
                continue
            if sending >= limit:
                break
            sending += 1
            pending.sending = True
            target = (
                self._balance[self._balance_next % len(self._balance)] if self._balance else url
            )
            self._balance_next += 1
            delivery = WebhookDelivery(
                update_id=pending.update_id,
                chat_id=self._update_chat_id(pending.update),
                url=target,
                started=time.monotonic(),
            )
            self._deliveries.append(delivery)
            self._touch(delivery.chat_id)
            threading.Thread(
                target=self._deliver,
                args=(pending, delivery, self._webhook.get("secret_token")),
                name=f"FakeTelegram:webhook:{pending.update_id}",
                daemon=True,
            ).start()
        return max(sleep, 0.01)

    def _order_key(self, pending: _Pending) -> tuple[str, int]:
        chat_id = self._update_chat_id(pending.update)
        return ("chat", chat_id) if chat_id is not None else ("update", pending.update_id)

    def _deliver(self, pending: _Pending, delivery: WebhookDelivery, secret: str | None) -> None:
        """POST one update (no lock held while waiting for the bot), then record the answer."""
        with self._lock:
            body = json.dumps(pending.update, ensure_ascii=False).encode("utf-8")
        status, error = self._post_update(delivery.url, body, secret)
        with self._cond:
            delivery.finished = time.monotonic()
            delivery.status, delivery.error = status, error
            pending.sending = False
            if status is not None:
                self._delivered_ids.add(pending.update_id)
            if delivery.ok:
                with contextlib.suppress(ValueError):
                    self._pending.remove(pending)
                self._confirmed_ids.add(pending.update_id)
            else:
                pending.attempts += 1
                pending.not_before = time.monotonic() + min(0.05 * 2 ** (pending.attempts - 1), 2.0)
                self._webhook_error = (int(time.time()), error or "Unknown error")
            self._touch(delivery.chat_id)
            self._cond.notify_all()

    def _post_update(
        self, url: str, body: bytes, secret: str | None
    ) -> tuple[int | None, str | None]:
        """(HTTP status or None, Telegram-style error text or None)."""
        parts = urlsplit(url)
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        headers = {"Content-Type": "application/json"}
        if secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection = connection_class(
            parts.hostname or "", parts.port, timeout=self.webhook_timeout
        )
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except TimeoutError:
            return None, "Read timeout expired"
        except ConnectionRefusedError:
            return None, "Connection refused"
        except (OSError, http.client.HTTPException) as exc:
            return None, f"Connection error: {exc!r}"
        finally:
            connection.close()
        if 200 <= response.status < 300:
            return response.status, None
        return (
            response.status,
            f"Wrong response from the webhook: {response.status} {response.reason}",
        )
