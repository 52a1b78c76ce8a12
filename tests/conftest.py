"""Every test runs against a database built by ``alembic upgrade head``: SQLite always,
and PostgreSQL too when REGISTRY_TEST_DATABASE_URL is set. Tables are emptied between
tests; reference data stays."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.testclient import TestClient

from registry import migrate
from registry.cli.commands import run_in_transaction
from registry.db import create_session_factory
from registry.models import Base
from registry.reference.loader import load_reference_data, load_shipped_safeguard_list
from registry.settings import Settings, normalise_database_url
from schema.app import create_app
from tests.helpers import Api

REFERENCE_TABLES = {"countries", "occupations"}
POSTGRES_URL = os.environ.get("REGISTRY_TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


def reset_postgres(url: str) -> None:
    """An empty public schema in the test database, which is created if the server lacks
    it: the README's command names one that a fresh server does not have."""
    target = make_url(url)

    async def go() -> None:
        server = create_async_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        async with server.connect() as conn:
            found = await conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": target.database},
            )
            if not found:
                await conn.execute(text(f'CREATE DATABASE "{target.database}"'))
        await server.dispose()
        engine = create_async_engine(url)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()

    asyncio.run(go())


def build_database(settings: Settings) -> None:
    migrate.upgrade(settings)
    run_in_transaction(settings, load_reference_data)


@pytest.fixture(scope="session", params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "registry.db"
        url = f"sqlite+aiosqlite:///{path}"
    else:
        assert POSTGRES_URL is not None
        url = normalise_database_url(POSTGRES_URL)
        reset_postgres(url)
    key = tmp_path_factory.mktemp("keys") / "signing-key.pem"
    settings = Settings(database_url=url, max_page_size=100, signing_key_path=key)
    build_database(settings)
    return settings


@pytest.fixture
def clean_db(settings: Settings) -> Settings:
    async def truncate() -> None:
        engine = create_async_engine(settings.database_url)
        async with engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                if table.name not in REFERENCE_TABLES:
                    await conn.execute(table.delete())
        # Tests load safeguard-list editions of their own; each starts from the shipped one.
        async with create_session_factory(engine)() as session, session.begin():
            await load_shipped_safeguard_list(session)
        await engine.dispose()

    asyncio.run(truncate())
    return settings


@pytest.fixture
def client(clean_db: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(clean_db)) as test_client:
        yield test_client


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.fixture
def admin(api: Api) -> str:
    return api.token("admin")


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
