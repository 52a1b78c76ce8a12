"""A marker for "field not given" in update inputs, distinct from an explicit null."""

from __future__ import annotations

from enum import Enum
from typing import Final, Literal, TypeAlias


class _Unset(Enum):
    UNSET = "UNSET"


UNSET: Final = _Unset.UNSET
Unset: TypeAlias = Literal[_Unset.UNSET]
