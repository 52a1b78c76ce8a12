"""Create and read organisations. Only an admin registers one: a token scoped to an
organisation acts for it, so who exists as an authority is a registry decision."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit.services import record_event
from registry.auth.models import Role
from registry.auth.principal import Principal
from registry.errors import PermissionDeniedError
from registry.organisations.enums import OrganisationKind
from registry.organisations.models import Organisation
from registry.reference.catalog import ReferenceCatalog
from registry.validation import Checker

NAME_MAX = 300


@dataclass(frozen=True, slots=True)
class OrganisationData:
    kind: OrganisationKind
    name: str
    country: str
    subdivision: str | None = None


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
    check.raise_if_any()
    organisation = Organisation(kind=data.kind, name=name, country=country, subdivision=subdivision)
    session.add(organisation)
    await session.flush()
    await record_event(
        session,
        principal,
        "organisation.created",
        "Organisation",
        str(organisation.id),
        after={
            "kind": data.kind.value,
            "name": name,
            "country": country,
            "subdivision": subdivision,
        },
    )
    return organisation


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
