from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, cast

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from registry.errors import Issues, ValidationFailedError
from registry.patch import UNSET
from registry.professionals import services
from registry.professionals.enums import LanguageLevel, ProtectionStatus, Sex
from schema.context import Info
from schema.errors import (
    DuplicateProfessional,
    Forbidden,
    NotFound,
    ValidationFailed,
    VersionConflict,
)
from schema.mutations.inputs import required
from schema.mutations.runner import run_mutation, run_versioned
from schema.types.professionals import Professional


@strawberry.input
class LanguageSkillInput:
    code: str = strawberry.field(description="ISO 639-1 or 639-3 code")
    level: LanguageLevel

    def to_domain(self) -> services.LanguageInput:
        return services.LanguageInput(self.code, self.level)


@strawberry.input
class RegisterProfessionalInput:
    family_name: str
    given_names: str
    birth_date: date
    sex: Sex
    birth_country: str = strawberry.field(description="ISO 3166-1 alpha-2")
    residence_country: str = strawberry.field(description="ISO 3166-1 alpha-2")
    protection_status: ProtectionStatus
    citizenships: list[str] = strawberry.field(default_factory=list)
    languages: list[LanguageSkillInput] = strawberry.field(default_factory=list)
    consent_to_placement: bool = False
    allow_possible_duplicate: bool = strawberry.field(
        default=False,
        description="Register even though someone with the same names, birth date and "
        "country of birth exists (a different person sharing them)",
    )


@strawberry.input
class UpdateProfessionalInput:
    id: strawberry.ID
    version: int
    family_name: str | None = strawberry.UNSET
    given_names: str | None = strawberry.UNSET
    birth_date: date | None = strawberry.UNSET
    sex: Sex | None = strawberry.UNSET
    birth_country: str | None = strawberry.UNSET
    residence_country: str | None = strawberry.UNSET
    protection_status: ProtectionStatus | None = strawberry.UNSET
    citizenships: list[str] | None = strawberry.UNSET
    languages: list[LanguageSkillInput] | None = strawberry.UNSET
    consent_to_placement: bool | None = strawberry.UNSET

    def to_domain(self) -> services.ProfessionalChanges:
        issues = Issues()
        languages = required(self.languages, "input.languages", issues)
        changes = services.ProfessionalChanges(
            family_name=required(self.family_name, "input.familyName", issues),
            given_names=required(self.given_names, "input.givenNames", issues),
            birth_date=required(self.birth_date, "input.birthDate", issues),
            sex=required(self.sex, "input.sex", issues),
            birth_country=required(self.birth_country, "input.birthCountry", issues),
            residence_country=required(self.residence_country, "input.residenceCountry", issues),
            protection_status=required(self.protection_status, "input.protectionStatus", issues),
            citizenships=required(self.citizenships, "input.citizenships", issues),
            languages=UNSET if languages is UNSET else [lang.to_domain() for lang in languages],
            consent_to_placement=required(
                self.consent_to_placement, "input.consentToPlacement", issues
            ),
        )
        issues.raise_if_any()
        return changes


@strawberry.type
class ProfessionalRegistered:
    professional: Professional


@strawberry.type
class ProfessionalUpdated:
    professional: Professional


RegisterProfessionalResult = Annotated[
    ProfessionalRegistered | ValidationFailed | DuplicateProfessional | Forbidden,
    strawberry.union("RegisterProfessionalResult"),
]
UpdateProfessionalResult = Annotated[
    ProfessionalUpdated | ValidationFailed | NotFound | VersionConflict | Forbidden,
    strawberry.union("UpdateProfessionalResult"),
]


@strawberry.type
class ProfessionalMutations:
    @strawberry.mutation
    async def register_professional(
        self, info: Info, input: RegisterProfessionalInput
    ) -> RegisterProfessionalResult:
        ctx = info.context
        data = services.ProfessionalData(
            family_name=input.family_name,
            given_names=input.given_names,
            birth_date=input.birth_date,
            sex=input.sex,
            birth_country=input.birth_country,
            residence_country=input.residence_country,
            protection_status=input.protection_status,
            citizenships=input.citizenships,
            languages=[lang.to_domain() for lang in input.languages],
            consent_to_placement=input.consent_to_placement,
        )

        async def work(session: AsyncSession) -> ProfessionalRegistered:
            p = await services.register(
                session,
                ctx.catalog,
                ctx.principal,
                data,
                today=ctx.today(),
                allow_possible_duplicate=input.allow_possible_duplicate,
            )
            return ProfessionalRegistered(professional=Professional.from_model(p))

        return cast(
            "RegisterProfessionalResult", await run_mutation(info, work, entity="Professional")
        )

    @strawberry.mutation
    async def update_professional(
        self, info: Info, input: UpdateProfessionalInput
    ) -> UpdateProfessionalResult:
        ctx = info.context
        try:
            changes = input.to_domain()
        except ValidationFailedError as exc:
            return ValidationFailed.of(exc.issues)

        async def work(session: AsyncSession, identifier: uuid.UUID) -> ProfessionalUpdated:
            p = await services.update(
                session,
                ctx.catalog,
                ctx.principal,
                identifier,
                input.version,
                changes,
                today=ctx.today(),
            )
            return ProfessionalUpdated(professional=Professional.from_model(p))

        return cast(
            "UpdateProfessionalResult",
            await run_versioned(info, "Professional", input.id, input.version, work),
        )
