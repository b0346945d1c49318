"""The FastAPI app: :func:`create_app` takes the :class:`~api.compose.Services` of the composition
root (or builds them from settings in the lifespan) and includes the routers."""
from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from api.compose import Services, build_services, load_settings
from api.config import Settings
from api.http.errors import ERROR_RESPONSES, CatchAll, install_error_handlers
from api.http.limits import BodyLimit
from api.http.routers import ROUTERS
from api.logging import setup_logging
from api.web import mount_console

DESCRIPTION = """
揭榜挂帅科技攻关需求征集、查重、凝练与专家匹配服务。
Intake, de-duplication, condensation and expert matching for 揭榜挂帅 technology demands.

错误统一返回 `{code, message_zh, message_en, details}`。除 `/health` 外每个请求都需要访问令牌
（`Authorization: Bearer <令牌>`，由 `jiebang token create` 创建）；个人信息与专家身份只返回给有相应角色的令牌。
"""


def create_app(settings: Settings | None = None, *, services: Services | None = None,
               served: bool = False) -> FastAPI:
    """The HTTP app over ``services`` (given), or over services built at start from ``settings``
    (``JIEBANG_*`` variables when neither is given). Services the app built it also closes. ``served``: the
    app of a ``jiebang serve`` process, which lives as long as the process (:func:`served_app`)."""
    settings = services.settings if services is not None else (settings or load_settings())
    setup_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        app.state.services = build_services(settings) if owned else services
        app.state.services.warm_up()
        if served:  # the models, vocabularies and indexes loaded at start live as long as the process: kept out
            gc.collect()  # of the collector's scans, whose full passes stopped every request thread, the lock's
            gc.freeze()   # holder included, for 0.2-0.6 s each under load (16.6 s in 2 minutes, 8.5 s frozen)
        try:
            yield
        finally:
            if owned:
                app.state.services.close()

    # FastAPIOffline: the same FastAPI app, with /docs and /redoc served from assets inside the package
    # (Swagger UI 5, ReDoc) instead of a CDN, so the documentation opens on an offline network.
    app = FastAPIOffline(title="揭榜挂帅 Jiebang", version="0.1.0", description=DESCRIPTION, lifespan=lifespan,
                         responses=ERROR_RESPONSES)
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(BodyLimit, max_body=settings.max_body_bytes, max_upload=settings.max_upload_bytes)
    app.add_middleware(CatchAll)  # added last = outermost of ours, inside Starlette's ServerErrorMiddleware
    for router in ROUTERS:
        app.include_router(router)
    mount_console(app)  # the staff console at /console (/ redirects there)
    return app


def served_app() -> FastAPI:
    """The app of a ``jiebang serve`` worker process (uvicorn's factory, from the environment)."""
    return create_app(served=True)
