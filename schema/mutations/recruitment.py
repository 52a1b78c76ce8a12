"""Mutations for the WHO Code work: list editions, agreements, destination policies,
agency records, and recruitments with their verdicts."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, cast

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from registry.errors import Issues
from registry.organisations import services as organisations
from registry.patch import UNSET, Unset
from registry.recruitment import reference, services
from registry.recruitment.enums import RecruitmentMode, RecruitmentStatus, TestedCountryBasis
from registry.recruitment.judging import rejudge
from registry.recruitment.models import Recruitment as RecruitmentModel
from schema.context import Info
from schema.errors import (
    Forbidden,
    IllegalTransition,
    NotFound,
    ValidationFailed,
    VersionConflict,
)
from schema.mutations.inputs import decode, given, nullable, required
from schema.mutations.runner import run_mutation, run_versioned
from schema.types.accreditation import Organisation
from schema.types.recruitment import BilateralAgreement, Recruitment, SafeguardListEdition


@strawberry.input
class LoadSafeguardListInput:
    year: int
    effective_from: date
    criteria: str
    source: str
    csv: str = strawberry.field(description="CSV with an iso2 or iso3 column, one country a row")
    replace: bool = strawberry.field(default=False, description="Replace an edition of that year")


@strawberry.input
class CreateAgreementInput:
    name: str
    source_country: str
    destination_country: str
    valid_from: date
    occupations: list[str] = strawberry.field(
        default_factory=list, description="ISCO-08 unit groups; empty covers every one"
    )
    valid_until: date | None = None
    terms: str | None = None
    notified_to_who: bool = False


@strawberry.input
class UpdateAgreementInput:
    id: strawberry.ID
    version: int
    name: str | None = strawberry.UNSET
    occupations: list[str] | None = strawberry.UNSET
    valid_from: date | None = strawberry.UNSET
    valid_until: date | None = strawberry.UNSET
    terms: str | None = strawberry.UNSET
    notified_to_who: bool | None = strawberry.UNSET


@strawberry.input
class SetDestinationPolicyInput:
    country: str
    basis: TestedCountryBasis


@strawberry.input
class UpdateOrganisationInput:
    id: strawberry.ID
    version: int
    name: str | None = strawberry.UNSET
    authorisation: str | None = strawberry.UNSET
    authorised_until: date | None = strawberry.UNSET
    charges_candidate_fees: bool | None = strawberry.UNSET


@strawberry.input
class RecordRecruitmentInput:
    professional_id: strawberry.ID
    employer_id: strawberry.ID
    destination_country: str
    iso_code: str = strawberry.field(name="iscoCode")
    mode: RecruitmentMode
    agency_id: strawberry.ID | None = None
    agreement_id: strawberry.ID | None = None
    candidate_fee: Decimal | None = None
    candidate_fee_currency: str | None = None
    equal_treatment_attested: bool = False
    proposed_on: date | None = strawberry.field(default=None, description="Default: today")


@strawberry.input
class MoveRecruitmentInput:
    id: strawberry.ID
    version: int
    to: RecruitmentStatus
    on: date | None = strawberry.field(default=None, description="Default: today")
    note: str | None = None


@strawberry.input
class UpdateRecruitmentTermsInput:
    id: strawberry.ID
    version: int
    agreement_id: strawberry.ID | None = strawberry.UNSET
    candidate_fee: Decimal | None = strawberry.UNSET
    candidate_fee_currency: str | None = strawberry.UNSET
    equal_treatment_attested: bool | None = strawberry.UNSET


@strawberry.type
class SafeguardListLoaded:
    edition: SafeguardListEdition
    rejudged: int = strawberry.field(description="Recruitments whose verdict changed")


@strawberry.type
class AgreementRecorded:
    agreement: BilateralAgreement
    rejudged: int


@strawberry.type
class DestinationPolicySet:
    country: str
    basis: TestedCountryBasis
    rejudged: int


@strawberry.type
class OrganisationUpdated:
    organisation: Organisation
    rejudged: int


@strawberry.type
class RecruitmentRecorded:
    recruitment: Recruitment


LoadSafeguardListResult = Annotated[
    SafeguardListLoaded | ValidationFailed | Forbidden, strawberry.union("LoadSafeguardListResult")
]
AgreementResult = Annotated[
    AgreementRecorded | ValidationFailed | NotFound | VersionConflict | Forbidden,
    strawberry.union("AgreementResult"),
]
DestinationPolicyResult = Annotated[
    DestinationPolicySet | ValidationFailed | Forbidden, strawberry.union("DestinationPolicyResult")
]
UpdateOrganisationResult = Annotated[
    OrganisationUpdated | ValidationFailed | NotFound | VersionConflict | Forbidden,
    strawberry.union("UpdateOrganisationResult"),
]
RecruitmentResult = Annotated[
    RecruitmentRecorded
    | ValidationFailed
    | NotFound
    | VersionConflict
    | Forbidden
    | IllegalTransition,
    strawberry.union("RecruitmentResult"),
]


@strawberry.type
class RecruitmentMutations:
    @strawberry.mutation(description="Admin: load a safeguard-list edition; re-judges recruitments")
    async def load_safeguard_list(
        self, info: Info, input: LoadSafeguardListInput
    ) -> LoadSafeguardListResult:
        ctx = info.context

        async def work(session: AsyncSession) -> SafeguardListLoaded:
            countries = reference.parse_edition_csv(input.csv, ctx.catalog)
            data = reference.EditionData(
                input.year, input.effective_from, input.criteria, input.source, countries
            )
            loaded = await reference.load_edition(
                session, ctx.catalog, ctx.principal, data, now=ctx.now(), replace=input.replace
            )
            return SafeguardListLoaded(
                edition=SafeguardListEdition.from_model(loaded.edition, sorted(countries)),
                rejudged=loaded.rejudged,
            )

        return cast(
            "LoadSafeguardListResult",
            await run_mutation(info, work, entity="SafeguardListEdition"),
        )

    @strawberry.mutation(description="Admin: record a government-to-government agreement")
    async def create_agreement(self, info: Info, input: CreateAgreementInput) -> AgreementResult:
        ctx = info.context
        data = reference.AgreementData(
            name=input.name,
            source_country=input.source_country,
            destination_country=input.destination_country,
            valid_from=input.valid_from,
            occupations=input.occupations,
            valid_until=input.valid_until,
            terms=input.terms,
            notified_to_who=input.notified_to_who,
        )

        async def work(session: AsyncSession) -> AgreementRecorded:
            agreement, changed = await reference.create_agreement(
                session, ctx.catalog, ctx.principal, data, now=ctx.now()
            )
            return AgreementRecorded(
                agreement=BilateralAgreement.from_model(agreement), rejudged=changed
            )

        return cast("AgreementResult", await run_mutation(info, work, entity="BilateralAgreement"))

    @strawberry.mutation(description="Admin: change an agreement; re-judges its recruitments")
    async def update_agreement(self, info: Info, input: UpdateAgreementInput) -> AgreementResult:
        ctx = info.context
        issues = Issues()
        changes = reference.AgreementChanges(
            name=required(input.name, "input.name", issues),
            occupations=required(input.occupations, "input.occupations", issues),
            valid_from=required(input.valid_from, "input.validFrom", issues),
            valid_until=nullable(input.valid_until),
            terms=nullable(input.terms),
            notified_to_who=required(input.notified_to_who, "input.notifiedToWho", issues),
        )

        async def work(session: AsyncSession, identifier: uuid.UUID) -> AgreementRecorded:
            agreement, changed = await reference.update_agreement(
                session,
                ctx.catalog,
                ctx.principal,
                identifier,
                input.version,
                changes,
                now=ctx.now(),
            )
            return AgreementRecorded(
                agreement=BilateralAgreement.from_model(agreement), rejudged=changed
            )

        return cast(
            "AgreementResult",
            await run_versioned(info, "BilateralAgreement", input.id, input.version, work, issues),
        )

    @strawberry.mutation(description="Admin: which country a destination tests against the list")
    async def set_destination_policy(
        self, info: Info, input: SetDestinationPolicyInput
    ) -> DestinationPolicyResult:
        ctx = info.context

        async def work(session: AsyncSession) -> DestinationPolicySet:
            policy, changed = await reference.set_policy(
                session, ctx.catalog, ctx.principal, input.country, input.basis, now=ctx.now()
            )
            return DestinationPolicySet(
                country=policy.country_code, basis=policy.basis, rejudged=changed
            )

        return cast(
            "DestinationPolicyResult", await run_mutation(info, work, entity="DestinationPolicy")
        )

    @strawberry.mutation(description="Admin: an organisation's authorisation or fee policy")
    async def update_organisation(
        self, info: Info, input: UpdateOrganisationInput
    ) -> UpdateOrganisationResult:
        ctx = info.context
        issues = Issues()
        changes = organisations.OrganisationChanges(
            name=required(input.name, "input.name", issues),
            authorisation=nullable(input.authorisation),
            authorised_until=nullable(input.authorised_until),
            charges_candidate_fees=required(
                input.charges_candidate_fees, "input.chargesCandidateFees", issues
            ),
        )

        async def work(session: AsyncSession, identifier: uuid.UUID) -> OrganisationUpdated:
            updated = await organisations.update(
                session, ctx.catalog, ctx.principal, identifier, input.version, changes
            )
            changed = await rejudge(
                session,
                ctx.principal,
                RecruitmentModel.agency_id == updated.id,
                f"organisation {updated.name} updated",
                now=ctx.now(),
            )
            return OrganisationUpdated(
                organisation=Organisation.from_model(updated), rejudged=changed
            )

        return cast(
            "UpdateOrganisationResult",
            await run_versioned(info, "Organisation", input.id, input.version, work, issues),
        )

    @strawberry.mutation(description="Record a recruitment; it is judged at once")
    async def record_recruitment(
        self, info: Info, input: RecordRecruitmentInput
    ) -> RecruitmentResult:
        ctx = info.context
        issues = Issues()
        professional_id = decode(
            input.professional_id, "Professional", "input.professionalId", issues
        )
        employer_id = decode(input.employer_id, "Organisation", "input.employerId", issues)
        agency_id = decode(input.agency_id, "Organisation", "input.agencyId", issues)
        agreement_id = decode(input.agreement_id, "BilateralAgreement", "input.agreementId", issues)
        if issues or professional_id is None or employer_id is None:
            return ValidationFailed.of(issues.items)
        data = services.RecruitmentData(
            professional_id=professional_id,
            employer_id=employer_id,
            destination_country=input.destination_country,
            isco_code=input.iso_code,
            mode=input.mode,
            agency_id=agency_id,
            agreement_id=agreement_id,
            candidate_fee=input.candidate_fee,
            candidate_fee_currency=input.candidate_fee_currency,
            equal_treatment_attested=input.equal_treatment_attested,
            proposed_on=input.proposed_on,
        )

        async def work(session: AsyncSession) -> RecruitmentRecorded:
            recorded = await services.create(
                session, ctx.catalog, ctx.principal, data, today=ctx.today(), now=ctx.now()
            )
            return RecruitmentRecorded(recruitment=Recruitment.from_model(recorded))

        return cast("RecruitmentResult", await run_mutation(info, work, entity="Recruitment"))

    @strawberry.mutation(description="Move a recruitment along its pipeline")
    async def move_recruitment(self, info: Info, input: MoveRecruitmentInput) -> RecruitmentResult:
        ctx = info.context

        async def work(session: AsyncSession, identifier: uuid.UUID) -> RecruitmentRecorded:
            moved = await services.transition(
                session,
                ctx.catalog,
                ctx.principal,
                identifier,
                input.version,
                input.to,
                input.on,
                input.note,
                today=ctx.today(),
            )
            return RecruitmentRecorded(recruitment=Recruitment.from_model(moved))

        return cast(
            "RecruitmentResult",
            await run_versioned(info, "Recruitment", input.id, input.version, work),
        )

    @strawberry.mutation(description="Change fees, attestation or agreement; re-judged at once")
    async def update_recruitment_terms(
        self, info: Info, input: UpdateRecruitmentTermsInput
    ) -> RecruitmentResult:
        ctx = info.context
        issues = Issues()
        agreement_id: uuid.UUID | Unset | None = UNSET
        if input.agreement_id is None:
            agreement_id = None
        elif given(input.agreement_id):
            agreement_id = decode(
                input.agreement_id, "BilateralAgreement", "input.agreementId", issues
            )
        changes = services.TermsChanges(
            agreement_id=agreement_id,
            candidate_fee=nullable(input.candidate_fee),
            candidate_fee_currency=nullable(input.candidate_fee_currency),
            equal_treatment_attested=required(
                input.equal_treatment_attested, "input.equalTreatmentAttested", issues
            ),
        )

        async def work(session: AsyncSession, identifier: uuid.UUID) -> RecruitmentRecorded:
            updated = await services.update_terms(
                session,
                ctx.catalog,
                ctx.principal,
                identifier,
                input.version,
                changes,
                now=ctx.now(),
            )
            return RecruitmentRecorded(recruitment=Recruitment.from_model(updated))

        return cast(
            "RecruitmentResult",
            await run_versioned(info, "Recruitment", input.id, input.version, work, issues),
        )
