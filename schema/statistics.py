"""Workforce statistics: the GraphQL field and the CSV/JSON exports share one service
call and one rendering, so the same filters and token rules apply to both."""

from __future__ import annotations

import strawberry

from registry.errors import DomainError
from registry.statistics.dimensions import Dimension
from registry.statistics.indicators import Cell, StatisticsFilter
from registry.statistics.indicators import workforce_statistics as compute
from schema.context import Info
from schema.errors import public_error
from schema.types import enums as _enums  # noqa: F401 - registers enum names

DimensionType = strawberry.enum(Dimension, name="StatisticsDimension")


@strawberry.input
class StatisticsFilterInput:
    host_countries: list[str] = strawberry.field(default_factory=list)
    occupations: list[str] = strawberry.field(
        default_factory=list,
        description="ISCO-08 unit groups, or doctors, nurses, midwives, dentists, pharmacists",
    )
    years: list[int] = strawberry.field(
        default_factory=list, description="Default: the current year"
    )

    def to_domain(self) -> StatisticsFilter:
        return StatisticsFilter(self.host_countries, self.occupations, self.years)


@strawberry.type
class StatisticsKey:
    dimension: Dimension
    value: str


@strawberry.type(
    description="One cell. Counts withheld for privacy are null; definitions in the README"
)
class StatisticsCell:
    keys: list[StatisticsKey]
    stock: int | None
    foreign_trained: int | None = strawberry.field(description="NHWA 1-08 numerator")
    foreign_trained_share: float | None
    foreign_born: int | None = strawberry.field(description="NHWA 1-07 numerator")
    foreign_born_share: float | None
    trained_in_listed: int | None = strawberry.field(
        description="Trained in a country on the safeguard list in force"
    )
    trained_in_listed_share: float | None
    inflow: int | None = strawberry.field(description="Recognitions granted in the year")
    cases_refused: int | None
    cases_pending: int | None
    oecd_stock: float | None = strawberry.field(description="OECD total for the same cell")
    oecd_foreign_trained: float | None

    @classmethod
    def of(cls, c: Cell) -> StatisticsCell:
        return cls(
            keys=[StatisticsKey(dimension=d, value=v) for d, v in c.keys.items()],
            stock=c.counts.get("stock"),
            foreign_trained=c.counts.get("foreign_trained"),
            foreign_trained_share=c.share("foreign_trained_share"),
            foreign_born=c.counts.get("foreign_born"),
            foreign_born_share=c.share("foreign_born_share"),
            trained_in_listed=c.counts.get("trained_in_listed"),
            trained_in_listed_share=c.share("trained_in_listed_share"),
            inflow=c.counts.get("inflow"),
            cases_refused=c.counts.get("cases_refused"),
            cases_pending=c.counts.get("cases_pending"),
            oecd_stock=c.oecd_stock,
            oecd_foreign_trained=c.oecd_foreign_trained,
        )


@strawberry.type
class StatisticsQueries:
    @strawberry.field(
        description="Workforce-migration indicators by the chosen dimensions. Admins and "
        "researchers; researchers' small cells are withheld"
    )
    async def workforce_statistics(
        self,
        info: Info,
        group_by: list[Dimension],
        filter: StatisticsFilterInput | None = None,
    ) -> list[StatisticsCell]:
        ctx = info.context
        spec = filter.to_domain() if filter else StatisticsFilter()
        try:
            async with ctx.read() as session:
                cells = await compute(
                    session,
                    ctx.catalog,
                    ctx.principal,
                    spec,
                    group_by,
                    today=ctx.today(),
                    min_cell=ctx.settings.min_cell_size,
                )
        except DomainError as exc:
            raise public_error(exc) from None
        return [StatisticsCell.of(c) for c in cells]
