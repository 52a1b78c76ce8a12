"""Safeguard-list editions, agreements, recruitments and their compliance verdicts."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from registry.recruitment.enums import (
    RecruitmentEventKind,
    RecruitmentMode,
    RecruitmentStatus,
    Severity,
    TestedCountryBasis,
    Verdict,
)
from registry.recruitment.models import BilateralAgreement as AgreementModel
from registry.recruitment.models import Recruitment as RecruitmentModel
from registry.recruitment.models import RecruitmentEvent as EventModel
from registry.recruitment.models import SafeguardListEdition as EditionModel
from registry.recruitment.reporting import FlowDimension, FlowRow
from schema.context import Info
from schema.ids import to_global_id
from schema.types import enums as _enums  # noqa: F401 - registers enum names
from schema.types.accreditation import Organisation
from schema.types.common import Node
from schema.types.reference import Country, Occupation, country_of, occupation_of

if TYPE_CHECKING:
    from schema.types.professionals import Professional


@strawberry.type
class SafeguardListEdition:
    year: int
    effective_from: date
    criteria: str
    source: str
    country_codes: strawberry.Private[list[str]]

    @strawberry.field(description="The listed countries")
    def countries(self, info: Info) -> list[Country]:
        return [country_of(info, c) for c in self.country_codes]

    @classmethod
    def from_model(cls, e: EditionModel, countries: list[str]) -> SafeguardListEdition:
        return cls(
            year=e.year,
            effective_from=e.effective_from,
            criteria=e.criteria,
            source=e.source,
            country_codes=countries,
        )


@strawberry.type
class BilateralAgreement(Node):
    id: strawberry.ID
    name: str
    valid_from: date
    valid_until: date | None
    terms: str | None
    notified_to_who: bool
    version: int
    source_code: strawberry.Private[str]
    destination_code: strawberry.Private[str]
    occupation_codes: strawberry.Private[list[str]]

    @strawberry.field
    def source_country(self, info: Info) -> Country:
        return country_of(info, self.source_code)

    @strawberry.field
    def destination_country(self, info: Info) -> Country:
        return country_of(info, self.destination_code)

    @strawberry.field(description="Occupations covered; empty means every health occupation")
    def occupations(self, info: Info) -> list[Occupation]:
        return [occupation_of(info, c) for c in self.occupation_codes]

    @classmethod
    def from_model(cls, a: AgreementModel) -> BilateralAgreement:
        return cls(
            id=to_global_id("BilateralAgreement", a.id),
            name=a.name,
            valid_from=a.valid_from,
            valid_until=a.valid_until,
            terms=a.terms,
            notified_to_who=a.notified_to_who,
            version=a.version,
            source_code=a.source_country,
            destination_code=a.destination_country,
            occupation_codes=list(a.occupations),
        )


@strawberry.type
class Finding:
    rule: str
    severity: Severity
    citation: str = strawberry.field(description="The Code article or list the rule applies")
    message: str
    remedy: str | None = strawberry.field(description="What would make it compliant")


@strawberry.type
class Compliance:
    verdict: Verdict
    findings: list[Finding]
    edition_year: int | None = strawberry.field(description="The safeguard list judged under")
    basis: TestedCountryBasis = strawberry.field(description="Which country was tested")
    judged_at: datetime
    previous_verdict: Verdict | None
    verdict_changed_at: datetime | None


@strawberry.type
class RecruitmentEvent:
    occurred_at: datetime
    actor: str
    kind: RecruitmentEventKind
    from_value: str | None
    to_value: str | None
    note: str | None

    @classmethod
    def from_model(cls, e: EventModel) -> RecruitmentEvent:
        return cls(
            occurred_at=e.occurred_at,
            actor=e.actor,
            kind=e.kind,
            from_value=e.from_value,
            to_value=e.to_value,
            note=e.note,
        )


@strawberry.type
class Recruitment(Node):
    id: strawberry.ID
    mode: RecruitmentMode
    status: RecruitmentStatus
    proposed_on: date
    status_date: date
    candidate_fee: Decimal | None
    candidate_fee_currency: str | None
    equal_treatment_attested: bool
    compliance: Compliance
    version: int
    created_at: datetime
    model_id: strawberry.Private[uuid.UUID]
    professional_id: strawberry.Private[uuid.UUID]
    source_code: strawberry.Private[str]
    destination_code: strawberry.Private[str]
    isco_code: strawberry.Private[str]
    employer_id: strawberry.Private[uuid.UUID]
    agency_id: strawberry.Private[uuid.UUID | None]
    agreement_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field(description="The person's residence when recruited")
    def source_country(self, info: Info) -> Country:
        return country_of(info, self.source_code)

    @strawberry.field
    def destination_country(self, info: Info) -> Country:
        return country_of(info, self.destination_code)

    @strawberry.field
    def occupation(self, info: Info) -> Occupation:
        return occupation_of(info, self.isco_code)

    @strawberry.field
    async def employer(self, info: Info) -> Organisation | None:
        found = await info.context.loaders.organisation.load(self.employer_id)
        return Organisation.from_model(found) if found else None

    @strawberry.field
    async def agency(self, info: Info) -> Organisation | None:
        if self.agency_id is None:
            return None
        found = await info.context.loaders.organisation.load(self.agency_id)
        return Organisation.from_model(found) if found else None

    @strawberry.field
    async def agreement(self, info: Info) -> BilateralAgreement | None:
        if self.agreement_id is None:
            return None
        found = await info.context.loaders.agreement.load(self.agreement_id)
        return BilateralAgreement.from_model(found) if found else None

    @strawberry.field(description="The person, if your role may read their record")
    async def professional(
        self, info: Info
    ) -> Annotated[Professional, strawberry.lazy("schema.types.professionals")] | None:
        from schema.types.professionals import Professional

        found = await info.context.loaders.professional.load(self.professional_id)
        return Professional.from_model(found) if found else None

    @strawberry.field(description="Every step and re-judgement, oldest first")
    async def history(self, info: Info) -> list[RecruitmentEvent]:
        events = await info.context.loaders.recruitment_events.load(self.model_id)
        return [RecruitmentEvent.from_model(e) for e in events or []]

    @classmethod
    def from_model(cls, r: RecruitmentModel) -> Recruitment:
        return cls(
            id=to_global_id("Recruitment", r.id),
            mode=r.mode,
            status=r.status,
            proposed_on=r.proposed_on,
            status_date=r.status_date,
            candidate_fee=r.candidate_fee,
            candidate_fee_currency=r.candidate_fee_currency,
            equal_treatment_attested=r.equal_treatment_attested,
            compliance=Compliance(
                verdict=r.verdict,
                findings=[_finding(f) for f in r.findings],
                edition_year=r.verdict_edition_year,
                basis=r.verdict_basis,
                judged_at=r.judged_at,
                previous_verdict=r.previous_verdict,
                verdict_changed_at=r.verdict_changed_at,
            ),
            version=r.version,
            created_at=r.created_at,
            model_id=r.id,
            professional_id=r.professional_id,
            source_code=r.source_country,
            destination_code=r.destination_country,
            isco_code=r.isco_code,
            employer_id=r.employer_id,
            agency_id=r.agency_id,
            agreement_id=r.agreement_id,
        )


def _finding(raw: dict[str, Any]) -> Finding:
    return Finding(
        rule=raw["rule"],
        severity=Severity(raw["severity"]),
        citation=raw["citation"],
        message=raw["message"],
        remedy=raw.get("remedy"),
    )


@strawberry.type
class FlowKey:
    dimension: FlowDimension
    value: str


@strawberry.type(description="One cell of recruitment-flow statistics; null counts are withheld")
class RecruitmentFlow:
    keys: list[FlowKey]
    recruitments: int | None
    from_listed_countries: int | None
    share_from_listed_countries: float | None
    compliant: int | None
    non_compliant: int | None
    needs_review: int | None

    @classmethod
    def from_row(cls, row: FlowRow) -> RecruitmentFlow:
        return cls(
            keys=[FlowKey(dimension=d, value=v) for d, v in row.keys.items()],
            recruitments=row.recruitments,
            from_listed_countries=row.from_listed,
            share_from_listed_countries=row.share_from_listed,
            compliant=row.compliant,
            non_compliant=row.non_compliant,
            needs_review=row.needs_review,
        )
