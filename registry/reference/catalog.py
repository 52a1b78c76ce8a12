"""An in-memory, read-only view of the reference tables, built once per app.

Reference data is small (250 countries, 34 occupations) and changes only when a new
edition is loaded, so nested `country` and `occupation` fields cost no SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.reference.models import Country, Occupation


@dataclass(frozen=True, slots=True)
class CountryInfo:
    code: str
    alpha3: str
    name: str
    who_region: str | None


@dataclass(frozen=True, slots=True)
class OccupationInfo:
    isco_code: str
    title_en: str
    title_fr: str
    title_es: str
    level: str
    human_health: bool
    sub_major_group: str


@dataclass(frozen=True, slots=True)
class LanguageInfo:
    code: str  # ISO 639-3
    name: str


class ReferenceCatalog:
    def __init__(self, countries: list[CountryInfo], occupations: list[OccupationInfo]) -> None:
        self.countries = {c.code: c for c in countries}
        self.occupations = {o.isco_code: o for o in occupations}

    @classmethod
    async def load(cls, session: AsyncSession) -> ReferenceCatalog:
        countries = (await session.scalars(select(Country).order_by(Country.code))).all()
        occupations = (
            await session.scalars(select(Occupation).order_by(Occupation.isco_code))
        ).all()
        return cls(
            [CountryInfo(c.code, c.alpha3, c.name, c.who_region) for c in countries],
            [
                OccupationInfo(
                    o.isco_code,
                    o.title_en,
                    o.title_fr,
                    o.title_es,
                    o.level,
                    o.human_health,
                    o.sub_major_group,
                )
                for o in occupations
            ],
        )

    def country(self, code: str) -> CountryInfo | None:
        return self.countries.get(code)

    def occupation(self, code: str) -> OccupationInfo | None:
        return self.occupations.get(code)

    def occupation_codes_under(self, prefix: str) -> list[str]:
        """ISCO codes at or below a group: "22" -> every health professional unit group."""
        return sorted(code for code in self.occupations if code.startswith(prefix))


@cache
def language(code: str) -> LanguageInfo | None:
    """ISO 639-1 ("uk") or 639-3 ("ukr", "prs") -> the 639-3 entry; None if unknown."""
    if not code.isascii() or not code.isalpha() or len(code) not in (2, 3):
        return None
    code = code.lower()
    entry = (
        pycountry.languages.get(alpha_2=code)
        if len(code) == 2
        else pycountry.languages.get(alpha_3=code)
    )
    if entry is None:
        return None
    return LanguageInfo(entry.alpha_3, entry.name)
