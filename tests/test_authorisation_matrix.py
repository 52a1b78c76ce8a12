"""Role x operation x field: every read path (lists, by-id, node, nested edges) and the
writes, against the rules of DESIGN section 4 and the issues. One table, one outcome a
cell: data, empty, null (not visible, not even as FORBIDDEN) or forbidden."""

from __future__ import annotations

from typing import Any

import pytest

from schema.ids import from_global_id, to_global_id
from tests.factories import (
    add_qualification,
    create_authority,
    create_organisation,
    record_recruitment,
    register,
    submit_case,
)
from tests.helpers import Api

ROLES = ("admin", "authority_de", "authority_fr", "agency", "other_agency", "researcher")


@pytest.fixture
def world(api: Api, admin: str) -> dict[str, Any]:
    de_authority = create_authority(api, admin, "DE")
    fr_authority = create_authority(api, admin, "FR")
    agency = create_organisation(api, admin, "RECRUITMENT_AGENCY", "DE", authorisation="A-1")
    other = create_organisation(api, admin, "RECRUITMENT_AGENCY", "DE", authorisation="A-2")
    employer = create_organisation(api, admin, "EMPLOYER", "DE")
    tokens = {
        "admin": admin,
        "authority_de": api.token("accreditation_body", "DE", from_global_id(de_authority)[1]),
        "authority_fr": api.token("accreditation_body", "FR", from_global_id(fr_authority)[1]),
        "agency": api.token("placement_agency", organisation=from_global_id(agency)[1]),
        "other_agency": api.token("placement_agency", organisation=from_global_id(other)[1]),
        "researcher": api.token("researcher"),
    }
    resident = register(api, admin, familyName="Resident")  # lives in DE, consents
    private = register(
        api, admin, familyName="Private", residenceCountry="FR", consentToPlacement=False
    )
    qualification = add_qualification(api, admin, resident["id"])
    add_qualification(api, admin, private["id"])
    case = submit_case(api, tokens["authority_de"], resident["id"])
    recruitment = record_recruitment(
        api,
        tokens["agency"],
        professionalId=resident["id"],
        employerId=employer,
        agencyId=agency,
        destinationCountry="DE",
        iscoCode="2221",
        mode="DIRECT_APPLICATION",
    )["recruitment"]
    shortage = api.gql(
        """mutation($input: RecordShortageInput!) { recordShortage(input: $input) {
          ... on ShortageRecorded { shortage { id } } } }""",
        tokens["agency"],
        input={
            "hostCountry": "DE",
            "iscoCode": "2221",
            "posts": 3,
            "startsOn": "2026-01-01",
            "source": "matrix",
        },
    )["recordShortage"]["shortage"]
    ids = {
        "resident": resident["id"],
        "private": private["id"],
        "private_profile": to_global_id("MatchingProfile", from_global_id(private["id"])[1]),
        "resident_profile": to_global_id("MatchingProfile", from_global_id(resident["id"])[1]),
        "qualification": qualification["id"],
        "case": case["id"],
        "recruitment": recruitment["id"],
        "shortage": shortage["id"],
    }
    return {"tokens": tokens, "ids": ids}


def outcome(api: Api, token: str, query: str, **variables: Any) -> str:
    answer = api.raw(query, token, **variables)
    codes = {e.get("extensions", {}).get("code") for e in answer.get("errors", [])}
    if "FORBIDDEN" in codes:
        return "forbidden"
    assert not answer.get("errors"), answer
    (value,) = answer["data"].values()
    if value is None:
        return "null"
    if isinstance(value, dict) and value.get("__typename") == "Forbidden":
        return "forbidden"
    if isinstance(value, dict) and "totalCount" in value:
        return "empty" if value["totalCount"] == 0 else f"{value['totalCount']}"
    if isinstance(value, list):
        return "empty" if not value else f"{len(value)}"
    return "data"


# (name, query, variable name -> id key, expected outcome per role in ROLES order)
READS: list[tuple[str, str, dict[str, str], tuple[str, ...]]] = [
    (
        "professionals list",
        "{ professionals { totalCount } }",
        {},
        ("2", "1", "1", "forbidden", "forbidden", "forbidden"),
    ),
    (
        "professional by id",
        "query($id: ID!) { professional(id: $id) { familyName protectionStatus } }",
        {"id": "resident"},
        ("data", "data", "null", "forbidden", "forbidden", "forbidden"),
    ),
    (
        "node: professional",
        "query($id: ID!) { node(id: $id) { ... on Professional { birthDate } } }",
        {"id": "resident"},
        ("data", "data", "null", "forbidden", "forbidden", "forbidden"),
    ),
    (
        "node: qualification",
        "query($id: ID!) { node(id: $id) { ... on Qualification { originalTitle } } }",
        {"id": "qualification"},
        ("data", "data", "null", "forbidden", "forbidden", "forbidden"),
    ),
    (
        "nested: qualification's professional",
        """query($id: ID!) { node(id: $id) { ... on Qualification {
            professional { citizenships { code } } } } }""",
        {"id": "qualification"},
        ("data", "data", "null", "forbidden", "forbidden", "forbidden"),
    ),
    (
        "nested: professional's cases",
        """query($id: ID!) { professional(id: $id) { recognitionCases { status } } }""",
        {"id": "resident"},
        ("data", "data", "null", "forbidden", "forbidden", "forbidden"),
    ),
    (
        "recognition case queue",
        "{ recognitionCases { totalCount } }",
        {},
        ("1", "1", "empty", "forbidden", "forbidden", "forbidden"),
    ),
    (
        "node: recognition case",
        "query($id: ID!) { node(id: $id) { ... on RecognitionCase { status } } }",
        {"id": "case"},
        ("data", "data", "null", "forbidden", "forbidden", "forbidden"),
    ),
    (
        "recruitments",
        "{ recruitments { totalCount } }",
        {},
        ("1", "forbidden", "forbidden", "1", "empty", "forbidden"),
    ),
    (
        "node: recruitment",
        "query($id: ID!) { node(id: $id) { ... on Recruitment { status } } }",
        {"id": "recruitment"},
        ("data", "forbidden", "forbidden", "data", "null", "forbidden"),
    ),
    (
        "shortages",
        "{ shortages { totalCount } }",
        {},
        ("1", "1", "1", "1", "1", "forbidden"),
    ),
    (
        "candidates: consenting DE resident only for agencies",
        """query($id: ID!) { node(id: $id) { ... on Shortage {
            candidates(includeCodeExcluded: true) { totalCount } } } }""",
        {"id": "shortage"},
        ("data", "data", "data", "data", "data", "forbidden"),
    ),
    (
        "node: matching profile of someone who does not consent",
        "query($id: ID!) { node(id: $id) { ... on MatchingProfile { familyName } } }",
        {"id": "private_profile"},
        ("data", "null", "data", "null", "null", "forbidden"),
    ),
    (
        "node: matching profile of a consenting person",
        "query($id: ID!) { node(id: $id) { ... on MatchingProfile { familyName } } }",
        {"id": "resident_profile"},
        ("data", "data", "null", "data", "data", "forbidden"),
    ),
    (
        "workforce statistics",
        "{ workforceStatistics(groupBy: [HOST_COUNTRY]) { stock } }",
        {},
        ("2", "forbidden", "forbidden", "forbidden", "forbidden", "2"),  # DE and FR cells
    ),
]


@pytest.mark.parametrize(
    ("name", "query", "variables", "expected"), READS, ids=[r[0] for r in READS]
)
def test_read_matrix(
    api: Api,
    world: dict[str, Any],
    name: str,
    query: str,
    variables: dict[str, str],
    expected: tuple[str, ...],
) -> None:
    bound = {k: world["ids"][v] for k, v in variables.items()}
    found = tuple(outcome(api, world["tokens"][role], query, **bound) for role in ROLES)
    assert dict(zip(ROLES, found, strict=True)) == dict(zip(ROLES, expected, strict=True)), name


def test_candidates_show_agencies_only_consenting_people(api: Api, world: dict[str, Any]) -> None:
    query = """query($id: ID!) { node(id: $id) { ... on Shortage {
        candidates(includeCodeExcluded: true) { edges { node { profile { familyName } } } } } } }"""
    names = {
        role: sorted(
            e["node"]["profile"]["familyName"]
            for e in api.gql(query, world["tokens"][role], id=world["ids"]["shortage"])["node"][
                "candidates"
            ]["edges"]
        )
        for role in ROLES[:-1]
    }
    assert names == {
        "admin": ["Private", "Resident"],
        "authority_de": ["Resident"],
        "authority_fr": ["Private"],
        "agency": ["Resident"],
        "other_agency": ["Resident"],
    }


WRITES: list[tuple[str, str, dict[str, Any], tuple[str, ...]]] = [
    (
        "register a DE resident",
        """mutation($input: RegisterProfessionalInput!) { registerProfessional(input: $input) {
            __typename } }""",
        {
            "input": {
                "familyName": "New",
                "givenNames": "Person",
                "birthDate": "1990-01-01",
                "sex": "MALE",
                "birthCountry": "SY",
                "residenceCountry": "DE",
                "protectionStatus": "REFUGEE",
            }
        },
        ("data", "data", "forbidden", "forbidden", "forbidden", "forbidden"),
    ),
    (
        "record a shortage",
        """mutation($input: RecordShortageInput!) { recordShortage(input: $input) {
            __typename } }""",
        {
            "input": {
                "hostCountry": "DE",
                "iscoCode": "2221",
                "posts": 1,
                "startsOn": "2026-01-01",
                "source": "matrix",
            }
        },
        ("data", "forbidden", "forbidden", "data", "data", "forbidden"),
    ),
    (
        "create an organisation",
        """mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) {
            __typename } }""",
        {"input": {"kind": "EMPLOYER", "name": "Clinic", "country": "DE"}},
        ("data", "forbidden", "forbidden", "forbidden", "forbidden", "forbidden"),
    ),
]


@pytest.mark.parametrize(
    ("name", "mutation", "variables", "expected"), WRITES, ids=[w[0] for w in WRITES]
)
def test_write_matrix(
    api: Api,
    world: dict[str, Any],
    name: str,
    mutation: str,
    variables: dict[str, Any],
    expected: tuple[str, ...],
) -> None:
    found = tuple(outcome(api, world["tokens"][role], mutation, **variables) for role in ROLES)
    assert dict(zip(ROLES, found, strict=True)) == dict(zip(ROLES, expected, strict=True)), name
