"""Every status machine in the registry is a table ``{status: allowed next statuses}``;
this is the one check they all go through, and the typed error an illegal move returns."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from registry.errors import DomainError

S = TypeVar("S", bound=StrEnum)


class IllegalTransitionError(DomainError):
    def __init__(self, entity: str, current: StrEnum, wanted: StrEnum, allowed: list[str]) -> None:
        self.entity = entity
        self.current = current.value
        self.wanted = wanted.value
        self.allowed = allowed
        moves = ", ".join(allowed) if allowed else "none: the status is final"
        super().__init__(
            f"a {entity} cannot move from {current.value} to {wanted.value}; allowed: {moves}"
        )


def require_transition(entity: str, table: Mapping[S, frozenset[S]], current: S, wanted: S) -> None:
    allowed = table[current]
    if wanted not in allowed:
        raise IllegalTransitionError(entity, current, wanted, sorted(s.value for s in allowed))
