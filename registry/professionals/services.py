"""Register, update and read professionals. Services flush but never commit: the request
boundary owns the transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from matching.normalise import fold
from registry.audit.services import record_event
from registry.auth.principal import Principal
from registry.db import utcnow
from registry.errors import DuplicateProfessionalError, NotFoundError, VersionConflictError
from registry.patch import UNSET, Unset, field_values
from registry.professionals import access
from registry.professionals.enums import LanguageLevel, ProtectionStatus, Sex
from registry.professionals.models import Citizenship, LanguageSkill, Professional
from registry.reference.catalog import ReferenceCatalog
from registry.validation import Checker

NAME_MAX = 200
MAX_AGE_YEARS = 110
MIN_AGE_YEARS = 16
MAX_CITIZENSHIPS = 5
MAX_LANGUAGES = 20


@dataclass(frozen=True, slots=True)
class LanguageInput:
    code: str
    level: LanguageLevel


@dataclass(frozen=True, slots=True)
class ProfessionalData:
    family_name: str
    given_names: str
    birth_date: date
    sex: Sex
    birth_country: str
    residence_country: str
    protection_status: ProtectionStatus
    citizenships: Sequence[str] = ()
    languages: Sequence[LanguageInput] = ()
    consent_to_placement: bool = False


@dataclass(frozen=True, slots=True)
class ProfessionalChanges:
    family_name: str | Unset = UNSET
    given_names: str | Unset = UNSET
    birth_date: date | Unset = UNSET
    sex: Sex | Unset = UNSET
    birth_country: str | Unset = UNSET
    residence_country: str | Unset = UNSET
    protection_status: ProtectionStatus | Unset = UNSET
    citizenships: Sequence[str] | Unset = UNSET
    languages: Sequence[LanguageInput] | Unset = UNSET
    consent_to_placement: bool | Unset = UNSET


def snapshot(p: Professional) -> dict[str, Any]:
    """The audit record of a professional: what changed is reconstructable from these."""
    return {
        "family_name": p.family_name,
        "given_names": p.given_names,
        "birth_date": p.birth_date.isoformat(),
        "sex": p.sex.value,
        "birth_country": p.birth_country,
        "residence_country": p.residence_country,
        "protection_status": p.protection_status.value,
        "citizenships": [c.country_code for c in p.citizenships],
        "languages": [[lang.language_code, lang.level.value] for lang in p.languages],
        "consent_to_placement": p.consent_to_placement,
        "version": p.version,
    }


async def register(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    data: ProfessionalData,
    *,
    today: date,
    allow_possible_duplicate: bool = False,
) -> Professional:
    check = Checker(catalog)
    values = _check_scalars(check, field_values(data), today)
    citizenships = _check_citizenships(check, data.citizenships)
    languages = _check_languages(check, data.languages)
    check.raise_if_any()
    access.require_writable_residence(principal, values["residence_country"])
    keys = _name_keys(values["family_name"], values["given_names"])
    if not allow_possible_duplicate:
        existing = await session.scalar(
            select(Professional.id).where(
                Professional.birth_date == values["birth_date"],
                Professional.birth_country == values["birth_country"],
                Professional.sort_name == keys["sort_name"],
            )
        )
        if existing is not None:
            raise DuplicateProfessionalError(str(existing))
    professional = Professional(**values, **keys)
    professional.citizenships = [Citizenship(country_code=c) for c in citizenships]
    professional.languages = [LanguageSkill(language_code=c, level=lv) for c, lv in languages]
    session.add(professional)
    await session.flush()
    await record_event(
        session,
        principal,
        "professional.registered",
        "Professional",
        str(professional.id),
        after=snapshot(professional),
    )
    return professional


async def update(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    professional_id: uuid.UUID,
    expected_version: int,
    changes: ProfessionalChanges,
    *,
    today: date,
) -> Professional:
    check = Checker(catalog)
    given = field_values(changes, given_only=True)
    values = _check_scalars(check, given, today)
    citizenships = (
        _check_citizenships(check, changes.citizenships)
        if changes.citizenships is not UNSET
        else None
    )
    languages = (
        _check_languages(check, changes.languages) if changes.languages is not UNSET else None
    )
    check.raise_if_any()

    professional = await get_for_update(session, principal, professional_id)
    if professional.version != expected_version:
        raise VersionConflictError(
            "Professional", str(professional_id), expected_version, professional.version
        )
    access.require_writable_residence(
        principal, values.get("residence_country", professional.residence_country)
    )
    before = snapshot(professional)
    for name, value in values.items():
        setattr(professional, name, value)
    for name, value in _name_keys(professional.family_name, professional.given_names).items():
        setattr(professional, name, value)
    if citizenships is not None:
        professional.citizenships = [Citizenship(country_code=c) for c in citizenships]
    if languages is not None:
        professional.languages = [LanguageSkill(language_code=c, level=lv) for c, lv in languages]
    # Collection-only edits would not dirty the row; touching it makes the mapper bump the
    # version under its "WHERE version = old" guard, so those edits are detected too.
    professional.updated_at = utcnow()
    await session.flush()
    await record_event(
        session,
        principal,
        "professional.updated",
        "Professional",
        str(professional.id),
        before=before,
        after=snapshot(professional),
    )
    return professional


async def get_for_update(
    session: AsyncSession, principal: Principal, professional_id: uuid.UUID
) -> Professional:
    """Loads a professional the principal may read, with its collections, or NotFound.
    A record the principal may not see is reported as not found: existence is private."""
    professional = await session.scalar(
        select(Professional)
        .where(Professional.id == professional_id, access.readable_clause(principal))
        .options(selectinload(Professional.citizenships), selectinload(Professional.languages))
    )
    if professional is None:
        raise NotFoundError("Professional", str(professional_id))
    return professional


def _name_keys(family_name: str, given_names: str) -> dict[str, str]:
    return {
        "name_search": fold(f"{given_names} {family_name}"),
        "sort_name": fold(f"{family_name} {given_names}"),
    }


def _check_scalars(check: Checker, given: dict[str, Any], today: date) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, graphql_name in (("family_name", "familyName"), ("given_names", "givenNames")):
        if name in given:
            values[name] = check.text(graphql_name, given[name], max_length=NAME_MAX)
    if "birth_date" in given:
        born: date = given["birth_date"]
        check.past_date("birthDate", born, today=today, max_years=MAX_AGE_YEARS)
        if born <= today and _age(born, today) < MIN_AGE_YEARS:
            check.fail("birthDate", "too_young", f"must be at least {MIN_AGE_YEARS} years ago")
        values["birth_date"] = born
    for name, graphql_name in (
        ("birth_country", "birthCountry"),
        ("residence_country", "residenceCountry"),
    ):
        if name in given:
            values[name] = check.country(graphql_name, given[name])
    for name in ("sex", "protection_status", "consent_to_placement"):
        if name in given:
            values[name] = given[name]
    return values


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _check_citizenships(check: Checker, codes: Sequence[str]) -> list[str]:
    if len(codes) > MAX_CITIZENSHIPS:
        check.fail("citizenships", "too_many", f"at most {MAX_CITIZENSHIPS} citizenships")
        return []
    result = [check.country(f"citizenships[{i}]", code) for i, code in enumerate(codes)]
    if len(set(result)) != len(result):
        check.fail("citizenships", "duplicate", "each country may appear once")
    return result


def _check_languages(
    check: Checker, languages: Sequence[LanguageInput]
) -> list[tuple[str, LanguageLevel]]:
    if len(languages) > MAX_LANGUAGES:
        check.fail("languages", "too_many", f"at most {MAX_LANGUAGES} languages")
        return []
    result = [
        (check.language(f"languages[{i}].code", lang.code), lang.level)
        for i, lang in enumerate(languages)
    ]
    if len({code for code, _ in result}) != len(result):
        check.fail("languages", "duplicate", "each language may appear once")
    return result
