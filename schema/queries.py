"""Query resolvers: decode and validate arguments, call a service, convert. No SQL here."""

from __future__ import annotations

from typing import Annotated

import strawberry

from matching.titles import MAX_TITLE_LENGTH
from registry.errors import DomainError
from registry.pagination import validate_page
from registry.professionals import search
from registry.professionals.enums import LanguageLevel, ProtectionStatus
from registry.validation import Checker
from schema.accreditation import AccreditationQueries
from schema.context import Info, selects
from schema.errors import bad_id, public_error
from schema.ids import InvalidGlobalIdError, expect_global_id, from_global_id
from schema.recruitment import RecruitmentQueries
from schema.shortages import ShortageQueries
from schema.statistics import StatisticsQueries
from schema.types.accreditation import Licence, Organisation, RecognitionCase, Verification
from schema.types.common import Connection, Node
from schema.types.credentials import Qualification
from schema.types.matching import TitleMapping
from schema.types.professionals import Professional
from schema.types.recruitment import BilateralAgreement, Recruitment
from schema.types.reference import Country, Occupation
from schema.types.shortages import MatchingProfile, Shortage


@strawberry.input
class LanguageFilterInput:
    code: str = strawberry.field(description="ISO 639-1 or 639-3")
    min_level: LanguageLevel = LanguageLevel.A1


@strawberry.input
class ProfessionalFilterInput:
    name: str | None = strawberry.field(
        default=None, description="Words of the name, in any order; case and accents ignored"
    )
    occupations: list[str] = strawberry.field(
        default_factory=list,
        description="ISCO-08 codes of a held qualification; groups such as 22 or 222 included",
    )
    training_countries: list[str] = strawberry.field(default_factory=list)
    residence_countries: list[str] = strawberry.field(default_factory=list)
    citizenships: list[str] = strawberry.field(default_factory=list)
    languages: list[LanguageFilterInput] = strawberry.field(
        default_factory=list, description="Every listed language at its minimum level"
    )
    protection_statuses: list[ProtectionStatus] = strawberry.field(default_factory=list)

    def to_domain(self) -> search.ProfessionalFilter:
        return search.ProfessionalFilter(
            name=self.name,
            occupations=self.occupations,
            training_countries=self.training_countries,
            residence_countries=self.residence_countries,
            citizenships=self.citizenships,
            languages=[search.LanguageFilter(lf.code, lf.min_level) for lf in self.languages],
            protection_statuses=self.protection_statuses,
        )


@strawberry.type
class Viewer:
    role: str
    country: str | None
    organisation_id: strawberry.ID | None


@strawberry.type
class Query(AccreditationQueries, RecruitmentQueries, ShortageQueries, StatisticsQueries):
    @strawberry.field(description="Any object by global ID; null if absent or not yours to see")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        try:
            type_name, identifier = from_global_id(id)
        except InvalidGlobalIdError as exc:
            raise bad_id("id", exc) from None
        loaders = info.context.loaders
        try:
            if type_name == "Professional":
                p = await loaders.professional.load(identifier)
                return Professional.from_model(p) if p else None
            if type_name == "Qualification":
                q = await loaders.qualification.load(identifier)
                return Qualification.from_model(q) if q else None
            if type_name == "RecognitionCase":
                c = await loaders.case.load(identifier)
                return RecognitionCase.from_model(c) if c else None
            if type_name == "Verification":
                v = await loaders.verification.load(identifier)
                return Verification.from_model(v) if v else None
            if type_name == "Licence":
                lic = await loaders.licence.load(identifier)
                return Licence.from_model(lic) if lic else None
            if type_name == "Recruitment":
                r = await loaders.recruitment.load(identifier)
                return Recruitment.from_model(r) if r else None
            if type_name == "BilateralAgreement":
                a = await loaders.agreement.load(identifier)
                return BilateralAgreement.from_model(a) if a else None
            if type_name == "Shortage":
                s = await loaders.shortage.load(identifier)
                return Shortage.from_model(s) if s else None
            if type_name == "MatchingProfile":
                m = await loaders.matching_profile.load(identifier)
                return MatchingProfile.from_model(m) if m else None
            if type_name == "Organisation":
                o = await loaders.organisation.load(identifier)
                return Organisation.from_model(o) if o else None
        except DomainError as exc:
            raise public_error(exc) from None
        return None

    @strawberry.field
    async def professional(self, info: Info, id: strawberry.ID) -> Professional | None:
        try:
            identifier = expect_global_id(id, "Professional")
        except InvalidGlobalIdError as exc:
            raise bad_id("id", exc) from None
        try:
            found = await info.context.loaders.professional.load(identifier)
        except DomainError as exc:
            raise public_error(exc) from None
        return Professional.from_model(found) if found else None

    @strawberry.field(description="Professionals you may see, a page at a time (keyset cursors)")
    async def professionals(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: ProfessionalFilterInput | None = None,
        order_by: Annotated[
            search.ProfessionalOrder, strawberry.argument(name="orderBy")
        ] = search.ProfessionalOrder.NAME,
    ) -> Connection[Professional]:
        ctx = info.context
        spec = filter.to_domain() if filter else search.ProfessionalFilter()
        with_total = selects(info, "totalCount")
        try:
            page = validate_page(first, after, ctx.settings.max_page_size)
            async with ctx.read() as session:
                result = await search.search(
                    session, ctx.catalog, ctx.principal, spec, order_by, page, with_total=with_total
                )
        except DomainError as exc:
            raise public_error(exc) from None
        return Connection.of(result, Professional.from_model)

    @strawberry.field(description="ISCO-08 health occupations (34 unit groups)")
    def occupations(self, info: Info) -> list[Occupation]:
        return [Occupation.from_info(o) for o in info.context.catalog.occupations.values()]

    @strawberry.field(description="ISO 3166-1 countries, optionally of one WHO region")
    def countries(self, info: Info, who_region: str | None = None) -> list[Country]:
        return [
            Country.from_info(c)
            for c in info.context.catalog.countries.values()
            if who_region is None or c.who_region == who_region.upper()
        ]

    @strawberry.field(
        description="Map a qualification title in any language to ISCO-08 occupations"
    )
    def map_qualification_title(
        self, info: Info, title: str, language: str | None = None, country: str | None = None
    ) -> TitleMapping:
        check = Checker(info.context.catalog, prefix="")
        if len(title) > MAX_TITLE_LENGTH:
            check.fail("title", "too_long", f"must be at most {MAX_TITLE_LENGTH} characters")
        if language is not None:
            language = check.language("language", language)
        if country is not None:
            # The country of the education system decides some levels, so a typo must not
            # silently change the answer.
            country = check.country("country", country)
        try:
            check.raise_if_any()
        except DomainError as exc:
            raise public_error(exc) from None
        result = info.context.matcher.match(title, language, country)
        return TitleMapping.from_result(result, info.context.catalog)

    @strawberry.field(description="The role and scope of the token making the request")
    def viewer(self, info: Info) -> Viewer:
        p = info.context.principal
        return Viewer(
            role=p.role.value,
            country=p.country_code,
            organisation_id=strawberry.ID(str(p.organisation_id)) if p.organisation_id else None,
        )
