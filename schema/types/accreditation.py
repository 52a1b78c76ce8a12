"""Organisations, verifications, recognition cases, their history and licences."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from registry.accreditation.enums import (
    CaseEventKind,
    CaseStatus,
    CompensationMeasure,
    LicenceStatus,
    Pathway,
    VerificationMethod,
    VerificationStatus,
)
from registry.accreditation.models import CaseEvent as CaseEventModel
from registry.accreditation.models import Licence as LicenceModel
from registry.accreditation.models import RecognitionCase as CaseModel
from registry.accreditation.models import Verification as VerificationModel
from registry.organisations.enums import OrganisationKind
from registry.organisations.models import Organisation as OrganisationModel
from registry.professionals.enums import LanguageLevel
from registry.reference.catalog import language
from schema.context import Info
from schema.ids import to_global_id
from schema.types import enums as _enums  # noqa: F401 - registers enum names
from schema.types.common import Node
from schema.types.reference import Country, Language, Occupation, country_of, occupation_of

if TYPE_CHECKING:
    from schema.types.credentials import Qualification
    from schema.types.professionals import Professional

ProfessionalRef = Annotated["Professional", strawberry.lazy("schema.types.professionals")]
QualificationRef = Annotated["Qualification", strawberry.lazy("schema.types.credentials")]


@strawberry.type
class Organisation(Node):
    id: strawberry.ID
    kind: OrganisationKind
    name: str
    subdivision: str | None = strawberry.field(description="ISO 3166-2")
    authorisation: str | None = strawberry.field(
        description="An agency's licence or authorisation to recruit"
    )
    authorised_until: date | None
    charges_candidate_fees: bool = strawberry.field(description="The declared fee policy")
    version: int
    country_code: strawberry.Private[str]

    @strawberry.field
    def country(self, info: Info) -> Country:
        return country_of(info, self.country_code)

    @classmethod
    def from_model(cls, o: OrganisationModel) -> Organisation:
        return cls(
            id=to_global_id("Organisation", o.id),
            kind=o.kind,
            name=o.name,
            subdivision=o.subdivision,
            authorisation=o.authorisation,
            authorised_until=o.authorised_until,
            charges_candidate_fees=o.charges_candidate_fees,
            version=o.version,
            country_code=o.country,
        )


async def _organisation(info: Info, identifier: uuid.UUID | None) -> Organisation | None:
    if identifier is None:
        return None
    found = await info.context.loaders.organisation.load(identifier)
    return Organisation.from_model(found) if found else None


@strawberry.type(description="How one authority verified one credential (FHIR VerificationResult)")
class Verification(Node):
    id: strawberry.ID
    status: VerificationStatus
    method: VerificationMethod
    primary_source: str | None
    verifier: str
    assessors: list[str]
    status_date: date
    next_review_date: date | None
    note: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    country_code: strawberry.Private[str]
    authority_id: strawberry.Private[uuid.UUID | None]
    qualification_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    def country(self, info: Info) -> Country:
        return country_of(info, self.country_code)

    @strawberry.field
    async def authority(self, info: Info) -> Organisation | None:
        return await _organisation(info, self.authority_id)

    @strawberry.field
    async def qualification(self, info: Info) -> QualificationRef | None:
        from schema.types.credentials import Qualification

        found = await info.context.loaders.qualification.load(self.qualification_id)
        return Qualification.from_model(found) if found else None

    @classmethod
    def from_model(cls, v: VerificationModel) -> Verification:
        return cls(
            id=to_global_id("Verification", v.id),
            status=v.status,
            method=v.method,
            primary_source=v.primary_source,
            verifier=v.verifier,
            assessors=list(v.assessors),
            status_date=v.status_date,
            next_review_date=v.next_review_date,
            note=v.note,
            version=v.version,
            created_at=v.created_at,
            updated_at=v.updated_at,
            country_code=v.country,
            authority_id=v.authority_id,
            qualification_id=v.qualification_id,
        )


@strawberry.type(description="One step in a case's history")
class CaseEvent:
    occurred_at: datetime
    actor: str
    kind: CaseEventKind
    from_status: str | None
    to_status: str | None
    note: str | None

    @classmethod
    def from_model(cls, e: CaseEventModel) -> CaseEvent:
        return cls(
            occurred_at=e.occurred_at,
            actor=e.actor,
            kind=e.kind,
            from_status=e.from_status,
            to_status=e.to_status,
            note=e.note,
        )


@strawberry.type
class LanguageRequirement:
    language: Language
    min_level: LanguageLevel


@strawberry.type
class Licence(Node):
    id: strawberry.ID
    number: str
    status: LicenceStatus
    valid_from: date
    valid_until: date | None
    version: int
    country_code: strawberry.Private[str]
    isco_code: strawberry.Private[str]
    case_id: strawberry.Private[uuid.UUID]
    professional_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    def country(self, info: Info) -> Country:
        return country_of(info, self.country_code)

    @strawberry.field
    def occupation(self, info: Info) -> Occupation:
        return occupation_of(info, self.isco_code)

    @strawberry.field(name="case")
    async def recognition_case(self, info: Info) -> RecognitionCase | None:
        found = await info.context.loaders.case.load(self.case_id)
        return RecognitionCase.from_model(found) if found else None

    @strawberry.field
    async def professional(self, info: Info) -> ProfessionalRef | None:
        from schema.types.professionals import Professional

        found = await info.context.loaders.professional.load(self.professional_id)
        return Professional.from_model(found) if found else None

    @classmethod
    def from_model(cls, lic: LicenceModel) -> Licence:
        return cls(
            id=to_global_id("Licence", lic.id),
            number=lic.number,
            status=lic.status,
            valid_from=lic.valid_from,
            valid_until=lic.valid_until,
            version=lic.version,
            country_code=lic.country,
            isco_code=lic.isco_code,
            case_id=lic.case_id,
            professional_id=lic.professional_id,
        )


@strawberry.type
class RecognitionCase(Node):
    id: strawberry.ID
    subdivision: str | None = strawberry.field(description="ISO 3166-2")
    pathway: Pathway
    status: CaseStatus
    submitted_on: date
    file_complete_on: date | None
    decision_due: date | None = strawberry.field(
        description="Three months after the file is complete, plus one extension of a month"
    )
    deadline_extended: bool
    extension_reason: str | None
    decided_on: date | None
    compensation_measure: CompensationMeasure | None
    adaptation_months: int | None
    conditions: str | None
    version: int = strawberry.field(description="Pass it back to act on the case")
    created_at: datetime
    updated_at: datetime
    host_country_code: strawberry.Private[str]
    isco_code: strawberry.Private[str]
    authority_id: strawberry.Private[uuid.UUID]
    professional_id: strawberry.Private[uuid.UUID]
    required_language: strawberry.Private[str | None]
    required_level: strawberry.Private[LanguageLevel | None]
    model_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    def host_country(self, info: Info) -> Country:
        return country_of(info, self.host_country_code)

    @strawberry.field
    def occupation(self, info: Info) -> Occupation:
        return occupation_of(info, self.isco_code)

    @strawberry.field
    async def authority(self, info: Info) -> Organisation | None:
        return await _organisation(info, self.authority_id)

    @strawberry.field
    def language_requirement(self) -> LanguageRequirement | None:
        found = language(self.required_language) if self.required_language else None
        if found is None or self.required_level is None:
            return None
        return LanguageRequirement(
            language=Language.from_info(found), min_level=self.required_level
        )

    @strawberry.field
    async def professional(self, info: Info) -> ProfessionalRef | None:
        from schema.types.professionals import Professional

        found = await info.context.loaders.professional.load(self.professional_id)
        return Professional.from_model(found) if found else None

    @strawberry.field
    async def licence(self, info: Info) -> Licence | None:
        found = await info.context.loaders.licence_of_case.load(self.model_id)
        return Licence.from_model(found) if found else None

    @strawberry.field(description="Every step, oldest first")
    async def history(self, info: Info) -> list[CaseEvent]:
        events = await info.context.loaders.history_of.load(self.model_id)
        return [CaseEvent.from_model(e) for e in events or []]

    @classmethod
    def from_model(cls, c: CaseModel) -> RecognitionCase:
        return cls(
            id=to_global_id("RecognitionCase", c.id),
            subdivision=c.subdivision,
            pathway=c.pathway,
            status=c.status,
            submitted_on=c.submitted_on,
            file_complete_on=c.file_complete_on,
            decision_due=c.decision_due,
            deadline_extended=c.deadline_extended,
            extension_reason=c.extension_reason,
            decided_on=c.decided_on,
            compensation_measure=c.compensation_measure,
            adaptation_months=c.adaptation_months,
            conditions=c.conditions,
            version=c.version,
            created_at=c.created_at,
            updated_at=c.updated_at,
            host_country_code=c.host_country,
            isco_code=c.isco_code,
            authority_id=c.authority_id,
            professional_id=c.professional_id,
            required_language=c.required_language,
            required_level=c.required_language_level,
            model_id=c.id,
        )


@strawberry.type(description="A signed verification report: hand `document` to the reader")
class VerificationReport:
    document: str = strawberry.field(description="JSON with `report` and its Ed25519 `signature`")
    key_id: str
    report_id: str


@strawberry.type
class ReportCheck:
    authentic: bool
    reason: str
    key_id: str = strawberry.field(description="This registry's signing key")
    issued_at: str | None
    subject_registry_id: str | None
