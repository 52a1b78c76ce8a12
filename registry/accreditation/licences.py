"""Licences to practise: issued from a recognition, then active, suspended, expired,
revoked or lapsed, every change in the case's history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.accreditation import access
from registry.accreditation.cases import writable
from registry.accreditation.common import (
    NOTE_MAX,
    check_version,
    get_visible,
    record_case_event,
)
from registry.accreditation.enums import CaseEventKind, CaseStatus, LicenceStatus
from registry.accreditation.flows import LICENCE_TRANSITIONS
from registry.accreditation.models import Licence, RecognitionCase
from registry.audit.services import record_event, snapshot
from registry.auth.principal import Principal
from registry.db import utcnow
from registry.reference.catalog import ReferenceCatalog
from registry.transitions import require_transition
from registry.validation import Checker

COLUMNS = (
    "case_id",
    "professional_id",
    "country",
    "isco_code",
    "number",
    "status",
    "valid_from",
    "valid_until",
    "version",
)
LICENSABLE = frozenset({CaseStatus.RECOGNISED, CaseStatus.CONDITIONALLY_RECOGNISED})
NEEDS_REASON = frozenset({LicenceStatus.SUSPENDED, LicenceStatus.REVOKED})


@dataclass(frozen=True, slots=True)
class LicenceData:
    number: str
    valid_from: date
    valid_until: date | None = None


async def issue(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    case_id: uuid.UUID,
    case_version: int,
    data: LicenceData,
) -> Licence:
    # The case's version is taken and bumped so that two officers issuing at once
    # conflict cleanly instead of racing to the unique constraint.
    case = await writable(session, principal, case_id, case_version)
    check = Checker(catalog)
    number = check.text("number", data.number, max_length=60)
    if data.valid_until is not None and data.valid_until <= data.valid_from:
        check.fail("validUntil", "not_after_valid_from", "must be after validFrom")
    if case.status not in LICENSABLE:
        check.fail("caseId", "not_recognised", f"the case is {case.status.value}, not recognised")
    check.raise_if_any()
    existing = await session.scalar(
        select(Licence.id).where(
            (Licence.case_id == case.id)
            | ((Licence.country == case.host_country) & (Licence.number == number))
        )
    )
    if existing is not None:
        check.fail("number", "duplicate", "the case has a licence, or the number is taken")
        check.raise_if_any()
    licence = Licence(
        case_id=case.id,
        professional_id=case.professional_id,
        country=case.host_country,
        isco_code=case.isco_code,
        number=number,
        status=LicenceStatus.ACTIVE,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
    )
    session.add(licence)
    case.updated_at = utcnow()
    await session.flush()
    await record_case_event(
        session,
        principal,
        case.id,
        CaseEventKind.LICENCE_ISSUED,
        to_status=LicenceStatus.ACTIVE,
        note=f"licence {number}",
    )
    await record_event(
        session,
        principal,
        "licence.issued",
        "Licence",
        str(licence.id),
        after=snapshot(licence, COLUMNS),
    )
    return licence


async def change_status(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    licence_id: uuid.UUID,
    expected_version: int,
    to: LicenceStatus,
    note: str | None,
) -> Licence:
    licence = await get_visible(
        session, Licence, access.licence_clause(principal), licence_id, "Licence"
    )
    case = await session.get_one(RecognitionCase, licence.case_id)
    access.require_case_writer(principal, case)
    check_version("Licence", licence_id, licence.version, expected_version)
    require_transition("licence", LICENCE_TRANSITIONS, licence.status, to)
    check = Checker(catalog)
    reason = check.text("note", note or "", max_length=NOTE_MAX, required=to in NEEDS_REASON)
    check.raise_if_any()
    before = snapshot(licence, COLUMNS)
    previous = licence.status
    licence.status = to
    await session.flush()
    await record_case_event(
        session,
        principal,
        case.id,
        CaseEventKind.LICENCE_STATUS,
        from_status=previous,
        to_status=to,
        note=f"licence {licence.number}" + (f": {reason}" if reason else ""),
    )
    await record_event(
        session,
        principal,
        f"licence.{to.value}",
        "Licence",
        str(licence.id),
        before=before,
        after=snapshot(licence, COLUMNS),
    )
    return licence


async def get_many(
    session: AsyncSession, principal: Principal, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Licence]:
    rows = await session.scalars(
        select(Licence).where(Licence.id.in_(ids), access.licence_clause(principal))
    )
    return {lic.id: lic for lic in rows}


async def for_cases(
    session: AsyncSession, principal: Principal, case_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Licence]:
    rows = await session.scalars(
        select(Licence).where(Licence.case_id.in_(case_ids), access.licence_clause(principal))
    )
    return {lic.case_id: lic for lic in rows}
