"""Driving the API the way a client does: HTTP requests with bearer tokens."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, func, select
from starlette.testclient import TestClient

from registry.audit.models import AuditEvent
from registry.auth.models import Role
from registry.auth.principal import Principal
from registry.auth.services import create_token
from schema.app import AppState


class Api:
    def __init__(self, client: TestClient) -> None:
        self.client = client

    @property
    def state(self) -> AppState:
        state: AppState = self.client.app.state.registry  # type: ignore[attr-defined]
        return state

    def token(
        self, role: str, country: str | None = None, organisation: uuid.UUID | None = None
    ) -> str:
        async def go() -> str:
            async with self.state.session_factory() as session, session.begin():
                issued = await create_token(
                    session,
                    self.state.catalog,
                    role=Role(role),
                    label=f"test {role}",
                    country_code=country,
                    organisation_id=organisation,
                    issued_by=Principal.system(),
                )
                return issued.secret

        assert self.client.portal is not None
        return self.client.portal.call(go)

    def post(self, body: Any, token: str | None, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers.update(kwargs.pop("headers", {}))
        return self.client.post("/graphql", json=body, headers=headers, **kwargs)

    def gql(self, query: str, token: str | None, **variables: Any) -> dict[str, Any]:
        """Runs an operation that must not produce GraphQL errors; returns ``data``."""
        result = self.raw(query, token, **variables)
        assert "errors" not in result, result["errors"]
        data: dict[str, Any] = result["data"]
        return data

    def raw(self, query: str, token: str | None, **variables: Any) -> dict[str, Any]:
        response = self.post({"query": query, "variables": variables}, token)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def scalar(self, statement: Any) -> Any:
        async def go() -> Any:
            async with self.state.session_factory() as session:
                return await session.scalar(statement)

        assert self.client.portal is not None
        return self.client.portal.call(go)

    def execute(self, statement: Any) -> None:
        """A direct write, committed: for facts the API rightly cannot set (a record's
        registration date in the past)."""

        async def go() -> None:
            async with self.state.session_factory() as session, session.begin():
                await session.execute(statement)

        assert self.client.portal is not None
        self.client.portal.call(go)

    def audit_count(self, action: str | None = None) -> int:
        statement = select(func.count()).select_from(AuditEvent)
        if action:
            statement = statement.where(AuditEvent.action == action)
        return int(self.scalar(statement))

    @contextmanager
    def count_statements(self) -> Iterator[list[str]]:
        statements: list[str] = []

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            # Transaction control (SQLite's explicit BEGIN) is not a query.
            if statement.split(None, 1)[0].upper() not in {"BEGIN", "COMMIT", "ROLLBACK"}:
                statements.append(statement)

        engine = self.state.engine.sync_engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)
