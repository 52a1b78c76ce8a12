from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from registry.professionals.enums import LanguageLevel, ProtectionStatus, Sex
from registry.professionals.models import Professional as ProfessionalModel
from registry.reference.catalog import language
from schema.context import Info
from schema.ids import to_global_id
from schema.types import enums as _enums  # noqa: F401 - registers enum names
from schema.types.common import Connection, Node
from schema.types.credentials import Qualification
from schema.types.reference import Country, Language, country_of

if TYPE_CHECKING:
    from schema.types.accreditation import RecognitionCase
    from schema.types.shortages import ShortageMatch


@strawberry.type
class LanguageSkill:
    language: Language
    level: LanguageLevel


async def languages_of(info: Info, professional_id: uuid.UUID) -> list[LanguageSkill]:
    skills = await info.context.loaders.languages_of.load(professional_id)
    result = []
    for skill in skills or []:
        found = language(skill.language_code)
        if found is not None:
            result.append(LanguageSkill(language=Language.from_info(found), level=skill.level))
    return result


@strawberry.type
class Professional(Node):
    id: strawberry.ID
    family_name: str
    given_names: str
    birth_date: date
    sex: Sex
    protection_status: ProtectionStatus
    consent_to_placement: bool
    version: int = strawberry.field(description="Pass it back to update: stale versions conflict")
    created_at: datetime
    updated_at: datetime
    model_id: strawberry.Private[uuid.UUID]
    birth_country_code: strawberry.Private[str]
    residence_country_code: strawberry.Private[str]

    @strawberry.field
    def birth_country(self, info: Info) -> Country:
        return country_of(info, self.birth_country_code)

    @strawberry.field
    def residence_country(self, info: Info) -> Country:
        return country_of(info, self.residence_country_code)

    @strawberry.field
    async def citizenships(self, info: Info) -> list[Country]:
        codes = await info.context.loaders.citizenships_of.load(self.model_id)
        return [country_of(info, code) for code in codes or []]

    @strawberry.field
    async def languages(self, info: Info) -> list[LanguageSkill]:
        return await languages_of(info, self.model_id)

    @strawberry.field(description="At most 50 per professional, oldest first")
    async def qualifications(self, info: Info) -> list[Qualification]:
        models = await info.context.loaders.qualifications_of.load(self.model_id)
        return [Qualification.from_model(q) for q in models or []]

    @strawberry.field(description="Recognition cases that you may see, oldest first")
    async def recognition_cases(
        self, info: Info
    ) -> list[Annotated[RecognitionCase, strawberry.lazy("schema.types.accreditation")]]:
        from schema.types.accreditation import RecognitionCase

        found = await info.context.loaders.cases_of.load(self.model_id)
        return [RecognitionCase.from_model(c) for c in found or []]

    @strawberry.field(description="Open shortages they fit, best first (see Shortage.candidates)")
    async def matching_shortages(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[Annotated[ShortageMatch, strawberry.lazy("schema.types.shortages")]] | None:
        from schema.types.shortages import matching_shortages_of

        return await matching_shortages_of(info, self.model_id, first, after)

    @classmethod
    def from_model(cls, p: ProfessionalModel) -> Professional:
        return cls(
            id=to_global_id("Professional", p.id),
            family_name=p.family_name,
            given_names=p.given_names,
            birth_date=p.birth_date,
            sex=p.sex,
            protection_status=p.protection_status,
            consent_to_placement=p.consent_to_placement,
            version=p.version,
            created_at=p.created_at,
            updated_at=p.updated_at,
            model_id=p.id,
            birth_country_code=p.birth_country,
            residence_country_code=p.residence_country,
        )
