"""An authority's work queues: its cases by status, overdue decisions, licences about to
expire, verifications due for review. Keyset pages, access rule in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_
from sqlalchemy.ext.asyncio import AsyncSession

from registry.accreditation import access
from registry.accreditation.enums import CaseStatus, LicenceStatus, VerificationStatus
from registry.accreditation.models import Licence, RecognitionCase, Verification
from registry.auth.principal import Principal
from registry.errors import FieldIssue, ValidationFailedError
from registry.pagination import KeysetOrder, Page, PageRequest, fetch_page
from registry.reference.catalog import ReferenceCatalog
from registry.validation import Checker

CASES_BY_AGE = KeysetOrder("cases_created", [RecognitionCase.created_at, RecognitionCase.id])
CASES_BY_DUE = KeysetOrder("cases_due", [RecognitionCase.decision_due, RecognitionCase.id])
LICENCES_BY_EXPIRY = KeysetOrder("licence_expiry", [Licence.valid_until, Licence.id])
REVIEWS_BY_DATE = KeysetOrder("review_date", [Verification.next_review_date, Verification.id])
MAX_WITHIN_DAYS = 3660
REVIEWABLE = (
    VerificationStatus.VALIDATED,
    VerificationStatus.ATTESTED,
    VerificationStatus.REVALIDATION_REQUIRED,
)


@dataclass(frozen=True, slots=True)
class CaseFilter:
    statuses: Sequence[CaseStatus] = field(default_factory=tuple)
    overdue: bool = False
    host_countries: Sequence[str] = ()
    occupations: Sequence[str] = ()


async def cases(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    spec: CaseFilter,
    page: PageRequest,
    *,
    today: date,
    with_total: bool,
) -> Page[RecognitionCase]:
    """Oldest first; overdue cases by how long they are overdue."""
    check = Checker(catalog, prefix="filter")
    clauses: list[ColumnElement[bool]] = [access.case_clause(principal)]
    if spec.statuses:
        clauses.append(RecognitionCase.status.in_(spec.statuses))
    if spec.host_countries:
        countries = [
            check.country(f"hostCountries[{i}]", c) for i, c in enumerate(spec.host_countries)
        ]
        clauses.append(RecognitionCase.host_country.in_(countries))
    if spec.occupations:
        codes = [check.occupation(f"occupations[{i}]", c) for i, c in enumerate(spec.occupations)]
        clauses.append(RecognitionCase.isco_code.in_(codes))
    check.raise_if_any()
    order = CASES_BY_AGE
    if spec.overdue:
        # The statutory clock runs while the file is under review: a decision to require
        # compensation or a recognition stops it.
        clauses += [
            RecognitionCase.status == CaseStatus.UNDER_REVIEW,
            RecognitionCase.decision_due < today,
        ]
        order = CASES_BY_DUE
    return await fetch_page(session, RecognitionCase, and_(*clauses), order, page, with_total)


async def licences_expiring(
    session: AsyncSession,
    principal: Principal,
    within_days: int,
    page: PageRequest,
    *,
    today: date,
    with_total: bool,
) -> Page[Licence]:
    """Active licences whose validity ends within the window (or has already ended
    without anyone recording it)."""
    horizon = today + timedelta(days=_days(within_days))
    where = and_(
        access.licence_clause(principal),
        Licence.status == LicenceStatus.ACTIVE,
        Licence.valid_until.is_not(None),
        Licence.valid_until <= horizon,
    )
    return await fetch_page(session, Licence, where, LICENCES_BY_EXPIRY, page, with_total)


async def verifications_due(
    session: AsyncSession,
    principal: Principal,
    within_days: int,
    page: PageRequest,
    *,
    today: date,
    with_total: bool,
) -> Page[Verification]:
    horizon = today + timedelta(days=_days(within_days))
    where = and_(
        access.verification_clause(principal),
        Verification.status.in_(REVIEWABLE),
        Verification.next_review_date.is_not(None),
        Verification.next_review_date <= horizon,
    )
    return await fetch_page(session, Verification, where, REVIEWS_BY_DATE, page, with_total)


def _days(within_days: int) -> int:
    if not 0 <= within_days <= MAX_WITHIN_DAYS:
        raise ValidationFailedError(
            [FieldIssue("withinDays", "out_of_range", f"must be 0 to {MAX_WITHIN_DAYS}")]
        )
    return within_days
