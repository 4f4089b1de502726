"""The HTTP front: a threading server on 127.0.0.1, routing of /bot<token>/<method> and
/file/bot<token>/<path>, and the dispatch that records each call and shapes its answer."""

from __future__ import annotations

import contextlib
import json
import select
import socket
import socketserver
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .faults import Faults
from .records import (
    ApiCall,
)
from .wire import (
    _Abandoned,
    _ApiError,
    _bad_request,
    _coerce_params,
    _parse_multipart,
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    fake: HttpFront

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls getfqdn(), which can stall on a box without DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.fake._register_connection(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._register_connection(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request stderr log; calls are recorded on the FakeTelegram."""

    def do_GET(self) -> None:
        self.server.fake._handle_http(self)

    def do_POST(self) -> None:
        self.server.fake._handle_http(self)

    def read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(data)
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send_bytes(self, status: int, body: bytes, content_type: str) -> None:
        # One write for head and body: two small writes hit Nagle + delayed ACK (~40 ms each).
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            # send_header collects the head in this (undeclared) list until end_headers
            head: list[bytes] = vars(self)["_headers_buffer"]
            self.wfile.write(b"".join(head) + b"\r\n" + body)
            head.clear()
            self.wfile.flush()
        except OSError:
            self.close_connection = True


def _client_gone(sock: socket.socket) -> bool:
    """True when the peer closed the connection (readable with EOF while a request is open)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return False
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


class HttpFront(Faults):
    """Turns HTTP requests into recorded API calls and Bot API JSON answers."""

    def _register_connection(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def _handle_http(self, req: _Handler) -> None:
        split = urlsplit(req.path)
        path = unquote(split.path)
        try:
            body = req.read_body()
        except (OSError, ValueError):
            req.close_connection = True
            return
        if self._stopping.is_set():
            req.close_connection = True
            self._send_json(req, 503, {"ok": False, "error_code": 503, "description": "Stopping"})
            return
        if path.startswith("/file/bot"):
            self._serve_file(req, path[len("/file/bot") :])
            return
        if not path.startswith("/bot"):
            self._send_json(req, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        token, _, method_name = path[len("/bot") :].partition("/")
        method_name = method_name.strip("/")
        self._dispatch(req, token, method_name, split.query, body)

    @staticmethod
    def _send_json(req: _Handler, status: int, payload: dict[str, Any]) -> None:
        req.send_bytes(
            status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json"
        )

    def _serve_file(self, req: _Handler, rest: str) -> None:
        token, _, file_path = rest.partition("/")
        if token != self.token:
            self._send_json(
                req, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            )
            return
        with self._lock:
            entry = self._files_by_path.get(file_path)
            self.downloads.append(file_path)
        if entry is None:
            self._send_json(req, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        req.send_bytes(200, entry.content, "application/octet-stream")

    def _parse_request(
        self, req: _Handler, query: str, body: bytes
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        raw: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
        files: dict[str, Any] = {}
        content_type = req.headers.get("Content-Type", "")
        mime = content_type.split(";", 1)[0].strip().lower()
        if body:
            if mime == "application/json":
                try:
                    decoded = json.loads(body)
                except ValueError:
                    raise _bad_request("can't parse JSON request body") from None
                if not isinstance(decoded, dict):
                    raise _bad_request("JSON request body must be an object")
                raw.update(decoded)
            elif mime == "multipart/form-data":
                fields, files = _parse_multipart(body, content_type)
                raw.update(fields)
            else:
                raw.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        return _coerce_params(raw), files

    def _dispatch(
        self, req: _Handler, token: str, method_name: str, query: str, body: bytes
    ) -> None:
        entry = self._methods.get(method_name.lower())
        method = entry[0] if entry else method_name
        files: dict[str, Any] = {}
        params: dict[str, Any] = {}
        parse_error: _ApiError | None = None
        try:
            params, files = self._parse_request(req, query, body)
        except _ApiError as exc:
            parse_error = exc
        chat_id = params.get("chat_id") if isinstance(params.get("chat_id"), int) else None
        if method == "answerCallbackQuery":
            with self._lock:
                chat_id = (self._queries.get(str(params.get("callback_query_id"))) or {}).get(
                    "chat_id"
                )
        with self._cond:
            call = ApiCall(
                seq=self._next_seq(),
                method=method,
                params=params,
                files={
                    name: (f.filename, len(f.content), f.content_type) for name, f in files.items()
                },
                chat_id=chat_id,
                started=time.monotonic(),
            )
            self._call_log.append(call)
            is_poll = method == "getUpdates"
            if not is_poll:
                for key in {None, chat_id}:
                    self._inflight[key] = self._inflight.get(key, 0) + 1
                self._touch(chat_id)
            self._cond.notify_all()

        status = 200
        payload: dict[str, Any]
        injected = False
        try:
            if token != self.token:
                raise _ApiError(401, "Unauthorized")
            if entry is None:
                raise _ApiError(404, "Not Found")
            delay = self._take_fault(self._delay_queue, method)
            if delay is not None and self._stopping.wait(delay.seconds):
                raise _Abandoned
            fault = self._take_fault(self._fail_queue, method)
            if fault is not None:
                description = fault.description or self._status_phrase(fault.status)
                retry_after = fault.retry_after
                if fault.status == 429 and retry_after is None:
                    retry_after = 1
                raise _ApiError(fault.status, description, retry_after=retry_after, injected=True)
            if parse_error is not None:
                raise parse_error
            result = entry[1](params, files, req)
            payload = {"ok": True, "result": result}
        except _Abandoned:
            req.close_connection = True
            with self._cond:
                call.status = 0
                call.description = "client went away"
                call.finished = time.monotonic()
                self._finish_call(call, is_poll, chat_id)
            return
        except _ApiError as exc:
            status = exc.code
            injected = exc.injected
            payload = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.retry_after is not None:
                payload["parameters"] = {"retry_after": exc.retry_after}
        except Exception:  # an emulator bug must be loud, not a hung test
            status = 500
            trace = traceback.format_exc()
            payload = {
                "ok": False,
                "error_code": 500,
                "description": "Internal Server Error: fake_telegram crashed; see internal_errors",
            }
            with self._lock:
                self.internal_errors.append(f"{method}: {trace}")

        with self._cond:
            call.status = status
            call.injected = injected
            call.finished = time.monotonic()
            if status != 200:
                call.description = payload["description"]
                self._errors.append((method, status, payload["description"]))
                self._error_details.append(
                    (call.seq, method, status, payload["description"], chat_id, injected)
                )
            self._finish_call(call, is_poll, chat_id)
        if self._stopping.is_set():
            req.close_connection = True
        self._send_json(req, status, payload)

    def _finish_call(self, call: ApiCall, is_poll: bool, chat_id: int | None) -> None:
        if not is_poll:
            for key in {None, chat_id}:
                self._inflight[key] = max(0, self._inflight.get(key, 0) - 1)
            self._touch(chat_id)
        self._cond.notify_all()

    @staticmethod
    def _status_phrase(status: int) -> str:
        try:
            return HTTPStatus(status).phrase
        except ValueError:
            return "Error"
