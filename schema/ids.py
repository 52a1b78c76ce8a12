"""Relay global IDs: base64 of "TypeName:uuid"."""

from __future__ import annotations

import base64
import binascii
import uuid

import strawberry


class InvalidGlobalIdError(ValueError):
    pass


def to_global_id(type_name: str, identifier: uuid.UUID) -> strawberry.ID:
    raw = f"{type_name}:{identifier}".encode()
    return strawberry.ID(base64.b64encode(raw).decode())


def from_global_id(value: str) -> tuple[str, uuid.UUID]:
    if len(value) > 200:
        raise InvalidGlobalIdError("is not an ID issued by this API")
    try:
        decoded = base64.b64decode(value, validate=True).decode()
        type_name, _, raw_id = decoded.partition(":")
        return type_name, uuid.UUID(raw_id)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidGlobalIdError("is not an ID issued by this API") from None


def expect_global_id(value: str, type_name: str) -> uuid.UUID:
    found, identifier = from_global_id(value)
    if found != type_name:
        raise InvalidGlobalIdError(f"is an ID of a {found}, not of a {type_name}")
    return identifier
