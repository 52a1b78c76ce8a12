"""Declarative base, portable column types, and engine/session factories.

No engine is created at import time: the app's lifespan, the CLI and the tests build one
from Settings.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.types import TypeDecorator

from registry.settings import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PortableJSON = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored as UTC on every backend.

    SQLite has no timezone type: without this, values come back naive and comparisons
    with aware datetimes raise.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {  # noqa: RUF012 - SQLAlchemy reads it as a class attribute
        datetime: UTCDateTime(),
        dict[str, Any]: PortableJSON,
        list[Any]: PortableJSON,
    }


class TimestampedMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def quiet_statement_logs(settings: Settings) -> None:
    """Statement parameters are personal data: aiosqlite logs them at DEBUG and SQLAlchemy
    at INFO, so neither may log statements unless REGISTRY_ECHO_SQL asks (development)."""
    if not settings.echo_sql:
        logging.getLogger("aiosqlite").setLevel(logging.INFO)
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)


def create_engine(settings: Settings) -> AsyncEngine:
    quiet_statement_logs(settings)
    if settings.is_sqlite:
        engine = create_async_engine(
            settings.database_url,
            echo=settings.echo_sql,
            connect_args={"timeout": settings.db_timeout_seconds},
        )
        event.listen(engine.sync_engine, "connect", _sqlite_on_connect)
        event.listen(engine.sync_engine, "begin", _sqlite_on_begin)
        return engine
    return create_async_engine(
        settings.database_url,
        echo=settings.echo_sql,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_timeout=settings.db_timeout_seconds,
        pool_pre_ping=True,
        connect_args={
            "timeout": settings.db_timeout_seconds,
            "command_timeout": settings.db_timeout_seconds,
            # JIT pays off for long analytical queries; for this API's requests its
            # compilation alone took longer than the query (2 s of a 2.5 s ranking).
            "server_settings": {"application_name": "registry", "jit": "off"},
        },
    )


def _sqlite_on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    # SQLite ignores foreign keys unless asked on every connection.
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets readers proceed while a writer commits; ignored for :memory: databases.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # Take transaction control from the driver so that BEGIN is ours (see below).
    dbapi_connection.isolation_level = None


WRITE_OPTION = "registry_write"


def _sqlite_on_begin(connection: Connection) -> None:
    # A write transaction takes the write lock at BEGIN. With deferred BEGIN, two
    # concurrent read-then-write transactions fail with "database is locked"; with
    # IMMEDIATE the second waits, then reads the first one's result and reports a
    # version conflict like PostgreSQL does.
    immediate = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: resolvers read attributes after the request's commit.
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
