"""Least privilege on every path: lists, professional(id:), node(id:), nested edges, writes."""

from __future__ import annotations

import pytest

from registry.errors import ValidationFailedError
from tests.factories import (
    ADD_QUALIFICATION,
    REGISTER,
    add_qualification,
    professional_input,
    qualification_input,
    register,
)
from tests.helpers import Api

LIST = "{ professionals(first: 10) { totalCount edges { node { familyName } } } }"
BY_ID = "query($id: ID!) { professional(id: $id) { familyName } }"
NODE = (
    "query($id: ID!) { node(id: $id) { id ... on Qualification { professional { familyName } } } }"
)
UPDATE = """mutation($input: UpdateProfessionalInput!) { updateProfessional(input: $input) {
  __typename ... on Forbidden { message } ... on NotFound { entity } } }"""


def test_anonymous_gets_nothing_but_healthz(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok", "database": "up"}
    response = api.post({"query": LIST}, token=None)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "data" not in response.json()


@pytest.mark.parametrize(
    "header",
    [
        "Bearer rgt_not-a-real-token",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "rgt_abc",
        "Bearer " + "x" * 5000,
    ],
)
def test_bad_credentials_are_refused(api: Api, header: str) -> None:
    response = api.client.post("/graphql", json={"query": LIST}, headers={"Authorization": header})
    assert response.status_code == 401


def test_viewer_reports_role_and_scope(api: Api) -> None:
    token = api.token("accreditation_body", country="DE")
    assert api.gql("{ viewer { role country } }", token)["viewer"] == {
        "role": "accreditation_body",
        "country": "DE",
    }


@pytest.mark.parametrize("role", ["researcher", "placement_agency"])
def test_roles_without_record_access_see_no_person(api: Api, admin: str, role: str) -> None:
    person = register(api, admin)
    q = add_qualification(api, admin, person["id"])
    token = api.token(role)
    for query, variables in (
        (LIST, {}),
        (BY_ID, {"id": person["id"]}),
        (NODE, {"id": person["id"]}),
        (NODE, {"id": q["id"]}),
    ):
        result = api.raw(query, token, **variables)
        assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN", (query, result)
        assert result["data"] is None or all(v is None for v in result["data"].values())
        assert "Shevchenko" not in str(result)
    written = api.gql(REGISTER, token, input=professional_input(familyName="New"))[
        "registerProfessional"
    ]
    assert written["__typename"] == "Forbidden"
    updated = api.gql(UPDATE, token, input={"id": person["id"], "version": 1, "familyName": "X"})
    assert updated["updateProfessional"]["__typename"] == "Forbidden"


def test_accreditation_body_is_scoped_to_its_country(api: Api, admin: str) -> None:
    in_de = register(api, admin, familyName="Haddad", residenceCountry="DE")
    in_fr = register(api, admin, familyName="Ahmadi", residenceCountry="FR")
    q_fr = add_qualification(api, admin, in_fr["id"])
    q_de = add_qualification(api, admin, in_de["id"])
    officer = api.token("accreditation_body", country="DE")

    listed = api.gql(LIST, officer)["professionals"]
    assert listed["totalCount"] == 1
    assert [e["node"]["familyName"] for e in listed["edges"]] == ["Haddad"]
    assert api.gql(BY_ID, officer, id=in_fr["id"])["professional"] is None
    assert api.gql(BY_ID, officer, id=in_de["id"])["professional"] == {"familyName": "Haddad"}
    assert api.gql(NODE, officer, id=in_fr["id"])["node"] is None
    assert api.gql(NODE, officer, id=q_fr["id"])["node"] is None
    assert api.gql(NODE, officer, id=q_de["id"])["node"]["professional"] == {"familyName": "Haddad"}
    assert (
        api.gql(
            '{ professionals(first: 5, filter: {residenceCountries: ["FR"]}) { totalCount } }',
            officer,
        )["professionals"]["totalCount"]
        == 0
    )


def test_accreditation_body_writes_only_in_its_country(api: Api, admin: str) -> None:
    in_fr = register(api, admin, familyName="Ahmadi", residenceCountry="FR")
    officer = api.token("accreditation_body", country="DE")
    events = api.audit_count()

    refused = api.gql(REGISTER, officer, input=professional_input(residenceCountry="FR"))
    assert refused["registerProfessional"]["__typename"] == "Forbidden"
    hidden = api.gql(UPDATE, officer, input={"id": in_fr["id"], "version": 1, "familyName": "X"})
    assert hidden["updateProfessional"] == {"__typename": "NotFound", "entity": "Professional"}
    add = api.gql(ADD_QUALIFICATION, officer, input=qualification_input(in_fr["id"]))
    assert add["addQualification"]["__typename"] == "NotFound"
    assert api.audit_count() == events

    own = register(api, officer, familyName="Haddad", residenceCountry="DE")
    moved = api.gql(
        UPDATE, officer, input={"id": own["id"], "version": 1, "residenceCountry": "FR"}
    )
    assert moved["updateProfessional"]["__typename"] == "Forbidden"
    add_qualification(api, officer, own["id"])


def test_accreditation_body_token_needs_a_country(api: Api) -> None:
    with pytest.raises(ValidationFailedError) as raised:
        api.token("accreditation_body")
    assert raised.value.issues[0].field == "country"
