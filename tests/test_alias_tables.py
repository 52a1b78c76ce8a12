"""The alias tables are data a regulator may audit: every row must say where it comes from
and name codes that exist."""

from __future__ import annotations

from collections import Counter

import pycountry

from matching.aliases import load_alias_table
from matching.words import normalise_title


def _is_language(code: str) -> bool:
    lookup = {2: "alpha_2", 3: "alpha_3"}.get(len(code))
    return lookup is not None and pycountry.languages.get(**{lookup: code}) is not None


def test_every_alias_has_a_source_a_known_code_and_a_language() -> None:
    table = load_alias_table()
    bad = [
        alias
        for alias in table.aliases
        if not alias.text.strip()
        or not alias.source.strip()
        or alias.isco_code not in table.occupations
        or not _is_language(alias.language)
    ]
    assert not bad, bad[:5]


def test_education_systems_name_real_countries() -> None:
    table = load_alias_table()
    named = {country for alias in table.aliases for country in alias.countries}
    assert named, "some rows hold only in some education systems"
    assert all(pycountry.countries.get(alpha_2=code) is not None for code in named), named


def test_fields_of_study_are_read_only_in_degree_titles_and_listed_once() -> None:
    fields = [alias for alias in load_alias_table().aliases if alias.degree_only]
    assert fields
    assert all(alias.source.startswith("curated: field of study") for alias in fields)
    twice = [
        key
        for key, n in Counter(
            (normalise_title(a.text), a.language, a.isco_code) for a in fields
        ).items()
        if n > 1
    ]
    assert not twice, twice
