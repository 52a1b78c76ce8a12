"""Query fields of competent authorities: work queues, organisations, reports."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from registry.accreditation import queues, reports
from registry.accreditation.enums import CaseStatus
from registry.errors import DomainError
from registry.organisations import services as organisations
from registry.organisations.enums import OrganisationKind
from registry.pagination import Page, PageRequest, validate_page
from registry.validation import Checker
from schema.context import Info, selects
from schema.errors import PublicError, bad_id, public_error
from schema.ids import InvalidGlobalIdError, expect_global_id
from schema.types.accreditation import (
    Licence,
    Organisation,
    RecognitionCase,
    ReportCheck,
    Verification,
    VerificationReport,
)
from schema.types.common import Connection

MAX_REPORT_BYTES = 200_000


@strawberry.input
class RecognitionCaseFilterInput:
    statuses: list[CaseStatus] = strawberry.field(default_factory=list)
    overdue: bool = strawberry.field(
        default=False, description="Only cases under review past their decision deadline"
    )
    host_countries: list[str] = strawberry.field(default_factory=list)
    occupations: list[str] = strawberry.field(default_factory=list, description="ISCO-08 codes")

    def to_domain(self) -> queues.CaseFilter:
        return queues.CaseFilter(self.statuses, self.overdue, self.host_countries, self.occupations)


@strawberry.type
class AccreditationQueries:
    @strawberry.field(description="Competent authorities, employers and agencies (max 1,000)")
    async def organisations(
        self, info: Info, country: str | None = None, kind: OrganisationKind | None = None
    ) -> list[Organisation]:
        ctx = info.context
        if country is not None:
            check = Checker(ctx.catalog, prefix="")
            country = check.country("country", country)
            try:
                check.raise_if_any()
            except DomainError as exc:
                raise public_error(exc) from None
        async with ctx.read() as session:
            found = await organisations.list_all(session, country, kind)
        return [Organisation.from_model(o) for o in found]

    @strawberry.field(
        description="Recognition cases you may see: oldest first, overdue by due date"
    )
    async def recognition_cases(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: RecognitionCaseFilterInput | None = None,
    ) -> Connection[RecognitionCase]:
        ctx = info.context
        spec = filter.to_domain() if filter else queues.CaseFilter()

        def fetch(session: AsyncSession, page: PageRequest, total: bool) -> Awaitable[Page[Any]]:
            return queues.cases(
                session, ctx.catalog, ctx.principal, spec, page, today=ctx.today(), with_total=total
            )

        return Connection.of(
            await queue_page(info, first, after, fetch), RecognitionCase.from_model
        )

    @strawberry.field(description="Active licences ending within `withinDays` (or already ended)")
    async def licences_expiring(
        self, info: Info, within_days: int = 90, first: int = 20, after: str | None = None
    ) -> Connection[Licence]:
        ctx = info.context

        def fetch(session: AsyncSession, page: PageRequest, total: bool) -> Awaitable[Page[Any]]:
            return queues.licences_expiring(
                session, ctx.principal, within_days, page, today=ctx.today(), with_total=total
            )

        return Connection.of(await queue_page(info, first, after, fetch), Licence.from_model)

    @strawberry.field(description="Verifications whose review falls within `withinDays`")
    async def verifications_due(
        self, info: Info, within_days: int = 30, first: int = 20, after: str | None = None
    ) -> Connection[Verification]:
        ctx = info.context

        def fetch(session: AsyncSession, page: PageRequest, total: bool) -> Awaitable[Page[Any]]:
            return queues.verifications_due(
                session, ctx.principal, within_days, page, today=ctx.today(), with_total=total
            )

        return Connection.of(await queue_page(info, first, after, fetch), Verification.from_model)

    @strawberry.field(
        description="A signed report of a person's verified credentials and recognitions. "
        "Issuing it is audited."
    )
    async def verification_report(
        self, info: Info, professional_id: strawberry.ID
    ) -> VerificationReport:
        ctx = info.context
        try:
            identifier = expect_global_id(professional_id, "Professional")
        except InvalidGlobalIdError as exc:
            raise bad_id("professionalId", exc) from None
        signer = ctx.signer()
        try:
            async with ctx.write() as session:
                signed = await reports.issue(
                    session, ctx.catalog, ctx.principal, signer, identifier, now=ctx.now()
                )
        except DomainError as exc:
            raise public_error(exc) from None
        return VerificationReport(
            document=json.dumps(signed, ensure_ascii=False, indent=2),
            key_id=signer.key_id,
            report_id=signed["report"]["report_id"],
        )

    @strawberry.field(description="Whether a report was signed by this registry and is unaltered")
    def verify_report(self, info: Info, document: str) -> ReportCheck:
        if len(document.encode()) > MAX_REPORT_BYTES:
            raise PublicError(
                f"document must be at most {MAX_REPORT_BYTES} bytes",
                "BAD_USER_INPUT",
                issues=[{"field": "document", "code": "too_long", "message": "too long"}],
            )
        parsed: Any
        try:
            parsed = json.loads(document)
        except ValueError:
            parsed = None
        result = reports.check(info.context.signer(), parsed)
        return ReportCheck(
            authentic=result.authentic,
            reason=result.reason if parsed is not None else "not JSON",
            key_id=result.key_id,
            issued_at=result.issued_at,
            subject_registry_id=result.subject,
        )


async def queue_page(
    info: Info,
    first: int,
    after: str | None,
    fetch: Callable[[AsyncSession, PageRequest, bool], Awaitable[Page[Any]]],
) -> Page[Any]:
    """A page of a work queue: bounds checked, a short read session, typed errors."""
    ctx = info.context
    try:
        page = validate_page(first, after, ctx.settings.max_page_size)
        async with ctx.read() as session:
            return await fetch(session, page, selects(info, "totalCount"))
    except DomainError as exc:
        raise public_error(exc) from None
