"""The typed per-request context: who is asking, how to reach the database, loaders."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.types import Info as StrawberryInfo

from matching.titles import TitleMatcher
from registry.auth.principal import Principal
from registry.db import WRITE_OPTION
from registry.reference.catalog import ReferenceCatalog
from registry.settings import Settings
from registry.signing import Signer
from schema.loaders import Loaders


@dataclass
class Context:
    settings: Settings
    session_factory: async_sessionmaker[AsyncSession]
    catalog: ReferenceCatalog
    matcher: TitleMatcher
    principal: Principal
    # Built on first use: the key file is created only when a report is first signed.
    signer: Callable[[], Signer]
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.session_factory, self.principal, self.today)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A short session of its own: GraphQL resolves sibling fields concurrently and
        one AsyncSession must never serve two tasks."""
        async with self.session_factory() as session:
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One session, one transaction: committed if the block returns, rolled back if
        it raises. Services inside never commit."""
        async with self.session_factory() as session, session.begin():
            await session.connection(execution_options={WRITE_OPTION: True})
            yield session

    @staticmethod
    def today() -> date:
        return datetime.now(UTC).date()

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)


Info = StrawberryInfo[Context, None]


def selects(info: Info, name: str) -> bool:
    """Whether the client asked for a sub-field, so expensive ones are computed on demand."""
    return any(
        getattr(child, "name", None) == name
        for field in info.selected_fields
        for child in field.selections
    )
