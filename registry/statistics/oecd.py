"""Loading OECD HEALTH_WFMI figures (the format of the OECD.Stat export): one row per
destination, variable, country of training (for FTDS) and year. A file with a bad row is
rejected whole, with every bad line named, unless the caller asks to skip bad rows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit.services import record_event
from registry.auth.principal import Principal
from registry.errors import FieldIssue, Issues
from registry.recruitment.access import require_admin
from registry.reference.catalog import ReferenceCatalog
from registry.statistics.dimensions import OECD_FOREIGN_TRAINED, OECD_TOTALS
from registry.statistics.models import OecdFigure

COLUMNS = ("destination_iso3", "variable_code", "origin_code", "year", "value")
VARIABLES = frozenset(OECD_TOTALS) | frozenset(OECD_FOREIGN_TRAINED)


@dataclass(frozen=True, slots=True)
class OecdLoad:
    inserted: int
    updated: int
    skipped: tuple[FieldIssue, ...]


async def load(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    text: str,
    *,
    skip_bad_rows: bool = False,
) -> OecdLoad:
    require_admin(principal, "loads OECD figures")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    issues = Issues()
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        issues.add("csv", "missing_column", f"missing columns: {', '.join(missing)}")
        issues.raise_if_any()
    by_alpha3 = {c.alpha3: c.code for c in catalog.countries.values()}
    rows: dict[tuple[str, str, str, int], float] = {}
    for line, row in enumerate(reader, start=2):
        parsed = _parse(row, by_alpha3, issues, f"csv.line[{line}]")
        if parsed is not None:
            key, value = parsed
            rows[key] = value
    if issues and not skip_bad_rows:
        issues.raise_if_any()
    existing = {
        (f.destination, f.variable, f.origin, f.year): f
        for f in await session.scalars(
            select(OecdFigure).where(OecdFigure.destination.in_({k[0] for k in rows}))
        )
    }
    inserted = updated = 0
    for key, value in rows.items():
        found = existing.get(key)
        if found is None:
            session.add(
                OecdFigure(
                    destination=key[0], variable=key[1], origin=key[2], year=key[3], value=value
                )
            )
            inserted += 1
        elif found.value != value:
            found.value = value
            updated += 1
    await session.flush()
    await record_event(
        session,
        principal,
        "oecd.loaded",
        "OecdFigure",
        "HEALTH_WFMI",
        after={"inserted": inserted, "updated": updated, "skipped": len(issues.items)},
    )
    return OecdLoad(inserted, updated, issues.items)


def _parse(
    row: dict[str, str], by_alpha3: dict[str, str], issues: Issues, where: str
) -> tuple[tuple[str, str, str, int], float] | None:
    variable = (row.get("variable_code") or "").strip()
    if variable not in VARIABLES:
        return None  # other HEALTH_WFMI variables are not used here
    destination = by_alpha3.get((row.get("destination_iso3") or "").strip().upper())
    if destination is None:
        issues.add(where, "unknown_country", f"destination {row.get('destination_iso3')!r}")
        return None
    origin = ""
    if variable in OECD_FOREIGN_TRAINED:
        origin = by_alpha3.get((row.get("origin_code") or "").strip().upper(), "")
        if not origin:
            # OECD aggregates ("Total", regional sums) are not countries of training.
            return None
    try:
        year = int(row.get("year") or "")
        value = float(row.get("value") or "")
    except ValueError:
        issues.add(where, "not_a_number", "year and value must be numbers")
        return None
    if not 1950 <= year <= 2100 or value < 0:
        issues.add(where, "out_of_range", "year 1950-2100 and a value of 0 or more")
        return None
    return (destination, variable, origin, year), value
