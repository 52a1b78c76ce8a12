from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from registry.credentials.enums import EvidenceLevel, MappingMethod, QualificationKind
from registry.credentials.models import Qualification as QualificationModel
from schema.context import Info
from schema.ids import to_global_id
from schema.types import enums as _enums  # noqa: F401 - registers enum names
from schema.types.common import Node
from schema.types.reference import Country, Occupation

if TYPE_CHECKING:
    from schema.types.accreditation import Verification
    from schema.types.professionals import Professional


@strawberry.type
class Document:
    kind: str
    file_name: str
    sha256: str | None
    pages: int | None


@strawberry.type
class OccupationMapping:
    """How the credential's ISCO-08 occupation was decided, and by whom it was confirmed."""

    method: MappingMethod
    score: float | None
    matched_alias: str | None
    alias_table_version: str | None
    confirmed_by: str | None
    confirmed_at: datetime | None


@strawberry.type
class Qualification(Node):
    id: strawberry.ID
    kind: QualificationKind
    original_title: str
    title_language: str = strawberry.field(description="ISO 639-3")
    institution: str | None
    award_date: date | None
    evidence_level: EvidenceLevel
    documents: list[Document]
    version: int
    created_at: datetime
    updated_at: datetime
    mapping: OccupationMapping | None
    training_country_code: strawberry.Private[str]
    isco_code: strawberry.Private[str | None]
    professional_id: strawberry.Private[uuid.UUID]
    model_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    def training_country(self, info: Info) -> Country:
        found = info.context.catalog.country(self.training_country_code)
        assert found is not None  # guarded by a foreign key
        return Country.from_info(found)

    @strawberry.field
    def occupation(self, info: Info) -> Occupation | None:
        found = info.context.catalog.occupation(self.isco_code) if self.isco_code else None
        return Occupation.from_info(found) if found else None

    @strawberry.field
    async def professional(
        self, info: Info
    ) -> Annotated[Professional, strawberry.lazy("schema.types.professionals")] | None:
        from schema.types.professionals import Professional

        model = await info.context.loaders.professional.load(self.professional_id)
        return Professional.from_model(model) if model else None

    @strawberry.field(description="Verifications of this credential that you may see")
    async def verifications(
        self, info: Info
    ) -> list[Annotated[Verification, strawberry.lazy("schema.types.accreditation")]]:
        from schema.types.accreditation import Verification

        found = await info.context.loaders.verifications_of.load(self.model_id)
        return [Verification.from_model(v) for v in found or []]

    @classmethod
    def from_model(cls, q: QualificationModel) -> Qualification:
        mapping = None
        if q.mapping_method is not None:
            mapping = OccupationMapping(
                method=q.mapping_method,
                score=q.mapping_score,
                matched_alias=q.matched_alias,
                alias_table_version=q.alias_table_version,
                confirmed_by=q.mapping_confirmed_by,
                confirmed_at=q.mapping_confirmed_at,
            )
        return cls(
            id=to_global_id("Qualification", q.id),
            kind=q.kind,
            original_title=q.original_title,
            title_language=q.title_language,
            institution=q.institution,
            award_date=q.award_date,
            evidence_level=q.evidence_level,
            documents=[
                Document(
                    kind=d["kind"],
                    file_name=d["file_name"],
                    sha256=d.get("sha256"),
                    pages=d.get("pages"),
                )
                for d in q.documents
            ],
            version=q.version,
            created_at=q.created_at,
            updated_at=q.updated_at,
            mapping=mapping,
            training_country_code=q.training_country,
            isco_code=q.isco_code,
            professional_id=q.professional_id,
            model_id=q.id,
        )
