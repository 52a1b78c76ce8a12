from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, cast

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from registry.credentials import services
from registry.credentials.enums import EvidenceLevel, QualificationKind
from registry.errors import Issues, ValidationFailedError
from registry.patch import UNSET
from schema.context import Info
from schema.errors import Forbidden, NotFound, ValidationFailed, VersionConflict
from schema.ids import InvalidGlobalIdError, expect_global_id
from schema.mutations.inputs import nullable, required
from schema.mutations.runner import run_mutation, run_versioned
from schema.types.credentials import Qualification


@strawberry.input
class DocumentInput:
    kind: str = strawberry.field(description="e.g. diploma, transcript, licence, passport page")
    file_name: str
    sha256: str | None = None
    pages: int | None = None

    def to_domain(self) -> services.DocumentInput:
        return services.DocumentInput(self.kind, self.file_name, self.sha256, self.pages)


@strawberry.input
class AddQualificationInput:
    professional_id: strawberry.ID
    kind: QualificationKind
    original_title: str = strawberry.field(description="As written on the credential")
    title_language: str = strawberry.field(description="ISO 639-1 or 639-3")
    training_country: str = strawberry.field(description="ISO 3166-1 alpha-2")
    evidence_level: EvidenceLevel
    institution: str | None = None
    award_date: date | None = None
    isco_code: str | None = strawberry.field(default=None, description="ISCO-08 unit group")
    documents: list[DocumentInput] = strawberry.field(default_factory=list)


@strawberry.input
class UpdateQualificationInput:
    id: strawberry.ID
    version: int
    kind: QualificationKind | None = strawberry.UNSET
    original_title: str | None = strawberry.UNSET
    title_language: str | None = strawberry.UNSET
    training_country: str | None = strawberry.UNSET
    evidence_level: EvidenceLevel | None = strawberry.UNSET
    institution: str | None = strawberry.UNSET
    award_date: date | None = strawberry.UNSET
    isco_code: str | None = strawberry.UNSET
    documents: list[DocumentInput] | None = strawberry.UNSET

    def to_domain(self) -> services.QualificationChanges:
        issues = Issues()
        documents = required(self.documents, "input.documents", issues)
        changes = services.QualificationChanges(
            kind=required(self.kind, "input.kind", issues),
            original_title=required(self.original_title, "input.originalTitle", issues),
            title_language=required(self.title_language, "input.titleLanguage", issues),
            training_country=required(self.training_country, "input.trainingCountry", issues),
            evidence_level=required(self.evidence_level, "input.evidenceLevel", issues),
            institution=nullable(self.institution),
            award_date=nullable(self.award_date),
            isco_code=nullable(self.isco_code),
            documents=UNSET if documents is UNSET else [d.to_domain() for d in documents],
        )
        issues.raise_if_any()
        return changes


@strawberry.input
class RemoveQualificationInput:
    id: strawberry.ID
    version: int


@strawberry.input
class ConfirmQualificationMappingInput:
    id: strawberry.ID
    version: int
    isco_code: str | None = strawberry.field(
        default=None, description="Omit to confirm the stored occupation; give one to override it"
    )


@strawberry.type
class QualificationMappingConfirmed:
    qualification: Qualification


@strawberry.type
class QualificationAdded:
    qualification: Qualification


@strawberry.type
class QualificationUpdated:
    qualification: Qualification


@strawberry.type
class QualificationRemoved:
    id: strawberry.ID


AddQualificationResult = Annotated[
    QualificationAdded | ValidationFailed | NotFound | Forbidden,
    strawberry.union("AddQualificationResult"),
]
UpdateQualificationResult = Annotated[
    QualificationUpdated | ValidationFailed | NotFound | VersionConflict | Forbidden,
    strawberry.union("UpdateQualificationResult"),
]
ConfirmQualificationMappingResult = Annotated[
    QualificationMappingConfirmed | ValidationFailed | NotFound | VersionConflict | Forbidden,
    strawberry.union("ConfirmQualificationMappingResult"),
]
RemoveQualificationResult = Annotated[
    QualificationRemoved | ValidationFailed | NotFound | VersionConflict | Forbidden,
    strawberry.union("RemoveQualificationResult"),
]


@strawberry.type
class CredentialMutations:
    @strawberry.mutation
    async def add_qualification(
        self, info: Info, input: AddQualificationInput
    ) -> AddQualificationResult:
        ctx = info.context
        try:
            professional_id = expect_global_id(input.professional_id, "Professional")
        except InvalidGlobalIdError as exc:
            return ValidationFailed.bad_id("input.professionalId", exc)
        data = services.QualificationData(
            kind=input.kind,
            original_title=input.original_title,
            title_language=input.title_language,
            training_country=input.training_country,
            evidence_level=input.evidence_level,
            institution=input.institution,
            award_date=input.award_date,
            isco_code=input.isco_code,
            documents=[d.to_domain() for d in input.documents],
        )

        async def work(session: AsyncSession) -> QualificationAdded:
            q = await services.add(
                session,
                ctx.catalog,
                ctx.principal,
                professional_id,
                data,
                today=ctx.today(),
                matcher=ctx.matcher,
            )
            return QualificationAdded(qualification=Qualification.from_model(q))

        return cast(
            "AddQualificationResult", await run_mutation(info, work, entity="Qualification")
        )

    @strawberry.mutation
    async def update_qualification(
        self, info: Info, input: UpdateQualificationInput
    ) -> UpdateQualificationResult:
        ctx = info.context
        try:
            changes = input.to_domain()
        except ValidationFailedError as exc:
            return ValidationFailed.of(exc.issues)

        async def work(session: AsyncSession, identifier: uuid.UUID) -> QualificationUpdated:
            q = await services.update(
                session,
                ctx.catalog,
                ctx.principal,
                identifier,
                input.version,
                changes,
                today=ctx.today(),
            )
            return QualificationUpdated(qualification=Qualification.from_model(q))

        return cast(
            "UpdateQualificationResult",
            await run_versioned(info, "Qualification", input.id, input.version, work),
        )

    @strawberry.mutation(
        description="An accreditation body confirms a credential's occupation or overrides it"
    )
    async def confirm_qualification_mapping(
        self, info: Info, input: ConfirmQualificationMappingInput
    ) -> ConfirmQualificationMappingResult:
        ctx = info.context

        async def work(
            session: AsyncSession, identifier: uuid.UUID
        ) -> QualificationMappingConfirmed:
            q = await services.confirm_mapping(
                session,
                ctx.catalog,
                ctx.principal,
                identifier,
                input.version,
                input.isco_code,
                now=ctx.now(),
            )
            return QualificationMappingConfirmed(qualification=Qualification.from_model(q))

        return cast(
            "ConfirmQualificationMappingResult",
            await run_versioned(info, "Qualification", input.id, input.version, work),
        )

    @strawberry.mutation
    async def remove_qualification(
        self, info: Info, input: RemoveQualificationInput
    ) -> RemoveQualificationResult:
        ctx = info.context

        async def work(session: AsyncSession, identifier: uuid.UUID) -> QualificationRemoved:
            await services.remove(session, ctx.principal, identifier, input.version)
            return QualificationRemoved(id=input.id)

        return cast(
            "RemoveQualificationResult",
            await run_versioned(info, "Qualification", input.id, input.version, work),
        )
