"""Shared by the benchmark scripts: database preparation, bulk loading, a live server."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx2 as httpx
import uvicorn
from sqlalchemy import event, func, select, text
from starlette.applications import Starlette

from registry import migrate
from registry.auth.models import Role
from registry.auth.principal import Principal
from registry.auth.services import create_token
from registry.cli.commands import run_in_transaction
from registry.db import create_engine, create_session_factory
from registry.demo.generator import DemoGenerator, insert_batch
from registry.professionals.models import Professional
from registry.reference.catalog import ReferenceCatalog
from registry.reference.loader import load_reference_data
from registry.settings import Settings, normalise_database_url
from schema.app import AppState, create_app


def settings_for(url: str) -> Settings:
    return Settings(database_url=normalise_database_url(url), max_page_size=100)


def prepare(settings: Settings, *, reset: bool) -> None:
    if reset:
        reset_database(settings)
    migrate.upgrade(settings)
    run_in_transaction(settings, load_reference_data)


def reset_database(settings: Settings) -> None:
    async def go() -> None:
        engine = create_engine(settings)
        async with engine.begin() as conn:
            if settings.is_sqlite:
                tables = (
                    (
                        await conn.execute(
                            text(
                                "SELECT name FROM sqlite_master "
                                "WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                            )
                        )
                    )
                    .scalars()
                    .all()
                )
                await conn.execute(text("PRAGMA foreign_keys=OFF"))
                for table in tables:
                    await conn.execute(text(f'DROP TABLE IF EXISTS "{table}"'))
            else:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()

    asyncio.run(go())


def bulk_load(
    settings: Settings, count: int, *, seed: int = 1, batch: int = 2000
) -> tuple[int, int, float]:
    """Loads ``count`` professionals; returns (professionals, qualifications, seconds)."""

    async def go() -> tuple[int, int, float]:
        engine = create_engine(settings)
        factory = create_session_factory(engine)
        generator = DemoGenerator(seed)
        started = time.perf_counter()
        qualifications = 0
        items: list[dict[str, list[dict[str, Any]]]] = []
        done = 0
        for item in generator.rows(count):
            items.append(item)
            qualifications += len(item["qualifications"])
            if len(items) >= batch:
                async with factory() as session, session.begin():
                    await insert_batch(session, items)
                done += len(items)
                items = []
                if sys.stdout.isatty():
                    print(f"\r  loaded {done:,}/{count:,}", end="", flush=True)
        if items:
            async with factory() as session, session.begin():
                await insert_batch(session, items)
        # Fresh statistics, as a regulator's nightly maintenance would leave them.
        async with engine.begin() as conn:
            await conn.execute(text("ANALYZE"))
        elapsed = time.perf_counter() - started
        if sys.stdout.isatty():
            print()
        await engine.dispose()
        return count, qualifications, elapsed

    return asyncio.run(go())


def count_professionals(settings: Settings) -> int:
    async def go() -> int:
        engine = create_engine(settings)
        async with create_session_factory(engine)() as session:
            n = await session.scalar(select(func.count()).select_from(Professional))
        await engine.dispose()
        return int(n or 0)

    return asyncio.run(go())


async def issue_token(settings: Settings, role: Role, country: str | None = None) -> str:
    return (await issue_tokens(settings, role, 1, country))[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.split(None, 1)[0].upper() not in {"BEGIN", "COMMIT", "ROLLBACK"}:
            self.count += 1


@contextlib.asynccontextmanager
async def live_server(settings: Settings) -> AsyncIterator[tuple[str, StatementCounter]]:
    """Serves the app with uvicorn on a loopback port; yields its URL and a counter of
    the SQL statements the server issues."""
    app: Starlette = create_app(settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # uvicorn exposes a flag, not an event  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    state: AppState = app.state.registry
    counter = StatementCounter()
    event.listen(state.engine.sync_engine, "before_cursor_execute", counter)
    try:
        yield f"http://127.0.0.1:{port}", counter
    finally:
        server.should_exit = True
        await task


async def post_graphql(client: httpx.AsyncClient, query: str, **variables: Any) -> None:
    """One operation that must succeed: a benchmark of failing requests measures nothing."""
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body = response.json()
    if response.status_code != 200 or "errors" in body:
        raise SystemExit(f"request failed: {response.status_code} {body}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(latencies_ms: list[float]) -> str:
    return (
        f"n={len(latencies_ms)} p50={percentile(latencies_ms, 50):.1f}ms "
        f"p95={percentile(latencies_ms, 95):.1f}ms p99={percentile(latencies_ms, 99):.1f}ms "
        f"mean={statistics.fmean(latencies_ms):.1f}ms"
    )


@contextlib.contextmanager
def server_process(
    database_url: str, environment: Mapping[str, str] | None = None, *, workers: int = 1
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``registry serve`` in its own process (production mode, loopback), as operators
    run it; yields the process and its URL, and stops it with SIGTERM."""
    port = free_port()
    env = {
        **os.environ,
        "REGISTRY_DATABASE_URL": database_url,
        "REGISTRY_ENV": "production",
        **(environment or {}),
    }
    registry = str(Path(sys.executable).with_name("registry"))
    # A file, not a pipe: a pipe nobody reads fills up and blocks the server's logging.
    log = Path(tempfile.mkdtemp(prefix="registry-serve-")) / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [registry, "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            text = log.read_text(errors="replace")
            raise SystemExit(f"the server did not start: {text[-2000:]}")
        time.sleep(0.2)
    try:
        yield process, base
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)


async def issue_tokens(
    settings: Settings, role: Role, count: int, country: str | None = None
) -> list[str]:
    engine = create_engine(settings)
    secrets = []
    async with create_session_factory(engine)() as session, session.begin():
        catalog = await ReferenceCatalog.load(session)
        for i in range(count):
            issued = await create_token(
                session,
                catalog,
                role=role,
                label=f"bench {i}",
                country_code=country,
                issued_by=Principal.system(),
            )
            secrets.append(issued.secret)
    await engine.dispose()
    return secrets
