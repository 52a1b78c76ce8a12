"""GET /exports/statistics.csv and .json: the workforce statistics as files, with the
same filters (query parameters) and token rules as the GraphQL field."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from registry.auth.principal import Principal
from registry.errors import DomainError, FieldIssue, PermissionDeniedError, ValidationFailedError
from registry.statistics.dimensions import Dimension
from registry.statistics.indicators import (
    StatisticsFilter,
    export_columns,
    tidy_rows,
    workforce_statistics,
)
from schema.context import Context

if TYPE_CHECKING:
    from schema.app import AppState

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


async def statistics_export(request: Request) -> Response:
    fmt = request.path_params["format"]
    if fmt not in FORMATS:
        return JSONResponse({"error": "use statistics.csv or statistics.json"}, status_code=404)
    principal: Principal = request.state.principal  # set by the guard
    state: AppState = request.app.state.registry
    try:
        group_by, spec = _parameters(request)
        async with state.session_factory() as session:
            cells = await workforce_statistics(
                session,
                state.catalog,
                principal,
                spec,
                group_by,
                today=Context.today(),
                min_cell=state.settings.min_cell_size,
            )
    except PermissionDeniedError as exc:
        return JSONResponse({"error": exc.message}, status_code=403)
    except ValidationFailedError as exc:
        issues = [{"field": i.field, "code": i.code, "message": i.message} for i in exc.issues]
        return JSONResponse({"error": "invalid parameters", "issues": issues}, status_code=400)
    except DomainError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    rows = tidy_rows(cells, group_by)
    if fmt == "json":
        return JSONResponse({"group_by": [d.value for d in group_by], "rows": rows})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=export_columns(group_by), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return Response(out.getvalue(), media_type=FORMATS["csv"])


def _parameters(request: Request) -> tuple[list[Dimension], StatisticsFilter]:
    """``groupBy=host_country,occupation&hostCountries=DE,FR&occupations=nurses&years=2025``"""
    params = request.query_params
    issues: list[FieldIssue] = []
    group_by: list[Dimension] = []
    for raw in _list(params.get("groupBy", "")):
        try:
            group_by.append(Dimension(raw.lower()))
        except ValueError:
            issues.append(FieldIssue("groupBy", "unknown_dimension", f"{raw!r} is not a dimension"))
    years: list[int] = []
    for raw in _list(params.get("years", "")):
        if raw.isdigit():
            years.append(int(raw))
        else:
            issues.append(FieldIssue("years", "not_a_year", f"{raw!r} is not a year"))
    if issues:
        raise ValidationFailedError(issues)
    spec = StatisticsFilter(
        _list(params.get("hostCountries", "")), _list(params.get("occupations", "")), years
    )
    return group_by, spec


def _list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()][:100]
