"""Shortages, their candidates and the placement view of a person (MatchingProfile):
only what matching needs, never protection status, birth date, citizenship or documents."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import strawberry

from registry.errors import DomainError
from registry.pagination import Page, validate_page
from registry.professionals.enums import LanguageLevel
from registry.professionals.models import Professional as ProfessionalModel
from registry.shortages import matches, ranking
from registry.shortages.enums import CodeStatus, Readiness
from registry.shortages.models import Shortage as ShortageModel
from registry.shortages.scoring import Scored
from schema.context import Info, selects
from schema.errors import public_error
from schema.ids import to_global_id
from schema.types import enums as _enums  # noqa: F401 - registers enum names
from schema.types.accreditation import Organisation
from schema.types.common import Connection, Node
from schema.types.professionals import LanguageSkill, languages_of
from schema.types.reference import Country, Occupation, country_of, occupation_of


@strawberry.type
class WantedLanguage:
    language: str = strawberry.field(description="ISO 639-3")
    level: LanguageLevel = strawberry.field(description="The minimum CEFR level")


@strawberry.type
class MatchFactor:
    name: str = strawberry.field(
        description="occupation, recognition, language, residence, who_code or consent"
    )
    weight: int = strawberry.field(description="Its share of the score, in points of 100")
    value: int = strawberry.field(description="0 to 100")
    explanation: str


@strawberry.type
class Gap:
    host_country_code: strawberry.Private[str]
    isco_code: strawberry.Private[str]
    posts: int
    shortages: int
    ready_now: int = strawberry.field(description="Candidates who could start now")
    after_recognition: int = strawberry.field(description="Candidates once recognised")
    excluded_by_code: int = strawberry.field(
        description="Candidates who must not be actively recruited (WHO Code art. 5.1)"
    )
    unfilled_after_ready: int = strawberry.field(description="Posts left if all ready took one")

    @strawberry.field
    def host_country(self, info: Info) -> Country:
        return country_of(info, self.host_country_code)

    @strawberry.field
    def occupation(self, info: Info) -> Occupation:
        return occupation_of(info, self.isco_code)

    @classmethod
    def of(cls, g: matches.Gap) -> Gap:
        return cls(
            host_country_code=g.host_country,
            isco_code=g.isco_code,
            posts=g.posts,
            shortages=g.shortages,
            ready_now=g.ready_now,
            after_recognition=g.after_recognition,
            excluded_by_code=g.excluded,
            unfilled_after_ready=g.unfilled_after_ready,
        )


def _factors(scored: Scored) -> list[MatchFactor]:
    return [
        MatchFactor(name=f.name, weight=f.weight, value=f.value, explanation=f.explanation)
        for f in scored.factors
    ]


@strawberry.type
class Candidate:
    profile: MatchingProfile
    score: float = strawberry.field(description="0 to 100: the weighted sum of the factors")
    readiness: Readiness
    code_status: CodeStatus
    factors: list[MatchFactor]

    @classmethod
    def of(cls, c: ranking.Candidate) -> Candidate:
        scored = c.scored
        return cls(
            profile=MatchingProfile(
                id=to_global_id("MatchingProfile", c.professional_id),
                family_name=c.family_name,
                given_names=c.given_names,
                model_id=c.professional_id,
                residence_country_code=c.residence_country,
            ),
            score=scored.points,
            readiness=scored.readiness,
            code_status=scored.code_status,
            factors=_factors(scored),
        )


@strawberry.type
class ShortageMatch:
    shortage: Shortage
    score: float
    readiness: Readiness
    code_status: CodeStatus
    factors: list[MatchFactor]

    @classmethod
    def of(cls, m: matches.ShortageMatch) -> ShortageMatch:
        return cls(
            shortage=Shortage.from_model(m.shortage),
            score=m.scored.points,
            readiness=m.scored.readiness,
            code_status=m.scored.code_status,
            factors=_factors(m.scored),
        )


async def matching_shortages_of(
    info: Info, professional_id: uuid.UUID, first: int, after: str | None
) -> Connection[ShortageMatch] | None:
    ctx = info.context
    try:
        request = validate_page(first, after, ctx.settings.max_page_size)
        async with ctx.read() as session:
            found = await matches.matching_shortages(
                session, ctx.principal, professional_id, request, today=ctx.today()
            )
    except DomainError as exc:
        raise public_error(exc) from None
    return Connection.of(found, ShortageMatch.of) if found is not None else None


@strawberry.type(
    description="A person as placement sees them: names, residence, languages and trained "
    "occupations. Agencies see only people who consent to it."
)
class MatchingProfile(Node):
    id: strawberry.ID
    family_name: str
    given_names: str
    model_id: strawberry.Private[uuid.UUID]
    residence_country_code: strawberry.Private[str]

    @strawberry.field
    def residence_country(self, info: Info) -> Country:
        return country_of(info, self.residence_country_code)

    @strawberry.field
    async def languages(self, info: Info) -> list[LanguageSkill]:
        return await languages_of(info, self.model_id)

    @strawberry.field(description="Occupations of their credentials, by ISCO-08 code")
    async def occupations(self, info: Info) -> list[Occupation]:
        found = await info.context.loaders.qualifications_of.load(self.model_id)
        codes = sorted({q.isco_code for q in found or [] if q.isco_code})
        return [occupation_of(info, code) for code in codes]

    @strawberry.field(description="Open shortages they fit, best first")
    async def matching_shortages(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[ShortageMatch]:
        found = await matching_shortages_of(info, self.model_id, first, after)
        if found is None:  # consent withdrawn since this profile was read
            return Connection.of(Page([], [], False, after is not None, 0), ShortageMatch.of)
        return found

    @classmethod
    def from_model(cls, p: ProfessionalModel) -> MatchingProfile:
        return cls(
            id=to_global_id("MatchingProfile", p.id),
            family_name=p.family_name,
            given_names=p.given_names,
            model_id=p.id,
            residence_country_code=p.residence_country,
        )


@strawberry.type
class Shortage(Node):
    id: strawberry.ID
    subdivision: str | None
    title: str | None = strawberry.field(description="The title as reported, when one was mapped")
    posts: int
    recognition_required: bool
    starts_on: date
    ends_on: date | None
    source: str
    languages: list[WantedLanguage]
    version: int
    created_at: datetime
    model: strawberry.Private[ShortageModel]

    @strawberry.field
    def host_country(self, info: Info) -> Country:
        return country_of(info, self.model.host_country)

    @strawberry.field
    def occupation(self, info: Info) -> Occupation:
        return occupation_of(info, self.model.isco_code)

    @strawberry.field
    async def employer(self, info: Info) -> Organisation | None:
        if self.model.employer_id is None:
            return None
        found = await info.context.loaders.organisation.load(self.model.employer_id)
        return Organisation.from_model(found) if found else None

    @strawberry.field(
        description="People who could fill the posts, best first, ties by id. Those the WHO "
        "Code excludes from active recruitment only with includeCodeExcluded"
    )
    async def candidates(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        include_code_excluded: bool = False,
    ) -> Connection[Candidate]:
        ctx = info.context
        try:
            request = matches.CandidatesRequest.of(
                self.model,
                validate_page(first, after, ctx.settings.max_page_size),
                include_excluded=include_code_excluded,
                with_total=selects(info, "totalCount"),
            )
            found = await ctx.loaders.candidates.load(request)
        except DomainError as exc:
            raise public_error(exc) from None
        return Connection.of(found, Candidate.of)

    @strawberry.field(description="Posts against the candidates you may see")
    async def gap(self, info: Info) -> Gap:
        ctx = info.context
        try:
            ready, after, excluded = await ctx.loaders.gap.load(self.model)
        except DomainError as exc:
            raise public_error(exc) from None
        return Gap(
            host_country_code=self.model.host_country,
            isco_code=self.model.isco_code,
            posts=self.model.posts,
            shortages=1,
            ready_now=ready,
            after_recognition=after,
            excluded_by_code=excluded,
            unfilled_after_ready=max(self.model.posts - ready, 0),
        )

    @classmethod
    def from_model(cls, s: ShortageModel) -> Shortage:
        return cls(
            id=to_global_id("Shortage", s.id),
            subdivision=s.subdivision,
            title=s.title,
            posts=s.posts,
            recognition_required=s.recognition_required,
            starts_on=s.starts_on,
            ends_on=s.ends_on,
            source=s.source,
            languages=[
                WantedLanguage(language=w.language_code, level=w.level) for w in s.languages
            ],
            version=s.version,
            created_at=s.created_at,
            model=s,
        )
