"""A marker for "field not given" in update inputs, distinct from an explicit null."""

from __future__ import annotations

from dataclasses import fields
from enum import Enum
from typing import Any, Final, Literal, TypeAlias


class _Unset(Enum):
    UNSET = "UNSET"


UNSET: Final = _Unset.UNSET
Unset: TypeAlias = Literal[_Unset.UNSET]


def field_values(obj: Any, *, given_only: bool = False) -> dict[str, Any]:
    """A dataclass's fields as a shallow dict (``asdict`` would convert nested inputs),
    leaving out UNSET ones when ``given_only``."""
    values = {f.name: getattr(obj, f.name) for f in fields(obj)}
    if given_only:
        return {k: v for k, v in values.items() if v is not UNSET}
    return values
