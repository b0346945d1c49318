"""A file handed to a browser or a program: named in Chinese (RFC 5987 ``filename*``), with an ASCII name
for clients that read only ``filename`` — one way for every export of the API and the console."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import Response


def attachment(body: bytes, media_type: str, name: str, fallback: str) -> Response:
    """``body`` as a download called ``name`` (e.g. 榜单草稿-高新处.docx), ``fallback`` for older clients."""
    return Response(body, media_type=media_type, headers={
        "Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"})
