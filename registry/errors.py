"""Expected failures raised by services.

The GraphQL edge turns each into a schema type the client can act on; anything else is
an unexpected error and is masked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldIssue:
    """One thing wrong with one input field. ``field`` is a path such as
    ``input.languages[1].level``; ``code`` is stable for clients, ``message`` for people."""

    field: str
    code: str
    message: str


class DomainError(Exception):
    """Base class: an expected, typed failure that changes nothing."""


class ValidationFailedError(DomainError):
    def __init__(self, issues: Iterable[FieldIssue]) -> None:
        self.issues = tuple(issues)
        super().__init__("; ".join(f"{i.field}: {i.message}" for i in self.issues))


class NotFoundError(DomainError):
    def __init__(self, entity: str, identifier: str, field: str = "id") -> None:
        self.entity = entity
        self.identifier = identifier
        self.field = field
        super().__init__(f"{entity} {identifier} not found")


class VersionConflictError(DomainError):
    def __init__(self, entity: str, identifier: str, expected: int, current: int) -> None:
        self.entity = entity
        self.identifier = identifier
        self.expected = expected
        self.current = current
        super().__init__(
            f"{entity} {identifier} is at version {current}, not {expected}: "
            "reload it and apply your change again"
        )


class DuplicateProfessionalError(DomainError):
    def __init__(self, existing_id: str) -> None:
        self.existing_id = existing_id
        super().__init__(
            "a professional with the same names, birth date and country of birth is already "
            "registered"
        )


class PermissionDeniedError(DomainError):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class Issues:
    """Collects field issues so a caller sees every problem at once, not the first."""

    def __init__(self) -> None:
        self._issues: list[FieldIssue] = []

    def add(self, field: str, code: str, message: str) -> None:
        self._issues.append(FieldIssue(field, code, message))

    def __bool__(self) -> bool:
        return bool(self._issues)

    @property
    def items(self) -> tuple[FieldIssue, ...]:
        return tuple(self._issues)

    def raise_if_any(self) -> None:
        if self._issues:
            raise ValidationFailedError(self._issues)
