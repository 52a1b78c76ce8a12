"""Mutations of competent authorities: organisations, verification, recognition, licences.
Each decodes its IDs, calls one service in one transaction and returns a union."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, cast

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from registry.accreditation import cases, licences, verification
from registry.accreditation.enums import (
    CaseStatus,
    CompensationMeasure,
    LicenceStatus,
    Pathway,
    VerificationMethod,
    VerificationStatus,
)
from registry.errors import Issues
from registry.organisations import services as organisations
from registry.organisations.enums import OrganisationKind
from registry.professionals.enums import LanguageLevel
from schema.context import Info
from schema.errors import (
    Forbidden,
    IllegalTransition,
    NotFound,
    ValidationFailed,
    VersionConflict,
)
from schema.mutations.inputs import decode
from schema.mutations.runner import run_mutation, run_versioned
from schema.types.accreditation import Licence, Organisation, RecognitionCase, Verification


@strawberry.input
class CreateOrganisationInput:
    kind: OrganisationKind
    name: str
    country: str = strawberry.field(description="ISO 3166-1 alpha-2")
    subdivision: str | None = strawberry.field(default=None, description="ISO 3166-2")
    authorisation: str | None = strawberry.field(
        default=None, description="An agency's licence or authorisation to recruit"
    )
    authorised_until: date | None = None
    charges_candidate_fees: bool = False


@strawberry.input
class StartVerificationInput:
    qualification_id: strawberry.ID
    method: VerificationMethod
    verifier: str = strawberry.field(description="The officer responsible for the verification")
    primary_source: str | None = strawberry.field(
        default=None, description="Required for PRIMARY_SOURCE: the institution contacted"
    )
    assessors: list[str] = strawberry.field(
        default_factory=list, description="Two different assessors for STRUCTURED_INTERVIEW"
    )
    country: str | None = strawberry.field(
        default=None, description="Verifying country: an admin names it, an authority's is fixed"
    )
    authority_id: strawberry.ID | None = None
    note: str | None = None


@strawberry.input
class RecordVerificationOutcomeInput:
    id: strawberry.ID
    version: int
    status: VerificationStatus
    status_date: date | None = strawberry.field(default=None, description="Default: today")
    next_review_date: date | None = strawberry.field(
        default=None, description="Structured interviews: at most (and by default) five years"
    )
    note: str | None = None


@strawberry.input
class LanguageRequirementInput:
    code: str = strawberry.field(description="ISO 639-1 or 639-3")
    min_level: LanguageLevel = LanguageLevel.B2


@strawberry.input
class SubmitRecognitionCaseInput:
    professional_id: strawberry.ID
    isco_code: str
    pathway: Pathway
    host_country: str | None = strawberry.field(
        default=None, description="An admin names it; an authority's token fixes it"
    )
    subdivision: str | None = strawberry.field(default=None, description="ISO 3166-2")
    authority_id: strawberry.ID | None = strawberry.field(
        default=None, description="Default: the token's own authority"
    )
    language_requirement: LanguageRequirementInput | None = None
    submitted_on: date | None = strawberry.field(default=None, description="Default: today")
    note: str | None = None


@strawberry.input
class TransitionRecognitionCaseInput:
    id: strawberry.ID
    version: int
    to: CaseStatus
    note: str | None = strawberry.field(default=None, description="Required to refuse")
    file_complete_on: date | None = strawberry.field(
        default=None, description="UNDER_REVIEW: the file was complete on (default today)"
    )
    compensation_measure: CompensationMeasure | None = None
    adaptation_months: int | None = None
    conditions: str | None = strawberry.field(
        default=None, description="Required for CONDITIONALLY_RECOGNISED"
    )


@strawberry.input
class ExtendDecisionDeadlineInput:
    id: strawberry.ID
    version: int
    reason: str


@strawberry.input
class IssueLicenceInput:
    case_id: strawberry.ID
    case_version: int
    number: str
    valid_from: date
    valid_until: date | None = None


@strawberry.input
class ChangeLicenceStatusInput:
    id: strawberry.ID
    version: int
    to: LicenceStatus
    note: str | None = strawberry.field(default=None, description="Required to suspend or revoke")


@strawberry.type
class OrganisationCreated:
    organisation: Organisation


@strawberry.type
class VerificationRecorded:
    verification: Verification


@strawberry.type
class RecognitionCaseRecorded:
    recognition_case: RecognitionCase = strawberry.field(name="case")


@strawberry.type
class LicenceRecorded:
    licence: Licence


CreateOrganisationResult = Annotated[
    OrganisationCreated | ValidationFailed | Forbidden,
    strawberry.union("CreateOrganisationResult"),
]
StartVerificationResult = Annotated[
    VerificationRecorded | ValidationFailed | NotFound | Forbidden,
    strawberry.union("StartVerificationResult"),
]
VerificationOutcomeResult = Annotated[
    VerificationRecorded
    | ValidationFailed
    | NotFound
    | VersionConflict
    | Forbidden
    | IllegalTransition,
    strawberry.union("VerificationOutcomeResult"),
]
SubmitRecognitionCaseResult = Annotated[
    RecognitionCaseRecorded | ValidationFailed | NotFound | Forbidden,
    strawberry.union("SubmitRecognitionCaseResult"),
]
RecognitionCaseResult = Annotated[
    RecognitionCaseRecorded
    | ValidationFailed
    | NotFound
    | VersionConflict
    | Forbidden
    | IllegalTransition,
    strawberry.union("RecognitionCaseResult"),
]
LicenceResult = Annotated[
    LicenceRecorded | ValidationFailed | NotFound | VersionConflict | Forbidden | IllegalTransition,
    strawberry.union("LicenceResult"),
]


@strawberry.type
class AccreditationMutations:
    @strawberry.mutation(description="Admin: register a competent authority, employer or agency")
    async def create_organisation(
        self, info: Info, input: CreateOrganisationInput
    ) -> CreateOrganisationResult:
        ctx = info.context
        data = organisations.OrganisationData(
            input.kind,
            input.name,
            input.country,
            input.subdivision,
            input.authorisation,
            input.authorised_until,
            input.charges_candidate_fees,
        )

        async def work(session: AsyncSession) -> OrganisationCreated:
            created = await organisations.create(session, ctx.catalog, ctx.principal, data)
            return OrganisationCreated(organisation=Organisation.from_model(created))

        return cast(
            "CreateOrganisationResult", await run_mutation(info, work, entity="Organisation")
        )

    @strawberry.mutation(description="Open the verification of a credential (IN_PROCESS)")
    async def start_verification(
        self, info: Info, input: StartVerificationInput
    ) -> StartVerificationResult:
        ctx = info.context
        issues = Issues()
        qualification_id = decode(
            input.qualification_id, "Qualification", "input.qualificationId", issues
        )
        authority_id = decode(input.authority_id, "Organisation", "input.authorityId", issues)
        if issues:
            return ValidationFailed.of(issues.items)
        assert qualification_id is not None
        data = verification.VerificationData(
            method=input.method,
            verifier=input.verifier,
            primary_source=input.primary_source,
            assessors=input.assessors,
            country=input.country,
            authority_id=authority_id,
            note=input.note,
        )

        async def work(session: AsyncSession) -> VerificationRecorded:
            v = await verification.start(
                session, ctx.catalog, ctx.principal, qualification_id, data, today=ctx.today()
            )
            return VerificationRecorded(verification=Verification.from_model(v))

        return cast(
            "StartVerificationResult", await run_mutation(info, work, entity="Verification")
        )

    @strawberry.mutation(description="Move a verification to its next FHIR status")
    async def record_verification_outcome(
        self, info: Info, input: RecordVerificationOutcomeInput
    ) -> VerificationOutcomeResult:
        ctx = info.context
        outcome = verification.Outcome(
            input.status, input.status_date, input.next_review_date, input.note
        )

        async def work(session: AsyncSession, identifier: uuid.UUID) -> VerificationRecorded:
            v = await verification.record_outcome(
                session,
                ctx.catalog,
                ctx.principal,
                identifier,
                input.version,
                outcome,
                today=ctx.today(),
            )
            return VerificationRecorded(verification=Verification.from_model(v))

        return cast(
            "VerificationOutcomeResult",
            await run_versioned(info, "Verification", input.id, input.version, work),
        )

    @strawberry.mutation(description="Open a recognition case (SUBMITTED)")
    async def submit_recognition_case(
        self, info: Info, input: SubmitRecognitionCaseInput
    ) -> SubmitRecognitionCaseResult:
        ctx = info.context
        issues = Issues()
        professional_id = decode(
            input.professional_id, "Professional", "input.professionalId", issues
        )
        authority_id = decode(input.authority_id, "Organisation", "input.authorityId", issues)
        if issues or professional_id is None:
            return ValidationFailed.of(issues.items)
        requirement = input.language_requirement
        data = cases.CaseData(
            professional_id=professional_id,
            isco_code=input.isco_code,
            pathway=input.pathway,
            host_country=input.host_country,
            subdivision=input.subdivision,
            authority_id=authority_id,
            required_language=requirement.code if requirement else None,
            required_language_level=requirement.min_level if requirement else None,
            submitted_on=input.submitted_on,
            note=input.note,
        )

        async def work(session: AsyncSession) -> RecognitionCaseRecorded:
            case = await cases.submit(session, ctx.catalog, ctx.principal, data, today=ctx.today())
            return RecognitionCaseRecorded(recognition_case=RecognitionCase.from_model(case))

        return cast(
            "SubmitRecognitionCaseResult",
            await run_mutation(info, work, entity="RecognitionCase"),
        )

    @strawberry.mutation(description="Move a case along its status machine")
    async def transition_recognition_case(
        self, info: Info, input: TransitionRecognitionCaseInput
    ) -> RecognitionCaseResult:
        ctx = info.context
        change = cases.Transition(
            to=input.to,
            note=input.note,
            file_complete_on=input.file_complete_on,
            compensation_measure=input.compensation_measure,
            adaptation_months=input.adaptation_months,
            conditions=input.conditions,
        )

        async def work(session: AsyncSession, identifier: uuid.UUID) -> RecognitionCaseRecorded:
            case = await cases.transition(
                session,
                ctx.catalog,
                ctx.principal,
                identifier,
                input.version,
                change,
                today=ctx.today(),
            )
            return RecognitionCaseRecorded(recognition_case=RecognitionCase.from_model(case))

        return cast(
            "RecognitionCaseResult",
            await run_versioned(info, "RecognitionCase", input.id, input.version, work),
        )

    @strawberry.mutation(description="Extend the decision deadline once, by one month")
    async def extend_decision_deadline(
        self, info: Info, input: ExtendDecisionDeadlineInput
    ) -> RecognitionCaseResult:
        ctx = info.context

        async def work(session: AsyncSession, identifier: uuid.UUID) -> RecognitionCaseRecorded:
            case = await cases.extend_deadline(
                session, ctx.catalog, ctx.principal, identifier, input.version, input.reason
            )
            return RecognitionCaseRecorded(recognition_case=RecognitionCase.from_model(case))

        return cast(
            "RecognitionCaseResult",
            await run_versioned(info, "RecognitionCase", input.id, input.version, work),
        )

    @strawberry.mutation(description="Issue the licence a recognition produced")
    async def issue_licence(self, info: Info, input: IssueLicenceInput) -> LicenceResult:
        ctx = info.context
        issues = Issues()
        case_id = decode(input.case_id, "RecognitionCase", "input.caseId", issues)
        if issues or case_id is None:
            return ValidationFailed.of(issues.items)
        data = licences.LicenceData(input.number, input.valid_from, input.valid_until)

        async def work(session: AsyncSession) -> LicenceRecorded:
            licence = await licences.issue(
                session, ctx.catalog, ctx.principal, case_id, input.case_version, data
            )
            return LicenceRecorded(licence=Licence.from_model(licence))

        return cast(
            "LicenceResult",
            await run_mutation(
                info,
                work,
                entity="RecognitionCase",
                entity_id=case_id,
                expected_version=input.case_version,
            ),
        )

    @strawberry.mutation(description="Suspend, reinstate, expire, revoke or lapse a licence")
    async def change_licence_status(
        self, info: Info, input: ChangeLicenceStatusInput
    ) -> LicenceResult:
        ctx = info.context

        async def work(session: AsyncSession, identifier: uuid.UUID) -> LicenceRecorded:
            licence = await licences.change_status(
                session,
                ctx.catalog,
                ctx.principal,
                identifier,
                input.version,
                input.to,
                input.note,
            )
            return LicenceRecorded(licence=Licence.from_model(licence))

        return cast(
            "LicenceResult", await run_versioned(info, "Licence", input.id, input.version, work)
        )
