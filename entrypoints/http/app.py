"""The Litestar application: every client contract's routes over the same use cases."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import swagger_ui_bundle
from dishka import Provider
from dishka.integrations.litestar import setup_dishka as setup_litestar_dishka
from dishka.integrations.taskiq import TaskiqProvider
from dishka.integrations.taskiq import setup_dishka as setup_taskiq_dishka
from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.static_files import create_static_files_router
from taskiq import AsyncBroker

from adapters.queue.taskiq_queue import make_broker
from application.analysis.engine import AnalysisEngine
from application.jobs.runner import ResumeUnfinishedJobs
from application.ports.system import RateLimiter, TokenService
from entrypoints import reconciler
from entrypoints.http import swing
from entrypoints.http.auth import AuthProvider
from entrypoints.http.bachata import auth as bachata_auth
from entrypoints.http.bachata import choreography as bachata_choreography
from entrypoints.http.bachata import collections as bachata_collections
from entrypoints.http.common import files, health, jobs
from entrypoints.http.errors import SEED_ERRORS, json_not_found
from entrypoints.http.headers import security_headers
from entrypoints.http.idance import ai, breakdowns, community
from entrypoints.http.idance import auth as idance_auth
from entrypoints.http.ratelimit import EXEMPT, Limits, make_rate_limit_middleware
from entrypoints.http.slow_clients import make_body_timeout_middleware
from entrypoints.http.swing import auth as swing_auth
from entrypoints.ioc import make_container
from entrypoints.settings import Settings
from entrypoints.tasks import register_tasks
from entrypoints.warm_up import warm_up_serialised

DOCS_ASSETS = "/api/docs-assets"  # Swagger UI's files, served from the swagger-ui-bundle-v2 package


def create_app(settings: Settings, *extra_providers: Provider, broker: AsyncBroker | None = None) -> Litestar:
    broker = broker or make_broker(settings.queue, settings.redis_url, settings.redis_queue_name)
    in_process = settings.queue == "memory"
    if in_process:
        register_tasks(broker)
    container = make_container(settings, broker, AuthProvider(), *swing.providers(), TaskiqProvider(),
                               *extra_providers)
    if in_process:
        setup_taskiq_dishka(container, broker)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await broker.startup()
        looping = None
        if in_process:
            async with container() as request_scope:
                resumed = await (await request_scope.get(ResumeUnfinishedJobs))()
            if resumed:
                logging.getLogger(__name__).info("queued %d unfinished jobs again", resumed)
            looping = reconciler.start(container, settings.reconcile_seconds)
        warming = None
        if in_process and settings.warm_up:
            engine = await container.get(AnalysisEngine)
            warming = asyncio.create_task(asyncio.to_thread(warm_up_serialised, engine))
        speaking = None
        if settings.warm_up and settings.swing_tts_warm_up:
            speaking = asyncio.create_task(swing.warm_up(container))
        if settings.rate_limits:
            app.state.rate_limiter = await container.get(RateLimiter)
            app.state.token_service = await container.get(TokenService)
        # Start-up objects (models, routes, the container) never die: keep them out of the collector's scans,
        # which otherwise grow with them and pause requests.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await reconciler.stop(looping)
            if warming is not None:
                await warming
            if speaking is not None:
                await speaking
            await broker.shutdown()
            await container.close()

    app = Litestar(
        route_handlers=[
            health.router, idance_auth.router, bachata_auth.router, swing_auth.router, files.router,
            bachata_choreography.router, *bachata_collections.routers,
            *files.blob_routes, jobs.router, health.openapi_schema, ai.router, breakdowns.router,
            *community.routers,
            create_static_files_router(path=DOCS_ASSETS, directories=[swagger_ui_bundle.swagger_ui_path],
                                       include_in_schema=False, opt=EXEMPT),
            *swing.routers(settings),
        ],
        exception_handlers=SEED_ERRORS,
        # The docs' catch-all route would answer unknown /api/... paths with an HTML page: clients read JSON.
        after_request=json_not_found,
        before_send=[security_headers],
        lifespan=[lifespan],
        middleware=[make_body_timeout_middleware(settings.body_read_timeout_s, settings.body_min_bytes_per_s),
                    make_rate_limit_middleware(Limits(settings.rate_limit_standard, settings.rate_limit_uploads,
                                                      settings.rate_limit_ai))],
        cors_config=CORSConfig(allow_origins=list(settings.cors_origin_list),
                               allow_headers=["authorization", "content-type"],
                               allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
                               expose_headers=["retry-after", "content-length", "content-range"]),
        openapi_config=OpenAPIConfig(
            title="Dance backend API",
            version=health.VERSION,
            description="iDance, Bachata Buddy and swing-coach contracts on one backend.",
            path="/api",
            openapi_router=Router(path="/api", route_handlers=[], opt=EXEMPT, include_in_schema=False),
            render_plugins=[SwaggerRenderPlugin(
                path="/docs", js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js", css_url=f"{DOCS_ASSETS}/swagger-ui.css",
                standalone_preset_js_url=f"{DOCS_ASSETS}/swagger-ui-standalone-preset.js",
                favicon=f"<link rel='icon' type='image/png' href='{DOCS_ASSETS}/favicon-32x32.png'>")],
            components=Components(security_schemes={
                "BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")}),
            security=[{"BearerToken": []}],
        ),
        debug=False,
        logging_config=None,  # the process entrypoint (uvicorn via manage.py, tests) owns logging
    )
    setup_litestar_dishka(container, app)
    return app
