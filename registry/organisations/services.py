"""Create and read organisations. Only an admin registers one: a token scoped to an
organisation acts for it, so who exists as an authority is a registry decision."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit.services import record_event, snapshot
from registry.auth.models import Role
from registry.auth.principal import Principal
from registry.errors import NotFoundError, PermissionDeniedError, VersionConflictError
from registry.organisations.enums import OrganisationKind
from registry.organisations.models import Organisation
from registry.patch import UNSET, Unset, field_values
from registry.reference.catalog import ReferenceCatalog
from registry.validation import Checker

NAME_MAX = 300


@dataclass(frozen=True, slots=True)
class OrganisationData:
    kind: OrganisationKind
    name: str
    country: str
    subdivision: str | None = None
    authorisation: str | None = None
    authorised_until: date | None = None
    charges_candidate_fees: bool = False


@dataclass(frozen=True, slots=True)
class OrganisationChanges:
    name: str | Unset = UNSET
    authorisation: str | Unset | None = UNSET
    authorised_until: date | Unset | None = UNSET
    charges_candidate_fees: bool | Unset = UNSET


COLUMNS = (
    "kind",
    "name",
    "country",
    "subdivision",
    "authorisation",
    "authorised_until",
    "charges_candidate_fees",
    "version",
)


async def create(
    session: AsyncSession, catalog: ReferenceCatalog, principal: Principal, data: OrganisationData
) -> Organisation:
    if principal.role is not Role.ADMIN:
        raise PermissionDeniedError("only an administrator registers organisations")
    check = Checker(catalog)
    name = check.text("name", data.name, max_length=NAME_MAX)
    country = check.country("country", data.country)
    subdivision = (
        check.subdivision("subdivision", data.subdivision, country)
        if data.subdivision is not None
        else None
    )
    authorisation = _authorisation(check, data.authorisation)
    check.raise_if_any()
    organisation = Organisation(
        kind=data.kind,
        name=name,
        country=country,
        subdivision=subdivision,
        authorisation=authorisation,
        authorised_until=data.authorised_until,
        charges_candidate_fees=data.charges_candidate_fees,
    )
    session.add(organisation)
    await session.flush()
    await record_event(
        session,
        principal,
        "organisation.created",
        "Organisation",
        str(organisation.id),
        after=snapshot(organisation, COLUMNS),
    )
    return organisation


async def update(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    organisation_id: uuid.UUID,
    expected_version: int,
    changes: OrganisationChanges,
) -> Organisation:
    """Recording an agency's authorisation or fee policy: an administrator's act, since
    compliance verdicts rest on it. The caller re-judges what it affects."""
    if principal.role is not Role.ADMIN:
        raise PermissionDeniedError("only an administrator changes organisations")
    check = Checker(catalog)
    given = field_values(changes, given_only=True)
    if "name" in given:
        given["name"] = check.text("name", given["name"], max_length=NAME_MAX)
    if "authorisation" in given:
        given["authorisation"] = _authorisation(check, given["authorisation"])
    check.raise_if_any()
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFoundError("Organisation", str(organisation_id))
    if organisation.version != expected_version:
        raise VersionConflictError(
            "Organisation", str(organisation_id), expected_version, organisation.version
        )
    before = snapshot(organisation, COLUMNS)
    for name, value in given.items():
        setattr(organisation, name, value)
    await session.flush()
    await record_event(
        session,
        principal,
        "organisation.updated",
        "Organisation",
        str(organisation.id),
        before=before,
        after=snapshot(organisation, COLUMNS),
    )
    return organisation


def _authorisation(check: Checker, value: str | None) -> str | None:
    if value is None:
        return None
    return check.text("authorisation", value, max_length=200, required=False) or None


async def get_many(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Organisation]:
    """Organisations are public reference data for every authenticated role."""
    rows = await session.scalars(select(Organisation).where(Organisation.id.in_(ids)))
    return {o.id: o for o in rows}


async def list_all(
    session: AsyncSession, country: str | None, kind: OrganisationKind | None
) -> list[Organisation]:
    statement = select(Organisation).order_by(Organisation.country, Organisation.name)
    if country is not None:
        statement = statement.where(Organisation.country == country)
    if kind is not None:
        statement = statement.where(Organisation.kind == kind)
    return list((await session.scalars(statement.limit(1000))).all())
