"""Runs one mutation in one transaction and turns expected failures into union members."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from registry.errors import DomainError, Issues
from schema.context import Info
from schema.errors import ErrorType, ValidationFailed, VersionConflict, to_error_type
from schema.ids import to_global_id
from schema.mutations.inputs import decode

T = TypeVar("T")


def global_id(entity: str, identifier: str) -> strawberry.ID:
    try:
        return to_global_id(entity, uuid.UUID(identifier))
    except ValueError:
        return strawberry.ID(identifier)


async def run_mutation(
    info: Info,
    work: Callable[[AsyncSession], Awaitable[T]],
    *,
    entity: str,
    entity_id: uuid.UUID | None = None,
    expected_version: int | None = None,
) -> T | ErrorType:
    try:
        async with info.context.write() as session:
            return await work(session)
    except DomainError as exc:
        return to_error_type(exc, global_id)
    except StaleDataError:
        # Another transaction changed the row between our read and our write.
        return VersionConflict(
            message=f"{entity} was changed by someone else meanwhile: reload it and retry",
            id=to_global_id(entity, entity_id) if entity_id else strawberry.ID(""),
            expected_version=expected_version or 0,
            current_version=None,
        )


async def run_versioned(
    info: Info,
    entity: str,
    raw_id: strawberry.ID,
    version: int,
    work: Callable[[AsyncSession, uuid.UUID], Awaitable[T]],
    issues: Issues | None = None,
) -> T | ErrorType:
    """A mutation of an existing, versioned record: decodes ``input.id`` as an ID of
    ``entity`` (adding to ``issues`` already collected from the input), then runs ``work``
    in one transaction, reporting a concurrent change as a version conflict."""
    issues = issues if issues is not None else Issues()
    identifier = decode(raw_id, entity, "input.id", issues)
    if issues or identifier is None:
        return ValidationFailed.of(issues.items)

    async def bound(session: AsyncSession) -> T:
        return await work(session, identifier)

    return await run_mutation(
        info, bound, entity=entity, entity_id=identifier, expected_version=version
    )
