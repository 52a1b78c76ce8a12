"""Converting GraphQL update inputs (absent vs null) to domain patches."""

from __future__ import annotations

from typing import Any, TypeVar

import strawberry

from registry.errors import Issues
from registry.patch import UNSET, Unset

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
