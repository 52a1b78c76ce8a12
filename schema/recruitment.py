"""Query fields of the WHO Code work: list editions, agreements, recruitments, flows."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from registry.errors import DomainError
from registry.pagination import Page, PageRequest
from registry.recruitment import reference, reporting, services
from registry.recruitment.enums import RecruitmentMode
from registry.recruitment.reporting import FlowDimension
from registry.validation import Checker
from schema.accreditation import queue_page
from schema.context import Info
from schema.errors import public_error
from schema.types.common import Connection
from schema.types.recruitment import (
    BilateralAgreement,
    Recruitment,
    RecruitmentFlow,
    SafeguardListEdition,
)


@strawberry.input
class RecruitmentFlowFilterInput:
    destinations: list[str] = strawberry.field(default_factory=list)
    sources: list[str] = strawberry.field(default_factory=list)
    occupations: list[str] = strawberry.field(default_factory=list)
    years: list[int] = strawberry.field(default_factory=list)
    modes: list[RecruitmentMode] = strawberry.field(default_factory=list)

    def to_domain(self) -> reporting.FlowFilter:
        return reporting.FlowFilter(
            self.destinations, self.sources, self.occupations, self.years, self.modes
        )


@strawberry.type
class RecruitmentQueries:
    @strawberry.field(description="WHO Health Workforce Support and Safeguards List editions")
    async def safeguard_list_editions(self, info: Info) -> list[SafeguardListEdition]:
        async with info.context.read() as session:
            found = await reference.editions(session)
        return [SafeguardListEdition.from_model(e, codes) for e, codes in found]

    @strawberry.field(description="Government-to-government agreements (max 1,000)")
    async def bilateral_agreements(
        self, info: Info, destination: str | None = None, source: str | None = None
    ) -> list[BilateralAgreement]:
        check = Checker(info.context.catalog, prefix="")
        destination = check.country("destination", destination) if destination else None
        source = check.country("source", source) if source else None
        try:
            check.raise_if_any()
        except DomainError as exc:
            raise public_error(exc) from None
        async with info.context.read() as session:
            found = await reference.agreements(session, destination, source)
        return [BilateralAgreement.from_model(a) for a in found]

    @strawberry.field(
        description="Recruitments you may see (your organisation's), oldest first; with "
        "`verdictChangedSince`, those a new edition, agreement or policy re-judged since then"
    )
    async def recruitments(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        verdict_changed_since: datetime | None = None,
    ) -> Connection[Recruitment]:
        return await _recruitments(info, first, after, verdict_changed_since)

    @strawberry.field(
        description="Recruitments whose verdict a new list edition, agreement, policy or "
        "organisation record changed since `since`, in the order they changed"
    )
    async def affected_recruitments(
        self, info: Info, since: datetime, first: int = 20, after: str | None = None
    ) -> Connection[Recruitment]:
        return await _recruitments(info, first, after, since)

    @strawberry.field(
        description="Recruitment counts by the chosen dimensions. Researchers: cells under "
        "the minimum cell size are withheld (null)"
    )
    async def recruitment_flows(
        self,
        info: Info,
        group_by: list[FlowDimension],
        filter: RecruitmentFlowFilterInput | None = None,
    ) -> list[RecruitmentFlow]:
        ctx = info.context
        spec = filter.to_domain() if filter else reporting.FlowFilter()
        try:
            async with ctx.read() as session:
                rows = await reporting.flows(
                    session,
                    ctx.catalog,
                    ctx.principal,
                    spec,
                    group_by,
                    min_cell=ctx.settings.min_cell_size,
                )
        except DomainError as exc:
            raise public_error(exc) from None
        return [RecruitmentFlow.from_row(r) for r in rows]


async def _recruitments(
    info: Info, first: int, after: str | None, changed_since: datetime | None
) -> Connection[Recruitment]:
    ctx = info.context

    def fetch(session: AsyncSession, page: PageRequest, total: bool) -> Awaitable[Page[Any]]:
        return services.page(
            session, ctx.principal, page, changed_since=changed_since, with_total=total
        )

    return Connection.of(await queue_page(info, first, after, fetch), Recruitment.from_model)
