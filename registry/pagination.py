"""Keyset (cursor) pagination shared by every connection.

A cursor carries the ordering it was issued for and the sort-key values of its row, so
the next page is one indexed range scan, however deep the client pages.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from registry.errors import FieldIssue, ValidationFailedError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PageRequest:
    first: int
    after: str | None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool
    total_count: int | None


@dataclass(frozen=True, slots=True)
class KeysetOrder:
    """Columns that totally order a table (the last one unique) and a direction."""

    name: str
    columns: Sequence[InstrumentedAttribute[Any]]
    descending: bool = False

    def order_by(self) -> list[ColumnElement[Any]]:
        return [c.desc() if self.descending else c.asc() for c in self.columns]

    def after(self, values: Sequence[Any]) -> ColumnElement[bool]:
        """Rows strictly after ``values``, written as nested OR/AND rather than a row-value
        comparison so that mixed directions and both backends behave the same."""
        clauses: list[ColumnElement[bool]] = []
        for i, column in enumerate(self.columns):
            equal = [self.columns[j] == values[j] for j in range(i)]
            beyond = column < values[i] if self.descending else column > values[i]
            clauses.append(and_(*equal, beyond))
        return or_(*clauses)

    def key(self, row: Any) -> list[Any]:
        return [getattr(row, c.key) for c in self.columns]


def validate_page(first: int, after: str | None, max_page_size: int) -> PageRequest:
    if first < 1 or first > max_page_size:
        raise ValidationFailedError(
            [FieldIssue("first", "out_of_range", f"first must be between 1 and {max_page_size}")]
        )
    return PageRequest(first, after)


def encode_cursor(order: KeysetOrder, row: Any) -> str:
    return encode_key(order.name, order.key(row))


def encode_key(name: str, values: Sequence[Any]) -> str:
    """A cursor for ordering ``name`` positioned at the sort-key ``values``."""
    payload = {"o": name, "k": [_to_json(v) for v in values]}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(order: KeysetOrder, cursor: str) -> list[Any]:
    return decode_key(order.name, cursor, [c.type.python_type for c in order.columns])


def decode_key(name: str, cursor: str, types: Sequence[type]) -> list[Any]:
    def bad(message: str) -> ValidationFailedError:
        return ValidationFailedError([FieldIssue("after", "invalid_cursor", message)])

    if len(cursor) > 1000:
        raise bad("cursor is too long")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise bad("cursor is not one this API issued") from exc
    if not isinstance(payload, dict) or payload.get("o") != name:
        raise bad(f"cursor was not issued for ordering {name}")
    values = payload.get("k")
    if not isinstance(values, list) or len(values) != len(types):
        raise bad("cursor is not one this API issued")
    try:
        return [_from_json(t, v) for t, v in zip(types, values, strict=True)]
    except (TypeError, ValueError) as exc:
        raise bad("cursor is not one this API issued") from exc


def apply_keyset(statement: Select[Any], order: KeysetOrder, request: PageRequest) -> Select[Any]:
    if request.after is not None:
        statement = statement.where(order.after(decode_cursor(order, request.after)))
    # One row more than asked tells whether a next page exists without a count.
    return statement.order_by(*order.order_by()).limit(request.first + 1)


def build_page(
    rows: Sequence[T], order: KeysetOrder, request: PageRequest, total_count: int | None
) -> Page[T]:
    return build_keyed_page(rows, order.name, order.key, request, total_count)


def build_keyed_page(
    rows: Sequence[T],
    name: str,
    key: Callable[[T], Sequence[Any]],
    request: PageRequest,
    total_count: int | None,
) -> Page[T]:
    """A page from up to ``first + 1`` rows in order; ``key`` gives a row's sort key."""
    items = list(rows[: request.first])
    return Page(
        items=items,
        cursors=[encode_key(name, key(item)) for item in items],
        has_next_page=len(rows) > request.first,
        has_previous_page=request.after is not None,
        total_count=total_count,
    )


async def fetch_page(
    session: AsyncSession,
    entity: type[T],
    where: ColumnElement[bool],
    order: KeysetOrder,
    request: PageRequest,
    with_total: bool,
) -> Page[T]:
    """One page of ``entity`` rows matching ``where``. The total rides along as an
    uncorrelated scalar subquery, evaluated once by both backends: one round trip for the
    page and its count (a second only when the page is empty)."""
    statement = select(entity).where(where)
    if with_total:
        total = select(func.count()).select_from(entity).where(where).scalar_subquery()
        statement = statement.add_columns(total.label("total_count"))
    rows = (await session.execute(apply_keyset(statement, order, request))).all()
    total_count: int | None = None
    if with_total:
        total_count = (
            rows[0][1]
            if rows
            else await session.scalar(select(func.count()).select_from(entity).where(where))
        )
    return build_page([row[0] for row in rows], order, request, total_count)


def _to_json(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _from_json(python_type: type, value: Any) -> Any:
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is uuid.UUID:
        return uuid.UUID(value)
    if not isinstance(value, python_type):
        raise TypeError("cursor value of the wrong type")
    return value
