"""Verifying credentials: who checked what, how, against which source, until when."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.accreditation import access
from registry.accreditation.common import (
    NOTE_MAX,
    check_version,
    get_visible,
)
from registry.accreditation.enums import VerificationMethod, VerificationStatus
from registry.accreditation.flows import (
    METHOD_OUTCOMES,
    VERIFICATION_TRANSITIONS,
    interview_review_date,
)
from registry.accreditation.models import Verification
from registry.audit.services import record_event, snapshot
from registry.auth.principal import Principal
from registry.batching import grouped
from registry.credentials.services import get_many as get_qualifications
from registry.errors import NotFoundError, PermissionDeniedError
from registry.organisations.enums import OrganisationKind
from registry.organisations.models import Organisation
from registry.reference.catalog import ReferenceCatalog
from registry.transitions import require_transition
from registry.validation import Checker

COLUMNS = (
    "qualification_id",
    "professional_id",
    "country",
    "authority_id",
    "method",
    "status",
    "primary_source",
    "verifier",
    "assessors",
    "status_date",
    "next_review_date",
    "note",
    "version",
)
INTERVIEW_ASSESSORS = 2
MAX_ASSESSORS = 5
SUCCESS = frozenset({VerificationStatus.VALIDATED, VerificationStatus.ATTESTED})


@dataclass(frozen=True, slots=True)
class VerificationData:
    method: VerificationMethod
    verifier: str
    primary_source: str | None = None
    assessors: Sequence[str] = ()
    country: str | None = None  # an admin names it; an authority's token fixes it
    authority_id: uuid.UUID | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    status: VerificationStatus
    status_date: date | None = None
    next_review_date: date | None = None
    note: str | None = None


async def start(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    qualification_id: uuid.UUID,
    data: VerificationData,
    *,
    today: date,
) -> Verification:
    country = access.acting_country(principal, data.country)
    check = Checker(catalog)
    if country is None:
        check.fail("country", "required", "an administrator names the verifying country")
    else:
        country = check.country("country", country)
    verifier = check.text("verifier", data.verifier, max_length=200)
    source = _optional_text(check, "primarySource", data.primary_source, 300)
    if data.method is VerificationMethod.PRIMARY_SOURCE and source is None:
        check.fail("primarySource", "required", "name the primary source that was contacted")
    assessors = _assessors(check, data.method, data.assessors)
    note = _optional_text(check, "note", data.note, NOTE_MAX)
    check.raise_if_any()
    assert country is not None
    authority_id = await resolve_authority(
        session, check, principal, data.authority_id, country, required=False
    )
    qualification = (await get_qualifications(session, principal, [qualification_id])).get(
        qualification_id
    )
    if qualification is None:
        raise NotFoundError("Qualification", str(qualification_id), "qualificationId")
    verification = Verification(
        qualification_id=qualification.id,
        professional_id=qualification.professional_id,
        country=country,
        authority_id=authority_id,
        method=data.method,
        status=VerificationStatus.IN_PROCESS,
        primary_source=source,
        verifier=verifier,
        assessors=assessors,
        status_date=today,
        note=note,
    )
    session.add(verification)
    await session.flush()
    await record_event(
        session,
        principal,
        "verification.started",
        "Verification",
        str(verification.id),
        after=snapshot(verification, COLUMNS),
    )
    return verification


async def record_outcome(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    verification_id: uuid.UUID,
    expected_version: int,
    outcome: Outcome,
    *,
    today: date,
) -> Verification:
    verification = await get_visible(
        session,
        Verification,
        access.verification_clause(principal),
        verification_id,
        "Verification",
    )
    _require_writer(principal, verification)
    check_version("Verification", verification_id, verification.version, expected_version)
    require_transition(
        "verification", VERIFICATION_TRANSITIONS, verification.status, outcome.status
    )
    check = Checker(catalog)
    status_date = outcome.status_date or today
    if status_date > today:
        check.fail("statusDate", "in_future", "must not be in the future")
    elif status_date < verification.status_date:
        check.fail("statusDate", "before_previous", "must not precede the previous status date")
    if outcome.status in SUCCESS and METHOD_OUTCOMES[verification.method] is not outcome.status:
        check.fail(
            "status",
            "method_cannot_establish",
            f"a {verification.method.value} verification can end "
            f"{METHOD_OUTCOMES[verification.method].value}, not {outcome.status.value}",
        )
    next_review = _next_review(check, verification, outcome, status_date)
    note = _optional_text(check, "note", outcome.note, NOTE_MAX)
    check.raise_if_any()
    before = snapshot(verification, COLUMNS)
    verification.status = outcome.status
    verification.status_date = status_date
    verification.next_review_date = next_review
    if note is not None:
        verification.note = note
    await session.flush()
    await record_event(
        session,
        principal,
        f"verification.{outcome.status.value}",
        "Verification",
        str(verification.id),
        before=before,
        after=snapshot(verification, COLUMNS),
    )
    return verification


def _next_review(
    check: Checker, verification: Verification, outcome: Outcome, status_date: date
) -> date | None:
    if outcome.status is VerificationStatus.REVALIDATION_REQUIRED:
        # Due now: it stays in the authority's review queue until decided.
        return min(verification.next_review_date or status_date, status_date)
    if outcome.status not in SUCCESS:
        if outcome.next_review_date is not None:
            check.fail("nextReviewDate", "not_applicable", "only a validated or attested result")
        return None
    wanted = outcome.next_review_date
    if verification.method is VerificationMethod.STRUCTURED_INTERVIEW:
        # An interview-based assessment stands for five years at most.
        limit = interview_review_date(status_date)
        if wanted is not None and wanted > limit:
            check.fail("nextReviewDate", "too_late", f"an interview outcome is valid until {limit}")
        return wanted or limit
    if wanted is not None and wanted <= status_date:
        check.fail("nextReviewDate", "not_after_status_date", "must be after the status date")
    return wanted


def _require_writer(principal: Principal, verification: Verification) -> None:
    access.acting_country(principal, verification.country)
    if (
        principal.organisation_id is not None
        and verification.authority_id is not None
        and verification.authority_id != principal.organisation_id
    ):
        raise PermissionDeniedError("this verification belongs to another authority")


def _assessors(check: Checker, method: VerificationMethod, assessors: Sequence[str]) -> list[str]:
    names = [check.text(f"assessors[{i}]", a, max_length=200) for i, a in enumerate(assessors)]
    if len(names) > MAX_ASSESSORS:
        check.fail("assessors", "too_many", f"at most {MAX_ASSESSORS} assessors")
    if method is VerificationMethod.STRUCTURED_INTERVIEW and (
        len({n.casefold() for n in names if n}) < INTERVIEW_ASSESSORS
    ):
        check.fail(
            "assessors",
            "two_assessors_required",
            "a structured interview is recorded with two different assessors",
        )
    return names


def _optional_text(check: Checker, field: str, value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    cleaned = check.text(field, value, max_length=limit, required=False)
    return cleaned or None


async def resolve_authority(
    session: AsyncSession,
    check: Checker,
    principal: Principal,
    given: uuid.UUID | None,
    country: str,
    *,
    required: bool,
) -> uuid.UUID | None:
    """The competent authority acting: a scoped token's own, or one named in the input
    that must be a competent authority of ``country``."""
    if principal.organisation_id is not None:
        if given is not None and given != principal.organisation_id:
            raise PermissionDeniedError("a token acts only for its own authority")
        given = principal.organisation_id
    if given is None:
        if required:
            check.fail("authorityId", "required", "name the competent authority")
            check.raise_if_any()
        return None
    organisation = await session.get(Organisation, given)
    if organisation is None:
        check.fail("authorityId", "not_found", "no such organisation")
    elif organisation.kind is not OrganisationKind.COMPETENT_AUTHORITY:
        check.fail(
            "authorityId", "not_an_authority", "the organisation is not a competent authority"
        )
    elif organisation.country != country:
        check.fail("authorityId", "wrong_country", f"the authority is not one of {country}")
    check.raise_if_any()
    return given


async def for_qualifications(
    session: AsyncSession, principal: Principal, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Verification]]:
    rows = await session.scalars(
        select(Verification)
        .where(Verification.qualification_id.in_(ids), access.verification_clause(principal))
        .order_by(Verification.qualification_id, Verification.created_at, Verification.id)
    )
    return grouped(rows, ids, lambda v: v.qualification_id)


async def get_many(
    session: AsyncSession, principal: Principal, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Verification]:
    rows = await session.scalars(
        select(Verification).where(Verification.id.in_(ids), access.verification_clause(principal))
    )
    return {v.id: v for v in rows}
