from __future__ import annotations

from typing import Any

import pytest

from tests.factories import add_qualification, register
from tests.helpers import Api

SEARCH = """
query($first: Int!, $after: String, $filter: ProfessionalFilterInput, $orderBy: ProfessionalOrder) {
  professionals(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { familyName givenNames } }
  }
}
"""


@pytest.fixture
def people(api: Api, admin: str) -> dict[str, str]:
    """Five professionals with distinct traits; returns family name -> id."""
    specs: list[dict[str, Any]] = [
        {
            "familyName": "Núñez",
            "givenNames": "Óscar",
            "birthCountry": "VE",
            "residenceCountry": "ES",
            "citizenships": ["VE"],
            "protectionStatus": "ASYLUM_SEEKER",
            "languages": [{"code": "es", "level": "NATIVE"}, {"code": "en", "level": "A2"}],
        },
        {
            "familyName": "Шевченко",
            "givenNames": "Олена",
            "birthCountry": "UA",
            "residenceCountry": "DE",
            "citizenships": ["UA"],
            "protectionStatus": "TEMPORARY_PROTECTION",
            "languages": [{"code": "uk", "level": "NATIVE"}, {"code": "de", "level": "B2"}],
        },
        {
            "familyName": "Haddad",
            "givenNames": "Rama",
            "birthCountry": "SY",
            "residenceCountry": "DE",
            "citizenships": ["SY"],
            "protectionStatus": "REFUGEE",
            "languages": [{"code": "ar", "level": "NATIVE"}, {"code": "de", "level": "B1"}],
        },
        {
            "familyName": "Ahmadi",
            "givenNames": "Farid",
            "birthCountry": "AF",
            "residenceCountry": "FR",
            "citizenships": [],
            "protectionStatus": "STATELESS",
            "languages": [{"code": "prs", "level": "NATIVE"}, {"code": "fr", "level": "C1"}],
        },
        {
            "familyName": "Okafor",
            "givenNames": "Chioma",
            "birthCountry": "NG",
            "residenceCountry": "GB",
            "citizenships": ["NG", "GB"],
            "protectionStatus": "MIGRANT_WORKER",
            "languages": [{"code": "en", "level": "C2"}],
        },
    ]
    ids = {spec["familyName"]: register(api, admin, **spec)["id"] for spec in specs}
    add_qualification(
        api,
        admin,
        ids["Núñez"],
        originalTitle="Médico Cirujano",
        titleLanguage="es",
        trainingCountry="VE",
        iscoCode="2211",
    )
    add_qualification(api, admin, ids["Шевченко"], trainingCountry="UA", iscoCode="2221")
    add_qualification(
        api,
        admin,
        ids["Haddad"],
        originalTitle="إجازة في الصيدلة",
        titleLanguage="ar",
        trainingCountry="SY",
        iscoCode="2262",
    )
    add_qualification(
        api,
        admin,
        ids["Ahmadi"],
        originalTitle="Doctor of Medicine",
        titleLanguage="en",
        trainingCountry="IN",
        iscoCode="2212",
    )
    add_qualification(
        api,
        admin,
        ids["Okafor"],
        originalTitle="Registered Midwife",
        titleLanguage="en",
        trainingCountry="NG",
        iscoCode="2222",
    )
    return ids


def names(api: Api, token: str, **filter: Any) -> list[str]:
    data = api.gql(SEARCH, token, first=50, filter=filter)["professionals"]
    assert data["totalCount"] == len(data["edges"])
    return [e["node"]["familyName"] for e in data["edges"]]


@pytest.mark.parametrize(
    ("filter", "expected"),
    [
        ({}, ["Ahmadi", "Haddad", "Núñez", "Okafor", "Шевченко"]),
        ({"name": "oscar nunez"}, ["Núñez"]),
        ({"name": "NÚÑEZ"}, ["Núñez"]),
        ({"name": "shevchenko olena"}, ["Шевченко"]),  # Latin search finds Cyrillic names
        ({"name": "Олена"}, ["Шевченко"]),
        ({"name": "rama haddad"}, ["Haddad"]),
        ({"name": "zzz"}, []),
        ({"name": "100%_"}, []),  # LIKE wildcards are escaped, not interpreted
        ({"occupations": ["2211"]}, ["Núñez"]),
        ({"occupations": ["221"]}, ["Ahmadi", "Núñez"]),
        ({"occupations": ["22"]}, ["Ahmadi", "Haddad", "Núñez", "Okafor", "Шевченко"]),
        ({"occupations": ["2221", "2222"]}, ["Okafor", "Шевченко"]),
        ({"trainingCountries": ["IN"]}, ["Ahmadi"]),
        ({"trainingCountries": ["sy", "VE"]}, ["Haddad", "Núñez"]),
        ({"residenceCountries": ["DE"]}, ["Haddad", "Шевченко"]),
        ({"citizenships": ["GB"]}, ["Okafor"]),
        ({"languages": [{"code": "de"}]}, ["Haddad", "Шевченко"]),
        ({"languages": [{"code": "deu", "minLevel": "B2"}]}, ["Шевченко"]),
        ({"languages": [{"code": "en", "minLevel": "B1"}]}, ["Okafor"]),
        ({"languages": [{"code": "en", "minLevel": "C2"}]}, ["Okafor"]),
        ({"languages": [{"code": "en"}, {"code": "es"}]}, ["Núñez"]),
        ({"protectionStatuses": ["REFUGEE", "STATELESS"]}, ["Ahmadi", "Haddad"]),
        ({"residenceCountries": ["DE"], "occupations": ["2262"]}, ["Haddad"]),
    ],
)
def test_filters(
    api: Api, admin: str, people: dict[str, str], filter: dict[str, Any], expected: list[str]
) -> None:
    assert names(api, admin, **filter) == expected


@pytest.mark.parametrize("order", ["NAME", "NAME_DESC", "CREATED", "CREATED_DESC"])
def test_keyset_pages_cover_everyone_once_in_order(
    api: Api, admin: str, people: dict[str, str], order: str
) -> None:
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        data = api.gql(SEARCH, admin, first=2, after=after, orderBy=order)["professionals"]
        assert data["totalCount"] == 5
        assert data["pageInfo"]["hasPreviousPage"] == (after is not None)
        seen += [e["node"]["familyName"] for e in data["edges"]]
        pages += 1
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert pages == 3
    assert sorted(seen) == sorted(people)
    everyone = api.gql(SEARCH, admin, first=50, orderBy=order)["professionals"]["edges"]
    assert seen == [e["node"]["familyName"] for e in everyone]
    if order == "NAME":
        assert seen == ["Ahmadi", "Haddad", "Núñez", "Okafor", "Шевченко"]
    if order == "NAME_DESC":
        assert seen == ["Шевченко", "Okafor", "Núñez", "Haddad", "Ahmadi"]


def test_past_the_end_still_counts(api: Api, admin: str, people: dict[str, str]) -> None:
    last = api.gql(SEARCH, admin, first=5)["professionals"]["pageInfo"]["endCursor"]
    data = api.gql(SEARCH, admin, first=5, after=last)["professionals"]
    assert data["edges"] == []
    assert data["totalCount"] == 5
    assert data["pageInfo"]["hasNextPage"] is False


def test_cursor_of_another_ordering_is_refused(
    api: Api, admin: str, people: dict[str, str]
) -> None:
    cursor = api.gql(SEARCH, admin, first=1, orderBy="CREATED")["professionals"]["pageInfo"][
        "endCursor"
    ]
    result = api.raw(SEARCH, admin, first=1, after=cursor, orderBy="NAME")
    issue = result["errors"][0]["extensions"]["issues"][0]
    assert issue == {
        "field": "after",
        "code": "invalid_cursor",
        "message": "cursor was not issued for ordering name",
    }


def test_total_count_only_when_asked(api: Api, admin: str, people: dict[str, str]) -> None:
    data = api.gql("{ professionals(first: 2) { edges { node { id } } } }", admin)
    assert len(data["professionals"]["edges"]) == 2
