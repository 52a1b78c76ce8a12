"""Recruitment-flow statistics and the National Reporting Instrument (NRI) style report.

"From a listed country" means: the recruitment's source country (the person's residence
when recruited) is on the safeguard-list edition its verdict was judged under.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, extract, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from registry.accreditation.enums import CaseStatus
from registry.accreditation.models import RecognitionCase
from registry.auth.models import Role
from registry.auth.principal import Principal
from registry.credentials.models import Qualification
from registry.errors import PermissionDeniedError
from registry.professionals.models import Professional
from registry.recruitment.enums import RecruitmentMode, Verdict
from registry.recruitment.models import BilateralAgreement, Recruitment, SafeguardListCountry
from registry.reference.catalog import ReferenceCatalog
from registry.validation import Checker

TOP_TRAINING_COUNTRIES = 10


class FlowDimension(StrEnum):
    SOURCE = "source"
    DESTINATION = "destination"
    OCCUPATION = "occupation"
    YEAR = "year"
    MODE = "mode"
    VERDICT = "verdict"


DIMENSION_COLUMNS: dict[FlowDimension, Any] = {
    FlowDimension.SOURCE: Recruitment.source_country,
    FlowDimension.DESTINATION: Recruitment.destination_country,
    FlowDimension.OCCUPATION: Recruitment.isco_code,
    FlowDimension.YEAR: extract("year", Recruitment.proposed_on),
    FlowDimension.MODE: Recruitment.mode,
    FlowDimension.VERDICT: Recruitment.verdict,
}


@dataclass(frozen=True, slots=True)
class FlowFilter:
    destinations: Sequence[str] = ()
    sources: Sequence[str] = ()
    occupations: Sequence[str] = ()
    years: Sequence[int] = ()
    modes: Sequence[RecruitmentMode] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class FlowRow:
    keys: dict[FlowDimension, str]
    recruitments: int | None  # None: suppressed
    from_listed: int | None
    compliant: int | None
    non_compliant: int | None
    needs_review: int | None

    @property
    def share_from_listed(self) -> float | None:
        if not self.recruitments or self.from_listed is None:
            return None
        return self.from_listed / self.recruitments


async def flows(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    spec: FlowFilter,
    group_by: Sequence[FlowDimension],
    *,
    min_cell: int,
) -> list[FlowRow]:
    """Counts by the chosen dimensions. A researcher's cells under ``min_cell`` (other than
    zero) are withheld, and so are the counts that would reveal them within the cell."""
    if principal.role not in (Role.ADMIN, Role.RESEARCHER):
        raise PermissionDeniedError(f"role {principal.role.value} cannot see flow statistics")
    where = _flow_filter(catalog, spec)
    dims = list(dict.fromkeys(group_by))
    columns = [DIMENSION_COLUMNS[d].label(d.value) for d in dims]
    listed = SafeguardListCountry.country_code.is_not(None)
    statement = (
        select(
            *columns,
            func.count().label("n"),
            # A sum over no rows is NULL; with no grouping there is always one row.
            func.coalesce(func.sum(case((listed, 1), else_=0)), 0).label("listed"),
            *(
                func.coalesce(func.sum(case((Recruitment.verdict == v, 1), else_=0)), 0).label(
                    v.value
                )
                for v in Verdict
            ),
        )
        .select_from(Recruitment)
        .outerjoin(
            SafeguardListCountry,
            and_(
                SafeguardListCountry.edition_year == Recruitment.verdict_edition_year,
                SafeguardListCountry.country_code == Recruitment.source_country,
            ),
        )
        .where(where)
        .group_by(*columns)
        .order_by(*columns)
    )
    suppress = principal.role is Role.RESEARCHER
    rows = []
    for row in await session.execute(statement):
        counts = [row.n, row.listed, row.compliant, row.non_compliant, row.needs_review]
        if suppress:
            counts = [_cell(c, min_cell) for c in counts]
            if counts[0] is None:
                counts = [None] * len(counts)
        rows.append(
            FlowRow({d: str(getattr(row, d.value)) for d in dims}, *(_int(c) for c in counts))
        )
    return rows


def _cell(value: int, min_cell: int) -> int | None:
    return None if 0 < value < min_cell else value


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _flow_filter(catalog: ReferenceCatalog, spec: FlowFilter) -> ColumnElement[bool]:
    check = Checker(catalog, prefix="filter")
    clauses: list[ColumnElement[bool]] = []
    if spec.destinations:
        codes = [check.country(f"destinations[{i}]", c) for i, c in enumerate(spec.destinations)]
        clauses.append(Recruitment.destination_country.in_(codes))
    if spec.sources:
        codes = [check.country(f"sources[{i}]", c) for i, c in enumerate(spec.sources)]
        clauses.append(Recruitment.source_country.in_(codes))
    if spec.occupations:
        codes = [check.occupation(f"occupations[{i}]", c) for i, c in enumerate(spec.occupations)]
        clauses.append(Recruitment.isco_code.in_(codes))
    if spec.years:
        for i, year in enumerate(spec.years):
            if not 1990 <= year <= 2100:
                check.fail(f"years[{i}]", "out_of_range", "must be between 1990 and 2100")
        clauses.append(
            or_(
                *(
                    Recruitment.proposed_on.between(date(y, 1, 1), date(y, 12, 31))
                    for y in spec.years
                    if 1990 <= y <= 2100
                )
            )
        )
    if spec.modes:
        clauses.append(Recruitment.mode.in_(spec.modes))
    check.raise_if_any()
    return and_(true(), *clauses)


async def nri(
    session: AsyncSession, catalog: ReferenceCatalog, country: str, year: int
) -> dict[str, Any]:
    """The figures a destination reports to WHO under the Code (National Reporting
    Instrument), as far as the registry holds them: registered stock and its foreign-trained
    part, recognitions granted in the year, top countries of training, recruitments from
    listed countries, and agreements in force."""
    check = Checker(catalog, prefix="")
    country = check.country("country", country)
    if not 1990 <= year <= 2100:
        check.fail("year", "out_of_range", "must be between 1990 and 2100")
    check.raise_if_any()
    start, end = date(year, 1, 1), date(year, 12, 31)
    resident = Professional.residence_country == country
    foreign = Qualification.training_country != country
    stock = await session.execute(
        select(
            Qualification.isco_code,
            func.count(distinct(Qualification.professional_id)),
            func.count(distinct(case((foreign, Qualification.professional_id)))),
        )
        .join(Professional, Professional.id == Qualification.professional_id)
        .where(resident, Qualification.isco_code.is_not(None))
        .group_by(Qualification.isco_code)
        .order_by(Qualification.isco_code)
    )
    inflow = await session.execute(
        select(RecognitionCase.isco_code, func.count())
        .where(
            RecognitionCase.host_country == country,
            RecognitionCase.status.in_(
                [CaseStatus.RECOGNISED, CaseStatus.CONDITIONALLY_RECOGNISED]
            ),
            RecognitionCase.decided_on.between(start, end),
        )
        .group_by(RecognitionCase.isco_code)
        .order_by(RecognitionCase.isco_code)
    )
    training = await session.execute(
        select(Qualification.training_country, func.count(distinct(Qualification.professional_id)))
        .join(Professional, Professional.id == Qualification.professional_id)
        .where(resident, foreign)
        .group_by(Qualification.training_country)
        .order_by(
            func.count(distinct(Qualification.professional_id)).desc(),
            Qualification.training_country,
        )
        .limit(TOP_TRAINING_COUNTRIES)
    )
    listed = SafeguardListCountry.country_code.is_not(None)
    recruited = await session.execute(
        select(
            Recruitment.source_country,
            func.count(),
            *(
                func.sum(case((Recruitment.verdict == v, 1), else_=0)).label(v.value)
                for v in Verdict
            ),
        )
        .outerjoin(
            SafeguardListCountry,
            and_(
                SafeguardListCountry.edition_year == Recruitment.verdict_edition_year,
                SafeguardListCountry.country_code == Recruitment.source_country,
            ),
        )
        .where(
            Recruitment.destination_country == country,
            Recruitment.proposed_on.between(start, end),
            listed,
        )
        .group_by(Recruitment.source_country)
        .order_by(Recruitment.source_country)
    )
    agreements = await session.scalars(
        select(BilateralAgreement)
        .where(
            BilateralAgreement.destination_country == country,
            BilateralAgreement.valid_from <= end,
            or_(BilateralAgreement.valid_until.is_(None), BilateralAgreement.valid_until >= start),
        )
        .order_by(BilateralAgreement.source_country, BilateralAgreement.valid_from)
    )
    return {
        "country": country,
        "year": year,
        "stock_by_occupation": [
            {"isco_code": code, "registered": n, "foreign_trained": f} for code, n, f in stock
        ],
        "inflow_recognitions_by_occupation": [
            {"isco_code": code, "recognitions": n} for code, n in inflow
        ],
        "top_countries_of_training": [
            {"country": code, "professionals": n} for code, n in training
        ],
        "recruitments_from_listed_countries": [
            {
                "source_country": row[0],
                "recruitments": row[1],
                **{v.value: int(getattr(row, v.value) or 0) for v in Verdict},
            }
            for row in recruited
        ],
        "agreements_in_force": [
            {
                "name": a.name,
                "source_country": a.source_country,
                "occupations": list(a.occupations),
                "valid_from": a.valid_from.isoformat(),
                "valid_until": a.valid_until.isoformat() if a.valid_until else None,
                "notified_to_who": a.notified_to_who,
            }
            for a in agreements
        ],
    }


def nri_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report as tidy rows (section, occupation, country, measure, value) for CSV."""
    rows: list[dict[str, Any]] = []

    def add(
        section: str, measure: str, value: Any, occupation: str = "", country: str = ""
    ) -> None:
        rows.append(
            {
                "section": section,
                "occupation": occupation,
                "country": country,
                "measure": measure,
                "value": value,
            }
        )

    for item in report["stock_by_occupation"]:
        add("stock", "registered", item["registered"], item["isco_code"])
        add("stock", "foreign_trained", item["foreign_trained"], item["isco_code"])
    for item in report["inflow_recognitions_by_occupation"]:
        add("inflow", "recognitions", item["recognitions"], item["isco_code"])
    for item in report["top_countries_of_training"]:
        add("training", "professionals", item["professionals"], country=item["country"])
    for item in report["recruitments_from_listed_countries"]:
        for measure in ("recruitments", *(v.value for v in Verdict)):
            add("recruitment_listed", measure, item[measure], country=item["source_country"])
    for item in report["agreements_in_force"]:
        add(
            "agreement",
            item["name"],
            item["valid_from"],
            ";".join(item["occupations"]),
            item["source_country"],
        )
    return rows
