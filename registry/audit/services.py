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
) -> AuditEvent:
    """Adds an audit event to the caller's transaction: it commits or rolls back with the
    change it describes."""
    event = AuditEvent(
        actor=principal.actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
    )
    session.add(event)
    await session.flush()
    return event
