"""Loads the shipped reference files into their tables. Idempotent: run at every start,
so a corrected data file takes effect without a migration."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import pycountry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.db import Base
from registry.recruitment.models import SafeguardListCountry, SafeguardListEdition
from registry.reference.models import Country, Occupation

DATA = resources.files("registry.reference") / "data"


def read_csv(name: str) -> list[dict[str, str]]:
    text = (DATA / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def country_rows() -> list[dict[str, Any]]:
    regions = {row["iso2"]: row["who_region"] for row in read_csv("who_regions.csv")}
    return [
        {
            "code": c.alpha_2,
            "alpha3": c.alpha_3,
            "name": getattr(c, "common_name", None) or c.name,
            "who_region": regions.get(c.alpha_2),
        }
        for c in pycountry.countries
    ]


def occupation_rows() -> list[dict[str, Any]]:
    return [
        {
            "isco_code": row["isco_code"],
            "title_en": row["title"],
            "title_fr": row["title_fr"],
            "title_es": row["title_es"],
            "level": row["level"],
            "human_health": row["human_health"] == "yes",
            "sub_major_group": row["sub_major_group"],
        }
        for row in read_csv("isco08_health.csv")
    ]


@dataclass(frozen=True, slots=True)
class LoadReport:
    inserted: int
    updated: int


async def load_reference_data(session: AsyncSession) -> LoadReport:
    inserted = updated = 0
    for model, key, rows in (
        (Country, "code", country_rows()),
        (Occupation, "isco_code", occupation_rows()),
    ):
        i, u = await _upsert(session, model, key, rows)
        inserted += i
        updated += u
    await session.flush()
    inserted += await load_shipped_safeguard_list(session)
    return LoadReport(inserted, updated)


SHIPPED_EDITION = 2023
SHIPPED_EFFECTIVE_FROM = date(2023, 3, 23)
SHIPPED_CRITERIA = (
    "Density of medical doctors, nursing and midwifery personnel below the global median "
    "(49 per 10 000 population) and UHC service coverage index below 55"
)
SHIPPED_SOURCE = (
    "WHO Health Workforce Support and Safeguards List 2023 (55 countries), transcribed from "
    "the UK Code of Practice list of 23 March 2023 (safeguard_list_2023.csv)"
)


async def load_shipped_safeguard_list(session: AsyncSession) -> int:
    """The 2023 edition ships with the registry. It is added once: later editions (and a
    corrected 2023) are loaded by an administrator, which re-judges recruitments."""
    if await session.get(SafeguardListEdition, SHIPPED_EDITION) is not None:
        return 0
    session.add(
        SafeguardListEdition(
            year=SHIPPED_EDITION,
            effective_from=SHIPPED_EFFECTIVE_FROM,
            criteria=SHIPPED_CRITERIA,
            source=SHIPPED_SOURCE,
        )
    )
    await session.flush()
    codes = [row["iso2"] for row in read_csv("safeguard_list_2023.csv")]
    session.add_all(
        SafeguardListCountry(edition_year=SHIPPED_EDITION, country_code=c) for c in codes
    )
    await session.flush()
    return 1 + len(codes)


async def _upsert(
    session: AsyncSession, model: type[Base], key: str, rows: list[dict[str, Any]]
) -> tuple[int, int]:
    existing = {getattr(obj, key): obj for obj in (await session.scalars(select(model))).all()}
    inserted = updated = 0
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            session.add(model(**row))
            inserted += 1
            continue
        changed = False
        for name, value in row.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        updated += changed
    return inserted, updated
