"""GraphQL error types (union members) and the mapping from domain errors.

Expected failures are data the client can act on; unexpected exceptions are masked by
``should_mask_error`` so no SQL, path or personal data leaves the server.
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError

from registry.errors import (
    DomainError,
    DuplicateProfessionalError,
    FieldIssue,
    NotFoundError,
    PermissionDeniedError,
    ValidationFailedError,
    VersionConflictError,
)
from registry.transitions import IllegalTransitionError
from schema.ids import InvalidGlobalIdError


class PublicError(Exception):
    """An error on a query field whose message and code are safe to show."""

    def __init__(self, message: str, code: str, **details: Any) -> None:
        super().__init__(message)
        self.extensions = {"code": code, **details}


def should_mask_error(error: GraphQLError) -> bool:
    original = error.original_error
    # No original error, or graphql-core's own: a syntax, validation or input coercion
    # error, which names the client's own input and nothing of the server.
    return original is not None and not isinstance(original, (PublicError, GraphQLError))


def public_error(exc: DomainError) -> PublicError:
    """Domain errors raised while resolving a query (not a mutation) field."""
    if isinstance(exc, ValidationFailedError):
        return PublicError(
            str(exc),
            "BAD_USER_INPUT",
            issues=[{"field": i.field, "code": i.code, "message": i.message} for i in exc.issues],
        )
    if isinstance(exc, PermissionDeniedError):
        return PublicError(exc.message, "FORBIDDEN")
    if isinstance(exc, NotFoundError):
        return PublicError(str(exc), "NOT_FOUND")
    return PublicError(str(exc), "BAD_REQUEST")


def bad_id(field: str, exc: InvalidGlobalIdError) -> PublicError:
    return PublicError(
        f"{field} {exc}",
        "BAD_USER_INPUT",
        issues=[{"field": field, "code": "invalid_id", "message": str(exc)}],
    )


@strawberry.interface
class UserError:
    message: str


@strawberry.type
class FieldError:
    field: str = strawberry.field(
        description="Path of the input field, e.g. input.languages[1].code"
    )
    code: str = strawberry.field(description="Stable machine-readable reason")
    message: str


@strawberry.type
class ValidationFailed(UserError):
    issues: list[FieldError]

    @classmethod
    def of(cls, issues: tuple[FieldIssue, ...]) -> ValidationFailed:
        return cls(
            message="The input is invalid; nothing was changed.",
            issues=[FieldError(field=i.field, code=i.code, message=i.message) for i in issues],
        )

    @classmethod
    def bad_id(cls, field: str, exc: InvalidGlobalIdError) -> ValidationFailed:
        return cls.of((FieldIssue(field, "invalid_id", str(exc)),))


@strawberry.type
class NotFound(UserError):
    entity: str
    id: strawberry.ID


@strawberry.type
class VersionConflict(UserError):
    id: strawberry.ID
    expected_version: int
    current_version: int | None = strawberry.field(
        description="Null when the conflict was detected at write time"
    )


@strawberry.type
class DuplicateProfessional(UserError):
    existing_id: strawberry.ID


@strawberry.type
class Forbidden(UserError):
    pass


@strawberry.type(description="The status cannot move that way; `allowed` lists where it can")
class IllegalTransition(UserError):
    entity: str
    from_status: str
    to_status: str
    allowed: list[str]


ErrorType = (
    ValidationFailed
    | NotFound
    | VersionConflict
    | DuplicateProfessional
    | Forbidden
    | IllegalTransition
)


def to_error_type(exc: DomainError, global_id: Any) -> ErrorType:
    """``global_id(entity, uuid_str)`` turns a domain identifier into a client-facing ID."""
    if isinstance(exc, ValidationFailedError):
        return ValidationFailed.of(exc.issues)
    if isinstance(exc, NotFoundError):
        return NotFound(
            message=f"{exc.entity} not found",
            entity=exc.entity,
            id=global_id(exc.entity, exc.identifier),
        )
    if isinstance(exc, VersionConflictError):
        return VersionConflict(
            message=str(exc),
            id=global_id(exc.entity, exc.identifier),
            expected_version=exc.expected,
            current_version=exc.current,
        )
    if isinstance(exc, DuplicateProfessionalError):
        return DuplicateProfessional(
            message=str(exc), existing_id=global_id("Professional", exc.existing_id)
        )
    if isinstance(exc, PermissionDeniedError):
        return Forbidden(message=exc.message)
    if isinstance(exc, IllegalTransitionError):
        return IllegalTransition(
            message=str(exc),
            entity=exc.entity,
            from_status=exc.current,
            to_status=exc.wanted,
            allowed=exc.allowed,
        )
    raise exc
