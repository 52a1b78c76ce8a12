"""The ASGI application: ``create_app(settings)``. The lifespan owns the engine."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route, request_response
from strawberry.asgi import GraphQL

from matching.titles import TitleMatcher, default_matcher
from registry.db import create_engine, create_session_factory
from registry.reference.catalog import ReferenceCatalog
from registry.settings import Settings
from registry.signing import Signer
from schema.auth import request_principal, unauthorised
from schema.context import Context
from schema.exports import statistics_export
from schema.guards import Guard, RateLimiter
from schema.schema import build_schema

log = logging.getLogger("registry.app")


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    catalog: ReferenceCatalog
    matcher: TitleMatcher

    @cached_property
    def signer(self) -> Signer:
        return Signer.from_path(self.settings.signing_key_path)


class RegistryGraphQL(GraphQL[Context, None]):
    def __init__(self, settings: Settings) -> None:
        super().__init__(
            build_schema(settings),
            graphql_ide=None if settings.is_production else "graphiql",
            # Queries over GET can be triggered cross-site by a link or an <img>.
            allow_queries_via_get=False,
        )

    async def get_context(self, request: Any, response: Any) -> Context:
        state: AppState = request.app.state.registry
        return Context(
            settings=state.settings,
            session_factory=state.session_factory,
            catalog=state.catalog,
            matcher=state.matcher,
            principal=request.state.principal,
            signer=lambda: state.signer,
        )


def graphql_route(settings: Settings, rate: RateLimiter) -> Guard:
    """GraphQL behind the guard. Anonymous callers get nothing but, in development, the
    GraphiQL page (which holds no data)."""
    graphql = RegistryGraphQL(settings)
    page = None if settings.is_production else (lambda: HTMLResponse(graphql.graphql_ide_html))
    return Guard(settings, graphql, request_principal, unauthorised, rate, development_page=page)


async def healthz(request: Request) -> JSONResponse:
    state: AppState = request.app.state.registry
    try:
        async with asyncio.timeout(state.settings.db_timeout_seconds):
            async with state.session_factory() as session:
                await session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means "down"; its kind goes to the log only
        log.warning("health check: database unreachable (%s)", type(exc).__name__)
        return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "up"})


def create_app(settings: Settings) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = create_engine(settings)
        session_factory = create_session_factory(engine)
        async with session_factory() as session:
            catalog = await ReferenceCatalog.load(session)
        app.state.registry = AppState(settings, engine, session_factory, catalog, default_matcher())
        try:
            yield
        finally:
            await engine.dispose()

    rate = RateLimiter(settings)
    return Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/graphql", graphql_route(settings, rate)),
            Route(
                "/exports/statistics.{format:str}",
                Guard(
                    settings,
                    request_response(statistics_export),
                    request_principal,
                    unauthorised,
                    rate,
                    method="GET",
                ),
            ),
        ],
        lifespan=lifespan,
    )


def app_from_environment() -> Starlette:
    """The app factory for ``registry serve --workers N``: every worker process reads the
    same environment the command did."""
    return create_app(Settings.from_env())
