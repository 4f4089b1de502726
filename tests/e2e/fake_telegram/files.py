"""Files: uploads by the bot and by users, getFile, and just enough image decoding to reject
a photo that is not one and to report its size."""

from __future__ import annotations

import mimetypes
import secrets
from typing import TYPE_CHECKING, Any

from .records import (
    _FileEntry,
)
from .state import EmulatorState
from .wire import (
    _bad_request,
    _UploadedFile,
)

if TYPE_CHECKING:
    from .server import _Handler


def _image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) for PNG/JPEG/GIF/WEBP/BMP data, or None if it is not an image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    if data.startswith(b"BM") and len(data) >= 26:
        return int.from_bytes(data[18:22], "little"), abs(
            int.from_bytes(data[22:26], "little", signed=True)
        )
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return 1, 1
    if data.startswith(b"\xff\xd8"):
        pos = 2
        while pos + 9 < len(data):
            if data[pos] != 0xFF:
                pos += 1
                continue
            marker = data[pos + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                pos += 2
                continue
            seg_len = int.from_bytes(data[pos + 2 : pos + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height = int.from_bytes(data[pos + 5 : pos + 7], "big")
                width = int.from_bytes(data[pos + 7 : pos + 9], "big")
                return width, height
            pos += 2 + seg_len
        return None
    return None


class FileStore(EmulatorState):
    """Files by file_id and by download path."""

    def _store_file(self, content: bytes, filename: str, mime_type: str, folder: str) -> _FileEntry:
        with self._lock:
            self._file_counter += 1
            n = self._file_counter
            ext = ""
            if "." in filename:
                ext = "." + filename.rsplit(".", 1)[1]
            elif folder == "photos":
                ext = ".jpg"
            kind = "AgAC" if folder == "photos" else "BQAC"
            entry = _FileEntry(
                file_id=f"{kind}AgIAAxkBAAI{n:05d}{secrets.token_hex(8)}",
                file_unique_id=f"AgAD{n:05d}{secrets.token_hex(3)}",
                file_path=f"{folder}/file_{n}{ext}",
                content=content,
                mime_type=mime_type,
                filename=filename,
            )
            self._files[entry.file_id] = entry
            self._files_by_path[entry.file_path] = entry
            return entry

    def _input_file(
        self, params: dict[str, Any], files: dict[str, Any], name: str
    ) -> tuple[str, bytes, str, _FileEntry | None]:
        """Resolve an uploaded part, attach:// reference or file_id into (filename, bytes, mime)."""
        upload: _UploadedFile | None = files.get(name)
        value = params.get(name)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value[len("attach://") :])
        if upload is not None:
            if not upload.content:
                raise _bad_request("file must be non-empty")
            filename = upload.filename or name
            mime = (
                upload.content_type
                or mimetypes.guess_type(filename)[0]
                or "application/octet-stream"
            )
            return filename, upload.content, mime, None
        if isinstance(value, str) and value:
            with self._lock:
                entry = self._files.get(value)
            if entry is not None:
                return entry.filename, entry.content, entry.mime_type, entry
            if value.startswith(("http://", "https://")):
                raise _bad_request("failed to get HTTP URL content")
            raise _bad_request("wrong file identifier/HTTP URL specified")
        raise _bad_request(f"there is no {name} in the request")

    def _m_get_file(
        self, params: dict[str, Any], files: dict[str, Any], req: _Handler
    ) -> dict[str, Any]:
        with self._lock:
            entry = self._files.get(str(params.get("file_id", "")))
        if entry is None:
            raise _bad_request("invalid file_id")
        return {
            "file_id": entry.file_id,
            "file_unique_id": entry.file_unique_id,
            "file_size": len(entry.content),
            "file_path": entry.file_path,
        }
