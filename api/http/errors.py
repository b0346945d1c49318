"""Every error leaves the HTTP app as ``{code, message_zh, message_en, details}``."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors import JiebangError
from api.services.intake import validation_details

log = logging.getLogger(__name__)


def error_response(status: int, code: str, zh: str, en: str, details: Any = None) -> JSONResponse:
    """The one error body, with its status."""
    return JSONResponse(status_code=status,
                        content={"code": code, "message_zh": zh, "message_en": en, "details": details})


def install_error_handlers(app: FastAPI) -> None:
    """Map our error classes, validation errors, HTTP errors and anything unexpected to the error body."""

    @app.exception_handler(JiebangError)
    async def jiebang_error(_request: Request, exc: JiebangError) -> JSONResponse:
        return JSONResponse(status_code=exc.status_code, content=exc.to_body())

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors: Iterable[dict[str, Any]] = exc.errors()
        return error_response(422, "invalid_input", "请求内容未通过校验，请按提示修改。",
                              "The request is invalid; fix the listed fields.", validation_details(errors))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        zh = {404: "请求的地址不存在。", 405: "该地址不支持此请求方法。"}.get(exc.status_code, "请求未能处理。")
        return error_response(exc.status_code, f"http_{exc.status_code}", zh, str(exc.detail))

    @app.exception_handler(Exception)
    async def internal_error(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error: %s", type(exc).__name__)
        return error_response(500, "internal_error", "服务内部错误，请稍后重试或联系管理员。",
                              "Internal server error; retry later or contact the administrator.")
