"""Every error leaves the HTTP app as ``{code, message_zh, message_en, details}``.

Storage faults (lock timeout, database down, disk full or read-only) answer their own code and status with
Retry-After (:mod:`api.store.faults`); anything unexpected answers 500 ``internal_error`` from a middleware
INSIDE Starlette's outermost error layer, so the response is complete and the keep-alive connection stays
open (Starlette's own 500 handler re-raises to the server, which then closes the connection). No SQL,
parameter or stack text ever reaches a response: those go to the log only."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import JiebangError
from api.forms.validation import validation_details
from api.store.faults import StorageFault, bad_value, classify

log = logging.getLogger(__name__)


class ErrorOut(BaseModel):
    """错误 / the error body every endpoint returns."""

    code: str = Field(..., description="错误代码（稳定，可供程序判断）")
    message_zh: str = Field(..., description="中文说明")
    message_en: str = Field(..., description="英文说明")
    details: Any = Field(None, description="细节（字段、编号；从不含 SQL 或堆栈）")


#: Documented on every operation (OpenAPI): what any request may be answered besides its own success.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {status: {"model": ErrorOut, "description": text} for status, text in (
    (400, "请求格式有误 / malformed request"), (401, "需要有效的访问令牌 / a valid token is required"),
    (403, "角色无权执行 / the token's role may not do this"), (404, "不存在 / not found"),
    (409, "冲突（版本已过期等）/ conflict, e.g. a stale version"), (413, "请求或文件过大 / too large"),
    (422, "内容未通过校验 / invalid input"), (500, "服务内部错误 / internal error"),
    (503, "系统忙或数据库不可用，见 Retry-After / busy or the database is unavailable (Retry-After)"),
    (507, "磁盘已满 / storage full"))}


def error_response(status: int, code: str, zh: str, en: str, details: Any = None) -> JSONResponse:
    """The one error body, with its status."""
    return JSONResponse(status_code=status,
                        content={"code": code, "message_zh": zh, "message_en": en, "details": details})


def internal_error_response() -> JSONResponse:
    return error_response(500, "internal_error", "服务内部错误，请稍后重试或联系管理员。",
                          "Internal server error; retry later or contact the administrator.")


def fault_response(fault: StorageFault) -> JSONResponse:
    return JSONResponse(status_code=fault.status_code, content=fault.to_body(), headers=fault.headers())


def response_for(exc: BaseException) -> JSONResponse:
    """The answer to an exception no handler took: a storage fault's own, else a bare 500 (logged)."""
    invalid = bad_value(exc)
    if invalid is not None:
        return JSONResponse(status_code=invalid.status_code, content=invalid.to_body())
    fault = classify(exc)
    if fault is not None:
        log.warning("storage fault %s (%s)", fault.code, type(exc).__name__)
        return fault_response(fault)
    log.error("unhandled error: %s", type(exc).__name__, exc_info=exc)
    return internal_error_response()


class CatchAll:
    """ASGI middleware: an exception that escaped every handler becomes a complete JSON answer here, so
    the server never sees it and keeps the client's keep-alive connection."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            if started:  # half a response is out: only the server can end it
                raise
            await response_for(exc)(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    """Map our error classes, validation errors, HTTP errors, storage faults and anything unexpected to the
    error body (:class:`CatchAll` must also be added as a middleware: :func:`api.http.app.create_app`)."""

    @app.exception_handler(JiebangError)
    async def jiebang_error(_request: Request, exc: JiebangError) -> JSONResponse:
        if isinstance(exc, StorageFault):
            return fault_response(exc)
        return JSONResponse(status_code=exc.status_code, content=exc.to_body())

    @app.exception_handler(DBAPIError)
    async def database_error(_request: Request, exc: DBAPIError) -> JSONResponse:
        return response_for(exc)

    @app.exception_handler(OSError)
    async def os_error(_request: Request, exc: OSError) -> JSONResponse:
        return response_for(exc)

    @app.exception_handler(OverflowError)
    async def overflow_error(_request: Request, exc: OverflowError) -> JSONResponse:
        return response_for(exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        if undeclared(request):  # GET /clusters/merge reached /clusters/{key}: the address has no GET at all
            return http_response(request, StarletteHTTPException(405))
        errors: Iterable[dict[str, Any]] = exc.errors()
        return error_response(422, "invalid_input", "请求内容未通过校验，请按提示修改。",
                              "The request is invalid; fix the listed fields.", validation_details(errors))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return http_response(request, exc)


def http_response(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """A 404, 405 … in the error body; a 405 names the methods the address allows (Allow, RFC 9110)."""
    zh = {404: "请求的地址不存在。", 405: "该地址不支持此请求方法。"}.get(exc.status_code, "请求未能处理。")
    response = error_response(exc.status_code, f"http_{exc.status_code}", zh, str(exc.detail))
    response.headers.update(exc.headers or {})
    if exc.status_code == 405:
        response.headers["Allow"] = allowed_methods(request.app, request.scope) or response.headers.get("Allow", "")
    return response


def undeclared(request: Request) -> bool:
    """Whether the address is itself a documented path that does not have this method (a templated route took
    it instead: GET /clusters/merge as /clusters/{key})."""
    documented = request.app.openapi()["paths"].get(request.scope["path"])
    return documented is not None and request.method.lower() not in documented


def allowed_methods(app: FastAPI, scope: Scope) -> str:
    """The methods this address answers, for a 405's Allow: each method is tried against the app's routes as the
    router would (Starlette names only the first route whose path matched, but GET /bangdan/1 and DELETE /bangdan/1
    are two routes). An address that is itself a documented path (/clusters/merge, beside /clusters/{key}) is that
    path, as OpenAPI reads paths: only its own methods are named."""
    answered = set()
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        probe = {**scope, "method": method}
        if any(route.matches(probe)[0] is Match.FULL for route in app.router.routes):
            answered.add(method)
    documented = app.openapi()["paths"].get(scope["path"])  # FastAPI builds the schema once and keeps it
    if documented is not None:
        answered &= {method.upper() for method in documented}
    return ", ".join(sorted(answered))
