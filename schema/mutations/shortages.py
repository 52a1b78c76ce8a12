"""Mutations for shortages: record one, change one, import a CSV of them."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, cast

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from registry.errors import Issues
from registry.professionals.enums import LanguageLevel
from registry.shortages import services
from schema.context import Info
from schema.errors import Forbidden, NotFound, ValidationFailed, VersionConflict
from schema.mutations.inputs import decode, nullable, required
from schema.mutations.runner import run_mutation, run_versioned
from schema.types.shortages import Shortage


@strawberry.input
class WantedLanguageInput:
    language: str = strawberry.field(description="ISO 639-1 or 639-3")
    level: LanguageLevel


@strawberry.input
class RecordShortageInput:
    host_country: str
    posts: int
    starts_on: date
    source: str = strawberry.field(description="Who reported it, or the survey it comes from")
    isco_code: str | None = strawberry.field(
        default=None, description="ISCO-08 unit group; or give title to have it mapped"
    )
    title: str | None = None
    subdivision: str | None = strawberry.field(default=None, description="ISO 3166-2")
    employer_id: strawberry.ID | None = None
    languages: list[WantedLanguageInput] = strawberry.field(default_factory=list)
    recognition_required: bool = strawberry.field(
        default=True, description="Whether recognition must be complete to start"
    )
    ends_on: date | None = None


@strawberry.input
class UpdateShortageInput:
    id: strawberry.ID
    version: int
    posts: int | None = strawberry.UNSET
    subdivision: str | None = strawberry.UNSET
    languages: list[WantedLanguageInput] | None = strawberry.UNSET
    recognition_required: bool | None = strawberry.UNSET
    starts_on: date | None = strawberry.UNSET
    ends_on: date | None = strawberry.UNSET
    source: str | None = strawberry.UNSET


@strawberry.input
class ImportShortagesInput:
    csv: str = strawberry.field(
        description="Columns country, subdivision, employer, isco_code, title, posts, "
        "languages (deu:B2;eng:B1), recognition_required, start, end, source"
    )


@strawberry.type
class ShortageRecorded:
    shortage: Shortage


@strawberry.type
class ShortagesImported:
    shortages: list[Shortage]


ShortageResult = Annotated[
    ShortageRecorded | ValidationFailed | NotFound | VersionConflict | Forbidden,
    strawberry.union("ShortageResult"),
]
ImportShortagesResult = Annotated[
    ShortagesImported | ValidationFailed | Forbidden, strawberry.union("ImportShortagesResult")
]


def _languages(given: list[WantedLanguageInput]) -> list[tuple[str, LanguageLevel]]:
    return [(w.language, w.level) for w in given]


@strawberry.type
class ShortageMutations:
    @strawberry.mutation(
        description="Admin, agency or employer: record unfilled posts. A title without "
        "iscoCode is mapped; one that maps to no single occupation is refused"
    )
    async def record_shortage(self, info: Info, input: RecordShortageInput) -> ShortageResult:
        ctx = info.context
        issues = Issues()
        employer = decode(input.employer_id, "Organisation", "input.employerId", issues)
        if issues:
            return ValidationFailed.of(issues.items)
        data = services.ShortageData(
            host_country=input.host_country,
            posts=input.posts,
            starts_on=input.starts_on,
            source=input.source,
            isco_code=input.isco_code,
            title=input.title,
            subdivision=input.subdivision,
            employer_id=employer,
            languages=_languages(input.languages),
            recognition_required=input.recognition_required,
            ends_on=input.ends_on,
        )

        async def work(session: AsyncSession) -> ShortageRecorded:
            shortage = await services.create(session, ctx.catalog, ctx.matcher, ctx.principal, data)
            assert shortage is not None  # problems raise without an issue collector
            return ShortageRecorded(shortage=Shortage.from_model(shortage))

        return cast("ShortageResult", await run_mutation(info, work, entity="Shortage"))

    @strawberry.mutation(description="Change a shortage you recorded (admins: any)")
    async def update_shortage(self, info: Info, input: UpdateShortageInput) -> ShortageResult:
        ctx = info.context
        issues = Issues()
        languages = required(input.languages, "input.languages", issues)
        changes = services.ShortageChanges(
            posts=required(input.posts, "input.posts", issues),
            subdivision=nullable(input.subdivision),
            languages=_languages(languages) if isinstance(languages, list) else languages,
            recognition_required=required(
                input.recognition_required, "input.recognitionRequired", issues
            ),
            starts_on=required(input.starts_on, "input.startsOn", issues),
            ends_on=nullable(input.ends_on),
            source=required(input.source, "input.source", issues),
        )

        async def work(session: AsyncSession, shortage_id: uuid.UUID) -> ShortageRecorded:
            shortage = await services.update(
                session, ctx.catalog, ctx.principal, shortage_id, input.version, changes
            )
            return ShortageRecorded(shortage=Shortage.from_model(shortage))

        return cast(
            "ShortageResult",
            await run_versioned(info, "Shortage", input.id, input.version, work, issues),
        )

    @strawberry.mutation(
        description="Import shortages from CSV: every row or none; problems by line number"
    )
    async def import_shortages(
        self, info: Info, input: ImportShortagesInput
    ) -> ImportShortagesResult:
        ctx = info.context

        async def work(session: AsyncSession) -> ShortagesImported:
            created = await services.import_csv(
                session, ctx.catalog, ctx.matcher, ctx.principal, input.csv
            )
            return ShortagesImported(shortages=[Shortage.from_model(s) for s in created])

        return cast("ImportShortagesResult", await run_mutation(info, work, entity="Shortage"))
