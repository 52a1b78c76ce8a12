"""Helpers shared by the accreditation services: loading a record the principal may see,
the version check, and the case-history event every move writes beside its audit event."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.accreditation.enums import CaseEventKind
from registry.accreditation.models import CaseEvent
from registry.auth.principal import Principal
from registry.errors import NotFoundError, VersionConflictError

M = TypeVar("M")

NOTE_MAX = 2000


async def get_visible(
    session: AsyncSession,
    model: type[M],
    clause: ColumnElement[bool],
    identifier: uuid.UUID,
    entity: str,
    *,
    field: str = "id",
) -> M:
    column: Any = model.id  # type: ignore[attr-defined]
    found: M | None = await session.scalar(select(model).where(column == identifier, clause))
    if found is None:
        raise NotFoundError(entity, str(identifier), field)
    return found


def check_version(entity: str, identifier: uuid.UUID, current: int, expected: int) -> None:
    if current != expected:
        raise VersionConflictError(entity, str(identifier), expected, current)


async def record_case_event(
    session: AsyncSession,
    principal: Principal,
    case_id: uuid.UUID,
    kind: CaseEventKind,
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | None = None,
) -> None:
    session.add(
        CaseEvent(
            case_id=case_id,
            actor=principal.actor,
            kind=kind,
            from_status=from_status,
            to_status=to_status,
            note=note,
        )
    )
    await session.flush()
