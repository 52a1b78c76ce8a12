"""Converting GraphQL inputs to domain values: absent vs null in updates, and global IDs."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

import strawberry

from registry.errors import Issues
from registry.patch import UNSET, Unset
from schema.ids import InvalidGlobalIdError, expect_global_id

T = TypeVar("T")


def required(value: T | None, field: str, issues: Issues) -> T | Unset:
    """An update field that may be omitted but never set to null."""
    if value is strawberry.UNSET:
        return UNSET
    if value is None:
        issues.add(field, "null_not_allowed", "may be omitted but not set to null")
        return UNSET
    return value


def nullable(value: T | None) -> T | Unset | None:
    """An update field where null clears the stored value."""
    if value is strawberry.UNSET:
        return UNSET
    return value


def given(value: Any) -> bool:
    return value is not strawberry.UNSET


def decode(value: str | None, type_name: str, field: str, issues: Issues) -> uuid.UUID | None:
    if value is None:
        return None
    try:
        return expect_global_id(value, type_name)
    except InvalidGlobalIdError as exc:
        issues.add(field, "invalid_id", str(exc))
        return None
