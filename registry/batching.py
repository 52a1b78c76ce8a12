"""Batch reads for nested fields: one statement per page of parents, rows handed back under
their parent's key."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def grouped(rows: Iterable[T], keys: Sequence[K], key: Callable[[T], K]) -> dict[K, list[T]]:
    """Every key present (an empty list when it has no rows), rows in the order read."""
    out: dict[K, list[T]] = {k: [] for k in keys}
    for row in rows:
        out[key(row)].append(row)
    return out
