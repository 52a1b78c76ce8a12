"""N+1 is a bug: the statements a request issues must not grow with the page size."""

from __future__ import annotations

from tests.factories import add_qualification, create_authority, register, submit_case
from tests.helpers import Api

PAGE = """
query($first: Int!) {
  professionals(first: $first, filter: {occupations: ["22"]}) {
    totalCount
    edges { node { id familyName birthCountry { name } residenceCountry { code }
      qualifications { originalTitle occupation { title } trainingCountry { code } } } }
  }
}
"""
FULL = """
query($first: Int!) {
  professionals(first: $first) {
    edges { node { id citizenships { code } languages { level }
      qualifications { originalTitle professional { familyName } } } }
  }
}
"""


def populate(api: Api, admin: str, count: int) -> None:
    for i in range(count):
        person = register(api, admin, familyName=f"Person{i:03d}")
        add_qualification(api, admin, person["id"])
        add_qualification(api, admin, person["id"], iscoCode="2212", originalTitle="Лікар-хірург")


def statements_for(api: Api, token: str, query: str, first: int) -> list[str]:
    with api.count_statements() as statements:
        data = api.gql(query, token, first=first)
    assert len(data["professionals"]["edges"]) == first
    return statements


def test_page_with_nested_qualifications_takes_three_statements(api: Api, admin: str) -> None:
    populate(api, admin, 40)
    small = statements_for(api, admin, PAGE, 2)
    large = statements_for(api, admin, PAGE, 40)
    # token lookup, page with its total, qualifications of the whole page
    assert len(small) == len(large) == 3, large


def test_every_nested_list_is_batched(api: Api, admin: str) -> None:
    populate(api, admin, 30)
    small = statements_for(api, admin, FULL, 3)
    large = statements_for(api, admin, FULL, 30)
    assert len(small) == len(large)
    # token, page, citizenships, languages, qualifications, their professionals
    assert len(large) == 6, large


CASES = """
query($first: Int!) {
  recognitionCases(first: $first) {
    totalCount
    edges { node { id status hostCountry { code } occupation { title } authority { name }
      professional { familyName } licence { number } history { kind } } }
  }
}
"""


def test_a_case_queue_with_its_nested_fields_is_batched(api: Api, admin: str) -> None:
    authority = create_authority(api, admin, "DE")
    for i in range(25):
        person = register(api, admin, familyName=f"Person{i:03d}")
        submit_case(api, admin, person["id"], hostCountry="DE", authorityId=authority)

    def count(first: int) -> list[str]:
        with api.count_statements() as statements:
            data = api.gql(CASES, admin, first=first)
        assert len(data["recognitionCases"]["edges"]) == first
        return statements

    small, large = count(2), count(25)
    # token, page with total, authorities, professionals, licences, histories
    assert len(small) == len(large) == 6, large
