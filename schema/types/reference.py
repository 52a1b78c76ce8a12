from __future__ import annotations

import strawberry

from registry.reference.catalog import CountryInfo, LanguageInfo, OccupationInfo
from schema.context import Info


@strawberry.type
class Country:
    code: str = strawberry.field(description="ISO 3166-1 alpha-2")
    alpha3: str
    name: str
    who_region: str | None = strawberry.field(
        description="WHO region (AFR, AMR, SEAR, EUR, EMR, WPR) of a WHO member state"
    )

    @classmethod
    def from_info(cls, info: CountryInfo) -> Country:
        return cls(code=info.code, alpha3=info.alpha3, name=info.name, who_region=info.who_region)


@strawberry.type
class Occupation:
    isco_code: str
    title: str
    title_fr: str
    title_es: str
    level: str = strawberry.field(description="professional, associate or care_worker")
    human_health: bool
    sub_major_group: str

    @classmethod
    def from_info(cls, info: OccupationInfo) -> Occupation:
        return cls(
            isco_code=info.isco_code,
            title=info.title_en,
            title_fr=info.title_fr,
            title_es=info.title_es,
            level=info.level,
            human_health=info.human_health,
            sub_major_group=info.sub_major_group,
        )


@strawberry.type
class Language:
    code: str = strawberry.field(description="ISO 639-3")
    name: str

    @classmethod
    def from_info(cls, info: LanguageInfo) -> Language:
        return cls(code=info.code, name=info.name)


def country_of(info: Info, code: str) -> Country:
    found = info.context.catalog.country(code)
    assert found is not None  # guarded by a foreign key
    return Country.from_info(found)


def occupation_of(info: Info, code: str) -> Occupation:
    found = info.context.catalog.occupation(code)
    assert found is not None  # guarded by a foreign key
    return Occupation.from_info(found)
