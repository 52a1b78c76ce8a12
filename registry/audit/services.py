from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit.models import AuditEvent
from registry.auth.principal import Principal


async def record_event(
    session: AsyncSession,
    principal: Principal,
    action: str,
    entity_type: str,
    entity_id: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    flush: bool = True,
) -> AuditEvent:
    """Adds an audit event to the caller's transaction: it commits or rolls back with the
    change it describes. A caller writing many (re-judging) passes ``flush=False`` and
    flushes once per batch."""
    event = AuditEvent(
        actor=principal.actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
    )
    session.add(event)
    if flush:
        await session.flush()
    return event


def _jsonable(value: Any) -> Any:
    """Audit snapshots are JSON: dates as ISO strings, enums and UUIDs as text."""
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def snapshot(model: Any, columns: tuple[str, ...]) -> dict[str, Any]:
    """The named columns of a row, as the audit log stores them."""
    return {name: _jsonable(getattr(model, name)) for name in columns}
