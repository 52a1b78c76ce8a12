"""Query fields for shortages and placement: lists, gaps, one person's matches."""

from __future__ import annotations

from datetime import date

import strawberry

from registry.errors import DomainError
from registry.pagination import validate_page
from registry.shortages import matches, services
from registry.validation import Checker
from schema.context import Info, selects
from schema.errors import bad_id, public_error
from schema.ids import InvalidGlobalIdError, expect_global_id
from schema.types.common import Connection
from schema.types.shortages import Gap, Shortage


@strawberry.input
class ShortageFilterInput:
    host_country: str | None = None
    isco_code: str | None = None
    open_on: date | None = strawberry.field(
        default=None, description="Only shortages not ended on this day"
    )


@strawberry.type
class ShortageQueries:
    @strawberry.field(description="Shortages, by start date; every role but researchers")
    async def shortages(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: ShortageFilterInput | None = None,
    ) -> Connection[Shortage]:
        ctx = info.context
        try:
            spec = _filter(info, filter)
            request = validate_page(first, after, ctx.settings.max_page_size)
            async with ctx.read() as session:
                found = await services.page(
                    session, ctx.principal, spec, request, selects(info, "totalCount")
                )
        except DomainError as exc:
            raise public_error(exc) from None
        return Connection.of(found, Shortage.from_model)

    @strawberry.field
    async def shortage(self, info: Info, id: strawberry.ID) -> Shortage | None:
        try:
            identifier = expect_global_id(id, "Shortage")
        except InvalidGlobalIdError as exc:
            raise bad_id("id", exc) from None
        try:
            found = await info.context.loaders.shortage.load(identifier)
        except DomainError as exc:
            raise public_error(exc) from None
        return Shortage.from_model(found) if found else None

    @strawberry.field(
        description="Per host country x occupation with open shortages: posts against the "
        "candidates you may see, ready now, after recognition, and excluded by the WHO Code"
    )
    async def shortage_gaps(
        self, info: Info, host_country: str | None = None, isco_code: str | None = None
    ) -> list[Gap]:
        ctx = info.context
        try:
            spec = _filter(
                info, ShortageFilterInput(host_country=host_country, isco_code=isco_code)
            )
            async with ctx.read() as session:
                found = await matches.gaps(
                    session,
                    ctx.principal,
                    host_country=spec.host_country,
                    isco_code=spec.isco_code,
                    today=ctx.today(),
                )
        except DomainError as exc:
            raise public_error(exc) from None
        return [Gap.of(g) for g in found]


def _filter(info: Info, given: ShortageFilterInput | None) -> services.ShortageFilter:
    if given is None:
        return services.ShortageFilter()
    check = Checker(info.context.catalog, prefix="filter")
    host = check.country("hostCountry", given.host_country) if given.host_country else None
    code = check.occupation("iscoCode", given.isco_code) if given.isco_code else None
    check.raise_if_any()
    return services.ShortageFilter(host, code, given.open_on)
