"""Loads the shipped reference files into their tables. Idempotent: run at every start,
so a corrected data file takes effect without a migration."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from typing import Any

import pycountry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.db import Base
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
    return LoadReport(inserted, updated)


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
