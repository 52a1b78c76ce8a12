"""Column type for domain enums: portable (VARCHAR + named CHECK constraint) everywhere."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum


def enum_column(enum_cls: type[StrEnum], name: str) -> Enum:
    # Non-native: PostgreSQL ENUM types need their own migrations to add a value, a
    # CHECK constraint only needs the constraint replaced.
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )
