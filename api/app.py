"""Composition root of the HTTP API: :func:`create_app` wires settings, storage, routers, errors.

Per-process resources live on ``app.state`` and are opened in the lifespan: the database
(engine, session factory, migrated to head), the campaign in force, the intake step list, and
slots for the embedder and vector index that later capabilities fill (``None`` until then).
"""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import duplicates, service
from api.config import Settings
from api.errors import JiebangError
from api.logging import setup_logging
from api.routers import ROUTERS
from api.storage import open_database

log = logging.getLogger(__name__)

DESCRIPTION = """
揭榜挂帅科技攻关需求征集、查重、凝练与专家匹配服务。
Intake, de-duplication, condensation and expert matching for 揭榜挂帅 technology demands.

错误统一返回 `{code, message_zh, message_en, details}`。个人信息（联系人、法定代表人、专家身份）
仅在请求头带 `Authorization: Bearer <JIEBANG_ADMIN_TOKEN>` 时返回。
"""


def open_resources(app: FastAPI, settings: Settings) -> None:
    """Open the per-process resources onto ``app.state`` (database, campaign, intake steps, slots)."""
    engine, sessions = open_database(settings.db_url)
    app.state.engine = engine
    app.state.sessions = sessions
    with sessions() as session:
        app.state.campaign = service.load_campaign(session, settings.campaign_file)
    app.state.intake_steps = service.DEFAULT_INTAKE_STEPS
    # Slots for later capabilities (filled here, at start, when they exist):
    app.state.embedder = None   # nlp.embed.Embedder
    app.state.index = None      # matching.index.VectorIndex, rebuilt from storage
    duplicates.install(app)     # app.state.duplicates + its intake step (api/duplicates.py)


def close_resources(app: FastAPI) -> None:
    """Release what :func:`open_resources` opened."""
    engine = getattr(app.state, "engine", None)
    if engine is not None:
        engine.dispose()


def _error(status: int, code: str, zh: str, en: str, details: Any = None) -> JSONResponse:
    return JSONResponse(status_code=status,
                        content={"code": code, "message_zh": zh, "message_en": en, "details": details})


def install_error_handlers(app: FastAPI) -> None:
    """Every error leaves as ``{code, message_zh, message_en, details}``."""

    @app.exception_handler(JiebangError)
    async def jiebang_error(_request: Request, exc: JiebangError) -> JSONResponse:
        return JSONResponse(status_code=exc.status_code, content=exc.to_body())

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, "invalid_input", "请求内容未通过校验，请按提示修改。",
                      "The request is invalid; fix the listed fields.", service.validation_details(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        zh = {404: "请求的地址不存在。", 405: "该地址不支持此请求方法。"}.get(exc.status_code, "请求未能处理。")
        return _error(exc.status_code, f"http_{exc.status_code}", zh, str(exc.detail))

    @app.exception_handler(Exception)
    async def internal_error(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error: %s", type(exc).__name__)
        return _error(500, "internal_error", "服务内部错误，请稍后重试或联系管理员。",
                      "Internal server error; retry later or contact the administrator.")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the FastAPI app for ``settings`` (``Settings.from_env()`` by default)."""
    settings = settings or Settings.from_env()
    setup_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        open_resources(app, settings)
        try:
            yield
        finally:
            close_resources(app)

    app = FastAPI(title="揭榜挂帅 Jiebang", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    return app
