"""Finding professionals: filters, orderings and keyset pages."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from matching.normalise import fold
from registry.auth.principal import Principal
from registry.credentials.models import Qualification
from registry.pagination import KeysetOrder, Page, PageRequest, fetch_page
from registry.professionals import access
from registry.professionals.enums import LanguageLevel, ProtectionStatus
from registry.professionals.models import Citizenship, LanguageSkill, Professional
from registry.reference.catalog import ReferenceCatalog
from registry.validation import Checker


class ProfessionalOrder(StrEnum):
    NAME = "name"
    NAME_DESC = "name_desc"
    CREATED = "created"
    CREATED_DESC = "created_desc"


ORDERS = {
    ProfessionalOrder.NAME: KeysetOrder("name", [Professional.sort_name, Professional.id]),
    ProfessionalOrder.NAME_DESC: KeysetOrder(
        "name_desc", [Professional.sort_name, Professional.id], descending=True
    ),
    ProfessionalOrder.CREATED: KeysetOrder("created", [Professional.created_at, Professional.id]),
    ProfessionalOrder.CREATED_DESC: KeysetOrder(
        "created_desc", [Professional.created_at, Professional.id], descending=True
    ),
}


@dataclass(frozen=True, slots=True)
class LanguageFilter:
    code: str
    min_level: LanguageLevel = LanguageLevel.A1


@dataclass(frozen=True, slots=True)
class ProfessionalFilter:
    name: str | None = None
    occupations: Sequence[str] = ()
    training_countries: Sequence[str] = ()
    residence_countries: Sequence[str] = ()
    citizenships: Sequence[str] = ()
    languages: Sequence[LanguageFilter] = ()
    protection_statuses: Sequence[ProtectionStatus] = field(default_factory=tuple)


MAX_FILTER_VALUES = 50


def filter_clauses(
    catalog: ReferenceCatalog, spec: ProfessionalFilter
) -> list[ColumnElement[bool]]:
    """Validates a filter and turns it into SQL. Unknown codes are errors, not empty
    results: a typo in a country code must not look like "nobody"."""
    check = Checker(catalog, prefix="filter")
    clauses: list[ColumnElement[bool]] = []
    if spec.name is not None:
        name = check.text("name", spec.name, max_length=200)
        for token in fold(name).split():
            clauses.append(Professional.name_search.contains(token, autoescape=True))
    lists = {
        "occupations": spec.occupations,
        "trainingCountries": spec.training_countries,
        "residenceCountries": spec.residence_countries,
        "citizenships": spec.citizenships,
        "languages": spec.languages,
    }
    for name, values in lists.items():
        if len(values) > MAX_FILTER_VALUES:
            check.fail(name, "too_many", f"at most {MAX_FILTER_VALUES} values")
    check.raise_if_any()

    if spec.occupations:
        codes = _occupation_codes(check, spec.occupations)
        clauses.append(_has_qualification(Qualification.isco_code.in_(codes)))
    if spec.training_countries:
        countries = [
            check.country(f"trainingCountries[{i}]", c)
            for i, c in enumerate(spec.training_countries)
        ]
        clauses.append(_has_qualification(Qualification.training_country.in_(countries)))
    if spec.residence_countries:
        clauses.append(
            Professional.residence_country.in_(
                [
                    check.country(f"residenceCountries[{i}]", c)
                    for i, c in enumerate(spec.residence_countries)
                ]
            )
        )
    if spec.citizenships:
        codes = [check.country(f"citizenships[{i}]", c) for i, c in enumerate(spec.citizenships)]
        clauses.append(
            exists().where(
                Citizenship.professional_id == Professional.id, Citizenship.country_code.in_(codes)
            )
        )
    for i, wanted in enumerate(spec.languages):
        code = check.language(f"languages[{i}].code", wanted.code)
        clauses.append(
            exists().where(
                LanguageSkill.professional_id == Professional.id,
                LanguageSkill.language_code == code,
                LanguageSkill.level.in_(wanted.min_level.at_least()),
            )
        )
    if spec.protection_statuses:
        clauses.append(Professional.protection_status.in_(spec.protection_statuses))
    check.raise_if_any()
    return clauses


def _occupation_codes(check: Checker, codes: Sequence[str]) -> list[str]:
    """Accepts unit groups ("2221") and their parents ("222", "22")."""
    expanded: list[str] = []
    for i, code in enumerate(codes):
        code = code.strip()
        under = check.catalog.occupation_codes_under(code) if code.isdigit() else []
        if not under or len(code) > 4:
            check.fail(
                f"occupations[{i}]",
                "unknown_occupation",
                f"{code!r} is not an ISCO-08 health group",
            )
        expanded.extend(under)
    return expanded


def _has_qualification(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(Qualification.professional_id == Professional.id, condition)


async def search(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    spec: ProfessionalFilter,
    order: ProfessionalOrder,
    page: PageRequest,
    *,
    with_total: bool,
) -> Page[Professional]:
    where = and_(access.readable_clause(principal), *filter_clauses(catalog, spec))
    return await fetch_page(session, Professional, where, ORDERS[order], page, with_total)


async def get_many(
    session: AsyncSession, principal: Principal, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Professional]:
    """Batch read for node(id:) and nested edges, with the same access rule as lists."""
    rows = await session.scalars(
        select(Professional).where(Professional.id.in_(ids), access.readable_clause(principal))
    )
    return {p.id: p for p in rows}
