"""SQL the two backends spell differently."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class utc_year(FunctionElement[int]):
    """The UTC calendar year of a timestamp. PostgreSQL's EXTRACT would use the session's
    time zone; this form is also the immutable expression the planner has statistics on
    (migration 0004), which lets it aggregate a million rows in parallel."""

    type = Integer()
    inherit_cache = True


@compiles(utc_year, "postgresql")
def _utc_year_postgresql(element: utc_year, compiler: SQLCompiler, **kw: Any) -> str:
    (column,) = element.clauses
    return (
        f"CAST(EXTRACT(YEAR FROM ({compiler.process(column, **kw)} AT TIME ZONE 'UTC')) AS INTEGER)"
    )


@compiles(utc_year, "sqlite")
def _utc_year_sqlite(element: utc_year, compiler: SQLCompiler, **kw: Any) -> str:
    (column,) = element.clauses
    # Stored as UTC text by registry.db.UTCDateTime.
    return f"CAST(strftime('%Y', {compiler.process(column, **kw)}) AS INTEGER)"
