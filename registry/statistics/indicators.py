"""Workforce-migration indicators from the registry, beside OECD national figures.

Definitions (the README repeats them for users):
- a professional is counted once, in their country of residence (the host country), under
  their primary occupation (that of their latest credential with one) and that
  credential's country of training;
- stock in year Y: professionals registered by 31 December Y;
- foreign-trained (NHWA 1-08): primary credential earned outside the host country;
  foreign-born (NHWA 1-07): born outside the host country; shares are of the stock;
- trained in safeguard-list countries: primary credential earned in a country on the
  edition in force on 31 December Y;
- inflow in Y: recognitions (full or conditional) granted in Y by the host country, by the
  case's occupation; refused: refusals decided in Y; pending: cases submitted by the end of
  Y and not decided by then (withdrawn ones excluded).
Without the YEAR dimension, stock and pending are at the end of the last year asked for,
and inflow and refusals are summed over the years asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, extract, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from registry.accreditation.enums import CaseStatus
from registry.accreditation.models import RecognitionCase
from registry.auth.models import Role
from registry.auth.principal import Principal
from registry.errors import PermissionDeniedError
from registry.professionals.models import Professional
from registry.recruitment.models import SafeguardListCountry, SafeguardListEdition
from registry.reference.catalog import ReferenceCatalog
from registry.statistics.dimensions import (
    GROUP_OF,
    OCCUPATION_GROUPS,
    OECD_FOREIGN_TRAINED,
    OECD_TOTALS,
    UNKNOWN,
    Dimension,
)
from registry.statistics.models import OecdFigure
from registry.statistics.sql import utc_year
from registry.statistics.suppression import suppress
from registry.validation import Checker

MEASURES = (
    "stock",
    "foreign_trained",
    "foreign_born",
    "trained_in_listed",
    "inflow",
    "cases_refused",
    "cases_pending",
)
SUB_COUNTS = {"foreign_trained": "stock", "foreign_born": "stock", "trained_in_listed": "stock"}
SHARES = {
    "foreign_trained_share": "foreign_trained",
    "foreign_born_share": "foreign_born",
    "trained_in_listed_share": "trained_in_listed",
}
MAX_YEARS = 30
PERSON_COLUMNS: dict[Dimension, Any] = {
    Dimension.HOST_COUNTRY: Professional.residence_country,
    Dimension.OCCUPATION: Professional.primary_isco_code,
    Dimension.OCCUPATION_GROUP: Professional.primary_isco_code,
    Dimension.TRAINING_COUNTRY: Professional.primary_training_country,
    Dimension.TRAINING_REGION: Professional.primary_training_country,
    Dimension.BIRTH_COUNTRY: Professional.birth_country,
    Dimension.SEX: Professional.sex,
    Dimension.PROTECTION_STATUS: Professional.protection_status,
}
CASE_COLUMNS: dict[Dimension, Any] = PERSON_COLUMNS | {
    Dimension.HOST_COUNTRY: RecognitionCase.host_country,
    Dimension.OCCUPATION: RecognitionCase.isco_code,
    Dimension.OCCUPATION_GROUP: RecognitionCase.isco_code,
}
GRANTED = (CaseStatus.RECOGNISED.value, CaseStatus.CONDITIONALLY_RECOGNISED.value)


@dataclass(frozen=True, slots=True)
class StatisticsFilter:
    host_countries: Sequence[str] = ()
    occupations: Sequence[str] = ()  # ISCO-08 unit groups or group names ("nurses")
    years: Sequence[int] = ()


@dataclass(slots=True)
class Cell:
    keys: dict[Dimension, str]
    counts: dict[str, int | None] = field(default_factory=dict)
    oecd_stock: float | None = None
    oecd_foreign_trained: float | None = None

    def share(self, name: str) -> float | None:
        part, stock = self.counts.get(SHARES[name]), self.counts.get("stock")
        if part is None or not stock:
            return None
        return part / stock


async def workforce_statistics(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    spec: StatisticsFilter,
    group_by: Sequence[Dimension],
    *,
    today: date,
    min_cell: int,
) -> list[Cell]:
    if principal.role not in (Role.ADMIN, Role.RESEARCHER):
        raise PermissionDeniedError(f"role {principal.role.value} cannot see workforce statistics")
    dims = list(dict.fromkeys(group_by))
    hosts, codes, years = _validated(catalog, spec, today)
    editions = await _editions(session)
    cells: dict[tuple[str, ...], Cell] = {}

    def cell(key: tuple[str, ...]) -> Cell:
        if key not in cells:
            cells[key] = Cell(dict(zip(dims, key, strict=True)), dict.fromkeys(MEASURES, 0))
        return cells[key]

    await _add_people(session, catalog, dims, hosts, codes, years, editions, cell)
    await _add_cases(session, catalog, dims, hosts, codes, years, cell)
    await _add_oecd(session, dims, cells)
    if principal.role is Role.RESEARCHER:
        withheld = suppress({k: c.counts for k, c in cells.items()}, MEASURES, SUB_COUNTS, min_cell)
        for key, c in cells.items():
            c.counts = withheld[key]
    return [cells[k] for k in sorted(cells)]


def _validated(
    catalog: ReferenceCatalog, spec: StatisticsFilter, today: date
) -> tuple[list[str], list[str], list[int]]:
    check = Checker(catalog, prefix="filter")
    hosts = [check.country(f"hostCountries[{i}]", c) for i, c in enumerate(spec.host_countries)]
    codes: list[str] = []
    for i, raw in enumerate(spec.occupations):
        value = raw.strip().lower()
        if value in OCCUPATION_GROUPS:
            codes.extend(sorted(OCCUPATION_GROUPS[value]))
        else:
            codes.append(check.occupation(f"occupations[{i}]", raw))
    years = sorted(set(spec.years)) or [today.year]
    if len(years) > MAX_YEARS:
        check.fail("years", "too_many", f"at most {MAX_YEARS} years")
    for i, year in enumerate(years):
        if not 1990 <= year <= today.year:
            check.fail(f"years[{i}]", "out_of_range", f"must be between 1990 and {today.year}")
    check.raise_if_any()
    return hosts, codes, years


async def _editions(session: AsyncSession) -> list[tuple[int, date]]:
    rows = await session.execute(
        select(SafeguardListEdition.year, SafeguardListEdition.effective_from)
    )
    return sorted((year, effective) for year, effective in rows)


def _edition_at_end_of(editions: list[tuple[int, date]], year: int) -> int | None:
    current = [(eff, y) for y, eff in editions if eff <= date(year, 12, 31)]
    return max(current)[1] if current else None


def _key(
    catalog: ReferenceCatalog, dims: list[Dimension], base: dict[Dimension, Any], year: int
) -> tuple[str, ...] | None:
    """The cell a grouped row falls in; None when it belongs to no cell (an occupation
    outside the named groups, under OCCUPATION_GROUP)."""
    key: list[str] = []
    for d in dims:
        if d is Dimension.YEAR:
            key.append(str(year))
            continue
        value = base[d]
        if d is Dimension.OCCUPATION_GROUP:
            value = GROUP_OF.get(value) if value else None
            if value is None:
                return None
        elif d is Dimension.TRAINING_REGION:
            info = catalog.country(value) if value else None
            value = info.who_region if info and info.who_region else None
        key.append(str(value) if value is not None else UNKNOWN)
    return tuple(key)


def _keys_by_year(
    catalog: ReferenceCatalog, dims: list[Dimension], base: dict[Dimension, Any], years: list[int]
) -> dict[int, tuple[str, ...]]:
    """The cell of a grouped row in each year, resolving its dimensions once."""
    if not years:
        return {}
    key = _key(catalog, dims, base, years[0])
    if key is None:
        return {}
    if Dimension.YEAR not in dims:
        return {years[-1]: key}
    at = dims.index(Dimension.YEAR)
    return {y: (*key[:at], str(y), *key[at + 1 :]) for y in years}


def _years_for(dims: list[Dimension], years: list[int]) -> list[int]:
    return years if Dimension.YEAR in dims else [years[-1]]


async def _add_people(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    dims: list[Dimension],
    hosts: list[str],
    codes: list[str],
    years: list[int],
    editions: list[tuple[int, date]],
    cell: Any,
) -> None:
    base = [d for d in dims if d is not Dimension.YEAR]
    columns = [PERSON_COLUMNS[d].label(d.value) for d in base]
    registered = utc_year(Professional.created_at)
    listed = {
        year: func.sum(
            case(
                (
                    Professional.primary_training_country.in_(
                        select(SafeguardListCountry.country_code).where(
                            SafeguardListCountry.edition_year == year
                        )
                    ),
                    1,
                ),
                else_=0,
            )
        ).label(f"listed_{year}")
        for year, _ in editions
    }
    where: list[ColumnElement[bool]] = [
        Professional.created_at < datetime(years[-1] + 1, 1, 1, tzinfo=UTC)
    ]
    if hosts:
        where.append(Professional.residence_country.in_(hosts))
    if codes:
        where.append(Professional.primary_isco_code.in_(codes))
    statement = (
        select(
            *columns,
            registered.label("registered"),
            func.count().label("stock"),
            func.sum(
                case(
                    (
                        and_(
                            Professional.primary_training_country.is_not(None),
                            Professional.primary_training_country != Professional.residence_country,
                        ),
                        1,
                    ),
                    else_=0,
                )
            ).label("foreign_trained"),
            func.sum(
                case((Professional.birth_country != Professional.residence_country, 1), else_=0)
            ).label("foreign_born"),
            *listed.values(),
        )
        .where(*where)
        .group_by(*columns, registered)
    )
    # A row registered in year R counts in the stock of every year asked for from R on:
    # the cumulation is done here, over a thousand grouped rows, not in SQL over a million.
    asked = _years_for(dims, years)
    listed_column = {y: f"listed_{e}" for y in asked if (e := _edition_at_end_of(editions, y))}
    for row in await session.execute(statement):
        values: dict[Dimension, Any] = {d: getattr(row, d.value) for d in base}
        added = {
            "stock": row.stock,
            "foreign_trained": int(row.foreign_trained or 0),
            "foreign_born": int(row.foreign_born or 0),
        }
        keys = _keys_by_year(catalog, dims, values, [y for y in asked if y >= row.registered])
        for year, key in keys.items():
            target = cell(key).counts
            for measure, n in added.items():
                target[measure] += n
            if year in listed_column:
                target["trained_in_listed"] += int(getattr(row, listed_column[year]) or 0)


async def _add_cases(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    dims: list[Dimension],
    hosts: list[str],
    codes: list[str],
    years: list[int],
    cell: Any,
) -> None:
    base = [d for d in dims if d is not Dimension.YEAR]
    columns = [CASE_COLUMNS[d].label(d.value) for d in base]
    decided = extract("year", RecognitionCase.decided_on)
    submitted = extract("year", RecognitionCase.submitted_on)
    where: list[ColumnElement[bool]] = [
        RecognitionCase.status != CaseStatus.WITHDRAWN,
        RecognitionCase.submitted_on <= date(years[-1], 12, 31),
    ]
    if hosts:
        where.append(RecognitionCase.host_country.in_(hosts))
    if codes:
        where.append(RecognitionCase.isco_code.in_(codes))
    statement = select(
        *columns,
        RecognitionCase.status.label("status"),
        decided.label("decided"),
        submitted.label("submitted"),
        func.count().label("n"),
    ).select_from(RecognitionCase)
    if any(CASE_COLUMNS[d].class_ is Professional for d in base):
        statement = statement.join(Professional, Professional.id == RecognitionCase.professional_id)
    statement = statement.where(true(), *where).group_by(
        *columns, RecognitionCase.status, decided, submitted
    )
    for row in await session.execute(statement):
        values: dict[Dimension, Any] = {d: getattr(row, d.value) for d in base}
        status = str(row.status)
        decided_in = int(row.decided) if row.decided is not None else None
        for year in years:
            at_end = Dimension.YEAR in dims or year == years[-1]
            added = {
                "inflow": row.n if decided_in == year and status in GRANTED else 0,
                "cases_refused": row.n
                if decided_in == year and status == CaseStatus.REFUSED.value
                else 0,
                "cases_pending": row.n
                if at_end
                and int(row.submitted) <= year
                and (decided_in is None or decided_in > year)
                else 0,
            }
            if not any(added.values()):
                continue
            key = _key(catalog, dims, values, year if Dimension.YEAR in dims else years[-1])
            if key is None:
                continue
            counts = cell(key).counts
            for measure, n in added.items():
                counts[measure] += n


async def _add_oecd(
    session: AsyncSession, dims: list[Dimension], cells: dict[tuple[str, ...], Cell]
) -> None:
    """OECD figures sit beside cells that name a host country, a year and a group of
    doctors or nurses, and nothing OECD does not count (sex, birth, protection status)."""
    needed = {Dimension.HOST_COUNTRY, Dimension.YEAR, Dimension.OCCUPATION_GROUP}
    allowed = needed | {Dimension.TRAINING_COUNTRY}
    if not needed <= set(dims) or not set(dims) <= allowed or not cells:
        return
    by_origin = Dimension.TRAINING_COUNTRY in dims
    hosts = {c.keys[Dimension.HOST_COUNTRY] for c in cells.values()}
    years = {int(c.keys[Dimension.YEAR]) for c in cells.values()}
    figures: dict[tuple[str, str, str, int], float] = {}
    for f in await session.scalars(
        select(OecdFigure).where(OecdFigure.destination.in_(hosts), OecdFigure.year.in_(years))
    ):
        figures[(f.destination, f.variable, f.origin, f.year)] = f.value
    for c in cells.values():
        host, year = c.keys[Dimension.HOST_COUNTRY], int(c.keys[Dimension.YEAR])
        group = c.keys[Dimension.OCCUPATION_GROUP]
        if not by_origin:
            total = next((v for v, g in OECD_TOTALS.items() if g == group), None)
            c.oecd_stock = figures.get((host, total, "", year)) if total else None
        foreign = next((v for v, g in OECD_FOREIGN_TRAINED.items() if g == group), None)
        if foreign is None:
            continue
        if by_origin:
            c.oecd_foreign_trained = figures.get(
                (host, foreign, c.keys[Dimension.TRAINING_COUNTRY], year)
            )
        else:
            values = [
                v for (h, var, _, y), v in figures.items() if (h, var, y) == (host, foreign, year)
            ]
            c.oecd_foreign_trained = sum(values) if values else None


def tidy_rows(cells: list[Cell], group_by: list[Dimension]) -> list[dict[str, Any]]:
    """Exports: a column per dimension, then every measure; stable names."""
    rows = []
    for c in cells:
        row: dict[str, Any] = {d.value: c.keys.get(d, "") for d in group_by}
        for m in MEASURES:
            row[m] = c.counts.get(m)
        for share in SHARES:
            row[share] = c.share(share)
        row["oecd_stock"] = c.oecd_stock
        row["oecd_foreign_trained"] = c.oecd_foreign_trained
        rows.append(row)
    return rows


def export_columns(group_by: list[Dimension]) -> list[str]:
    return [
        *(d.value for d in group_by),
        *MEASURES,
        *SHARES,
        "oecd_stock",
        "oecd_foreign_trained",
    ]
