"""Request size limits: a body larger than allowed is refused with 413 and the bilingual error body,
before it is read into memory (``Content-Length``) or as soon as the stream passes the limit."""
from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

UPLOAD_PATHS = ("/imports", "/jobs/import", "/console/intake")


class BodyTooLarge(Exception):
    """The streamed body passed its limit."""


class BodyLimit:
    """ASGI middleware: ``max_body`` bytes for ordinary requests, ``max_upload`` for file uploads."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int):
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    def limit_for(self, path: str) -> int:
        return self.max_upload if path.rstrip("/") in UPLOAD_PATHS else self.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit)
            return
        seen = 0
        exceeded = False

        async def counting_receive() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if not exceeded:  # once over the limit, whatever the app answers is replaced by the 413
                await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded:
            await _refuse(send, limit)


async def _refuse(send: Send, limit: int) -> None:
    megabytes = limit / (1024 * 1024)
    body: dict[str, Any] = {
        "code": "payload_too_large",
        "message_zh": f"请求内容过大（上限 {megabytes:g} MB），请拆分文件或删减内容后重试。",
        "message_en": f"The request is too large (limit {megabytes:g} MB); split the file or shorten the content.",
        "details": {"limit_bytes": limit},
    }
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})
