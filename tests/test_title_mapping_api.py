"""Title mapping in the product: the query, automatic mapping on add, confirm/override."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from registry.audit.models import AuditEvent
from tests.factories import add_qualification, register
from tests.helpers import Api

MAP = """query($title: String!, $language: String) {
  mapQualificationTitle(title: $title, language: $language) {
    status method aliasTableVersion reasons
    candidates { occupation { iscoCode title } score matchedAlias } } }"""
MAPPING = "mapping { method score matchedAlias aliasTableVersion confirmedBy confirmedAt }"
CONFIRM = f"""mutation($input: ConfirmQualificationMappingInput!) {{
  confirmQualificationMapping(input: $input) {{
    __typename
    ... on QualificationMappingConfirmed {{
      qualification {{ version occupation {{ iscoCode }} {MAPPING} }} }}
    ... on ValidationFailed {{ issues {{ field code }} }}
    ... on VersionConflict {{ currentVersion }}
    ... on Forbidden {{ message }}
    ... on NotFound {{ entity }}
  }} }}"""
NESTED = (
    "query($id: ID!) { node(id: $id) { ... on Qualification { occupation { iscoCode } "
    + MAPPING
    + " } } }"
)


def added_unmapped(
    api: Api, admin: str, person_id: str, title: str, **hints: Any
) -> dict[str, Any]:
    """A qualification added with no occupation, as stored: its mapping is the registry's."""
    q = add_qualification(api, admin, person_id, iscoCode=None, originalTitle=title, **hints)
    stored: dict[str, Any] = api.gql(NESTED, admin, id=q["id"])["node"]
    return stored


def test_map_query_explains_a_match(api: Api, admin: str) -> None:
    result = api.gql(MAP, admin, title="Лікар-хірург", language="uk")["mapQualificationTitle"]
    assert result["status"] == "matched"
    assert result["method"] == "fuzzy"
    assert result["candidates"][0]["occupation"] == {
        "iscoCode": "2212",
        "title": "Specialist medical practitioners",
    }
    assert result["candidates"][0]["matchedAlias"] == "хірург"
    assert result["aliasTableVersion"].startswith("aliases-")
    assert result["reasons"]


def test_map_query_returns_candidates_when_ambiguous(api: Api, admin: str) -> None:
    result = api.gql(MAP, admin, title="Nurse anaesthetist", language="en")["mapQualificationTitle"]
    assert result["status"] == "ambiguous"
    assert len(result["candidates"]) >= 2


def test_map_query_rejects_oversized_titles(api: Api, admin: str) -> None:
    result = api.raw(MAP, admin, title="x" * 301)
    assert result["errors"][0]["extensions"]["issues"][0]["field"] == "title"


def test_add_without_occupation_maps_and_stores_the_evidence(api: Api, admin: str) -> None:
    stored = added_unmapped(api, admin, register(api, admin)["id"], "Сестра медична")
    assert stored["occupation"] == {"iscoCode": "3221"}
    mapping = stored["mapping"]
    assert mapping["method"] == "ALIAS"
    assert mapping["score"] == 100.0
    assert mapping["matchedAlias"].casefold() == "сестра медична"
    assert mapping["aliasTableVersion"].startswith("aliases-")
    assert mapping["confirmedBy"] is None


def test_a_mapping_by_the_unit_groups_vocabulary_says_so(api: Api, admin: str) -> None:
    # A heart surgeon: no alias is, but "kirurg" is a word of specialist doctors' aliases.
    found = api.gql(MAP, admin, title="Hjertekirurg", language="da")["mapQualificationTitle"]
    assert (found["status"], found["method"]) == ("matched", "vocabulary")
    assert found["candidates"][0]["matchedAlias"] == "kirurg"
    person = register(api, admin)
    stored = added_unmapped(
        api, admin, person["id"], "Hjertekirurg", titleLanguage="da", trainingCountry="DK"
    )
    assert stored["occupation"] == {"iscoCode": "2212"}
    assert (stored["mapping"]["method"], stored["mapping"]["matchedAlias"]) == (
        "VOCABULARY",
        "kirurg",
    )


def test_the_country_of_training_decides_the_level(api: Api, admin: str) -> None:
    """A college-trained "медсестра" is an associate nurse in the CIS; the same title
    awarded in Latvia is a nursing professional's."""
    person = register(api, admin)
    codes = {
        country: added_unmapped(
            api, admin, person["id"], "Медсестра", titleLanguage="rus", trainingCountry=country
        )["occupation"]["iscoCode"]
        for country in ("UA", "LV")
    }
    assert codes == {"UA": "3221", "LV": "2221"}


def test_map_query_takes_the_country_and_checks_the_hints(api: Api, admin: str) -> None:
    query = """query($title: String!, $language: String, $country: String) {
      mapQualificationTitle(title: $title, language: $language, country: $country) {
        status candidates { occupation { iscoCode } } } }"""
    found = api.gql(query, admin, title="Акушерка", language="ru", country="DE")
    assert found["mapQualificationTitle"]["candidates"][0]["occupation"]["iscoCode"] == "2222"
    found = api.gql(query, admin, title="Акушерка", language="ru", country="KZ")
    assert found["mapQualificationTitle"]["candidates"][0]["occupation"]["iscoCode"] == "3222"
    bad = api.raw(query, admin, title="Акушерка", language="russian", country="XX")
    issues = bad["errors"][0]["extensions"]["issues"]
    assert [(i["field"], i["code"]) for i in issues] == [
        ("language", "unknown_language"),
        ("country", "unknown_country"),
    ]


def test_add_with_an_ambiguous_title_leaves_it_for_a_person(api: Api, admin: str) -> None:
    person = register(api, admin)
    stored = added_unmapped(api, admin, person["id"], "Nurse anaesthetist", titleLanguage="en")
    assert stored == {"occupation": None, "mapping": None}


def confirm(api: Api, token: str, **fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = api.gql(CONFIRM, token, input=fields)["confirmQualificationMapping"]
    return result


def test_authority_confirms_the_mapping(api: Api, admin: str) -> None:
    person = register(api, admin, residenceCountry="DE")
    q = add_qualification(api, admin, person["id"], iscoCode=None)
    officer = api.token("accreditation_body", country="DE")
    result = confirm(api, officer, id=q["id"], version=1)
    assert result["__typename"] == "QualificationMappingConfirmed"
    confirmed = result["qualification"]
    assert confirmed["version"] == 2
    assert confirmed["occupation"] == {"iscoCode": "3221"}
    assert confirmed["mapping"]["method"] == "ALIAS"
    assert confirmed["mapping"]["confirmedBy"].endswith("(accreditation_body)")
    assert confirmed["mapping"]["confirmedAt"]
    event = api.scalar(
        select(AuditEvent).where(AuditEvent.action == "qualification.mapping_confirmed")
    )
    assert event.after["mapping_confirmed_by"] == confirmed["mapping"]["confirmedBy"]


def test_authority_overrides_the_mapping(api: Api, admin: str) -> None:
    person = register(api, admin, residenceCountry="DE")
    q = add_qualification(api, admin, person["id"], iscoCode=None)
    officer = api.token("accreditation_body", country="DE")
    result = confirm(api, officer, id=q["id"], version=1, iscoCode="2221")
    overridden = result["qualification"]
    assert overridden["occupation"] == {"iscoCode": "2221"}
    assert overridden["mapping"]["method"] == "OVERRIDE"
    assert overridden["mapping"]["score"] is None
    event = api.scalar(
        select(AuditEvent).where(AuditEvent.action == "qualification.mapping_overridden")
    )
    assert event.before["isco_code"] == "3221"
    assert event.after["isco_code"] == "2221"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"version": 9}, "VersionConflict"),
        ({"version": 1, "iscoCode": "9999"}, "ValidationFailed"),
        ({"version": 1, "id": "bad"}, "ValidationFailed"),
    ],
)
def test_confirm_refuses_bad_requests(
    api: Api, admin: str, fields: dict[str, Any], expected: str
) -> None:
    person = register(api, admin)
    q = add_qualification(api, admin, person["id"], iscoCode=None)
    events = api.audit_count()
    assert confirm(api, admin, **{"id": q["id"], **fields})["__typename"] == expected
    assert api.audit_count() == events


def test_confirming_nothing_needs_a_code(api: Api, admin: str) -> None:
    person = register(api, admin)
    q = add_qualification(
        api, admin, person["id"], iscoCode=None, originalTitle="asdf", titleLanguage="en"
    )
    result = confirm(api, admin, id=q["id"], version=1)
    assert result == {
        "__typename": "ValidationFailed",
        "issues": [{"field": "input.iscoCode", "code": "required"}],
    }


@pytest.mark.parametrize(("role", "country"), [("placement_agency", None), ("researcher", None)])
def test_only_authorities_confirm(api: Api, admin: str, role: str, country: str | None) -> None:
    person = register(api, admin)
    q = add_qualification(api, admin, person["id"], iscoCode=None)
    assert (
        confirm(api, api.token(role, country=country), id=q["id"], version=1)["__typename"]
        == "Forbidden"
    )


def test_authority_of_another_country_cannot_see_the_credential(api: Api, admin: str) -> None:
    person = register(api, admin, residenceCountry="FR")
    q = add_qualification(api, admin, person["id"], iscoCode=None)
    officer = api.token("accreditation_body", country="DE")
    assert confirm(api, officer, id=q["id"], version=1) == {
        "__typename": "NotFound",
        "entity": "Qualification",
    }
