"""Bad input gets a precise, typed error naming the field, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from registry.professionals.models import Professional
from tests.factories import (
    ADD_QUALIFICATION,
    REGISTER,
    professional_input,
    qualification_input,
    register,
)
from tests.helpers import Api


def assert_unchanged(api: Api, professionals: int, events: int) -> None:
    assert api.scalar(select(func.count()).select_from(Professional)) == professionals
    assert api.audit_count() == events


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"birthCountry": "XX"}, "input.birthCountry", "unknown_country"),
        ({"residenceCountry": "germany"}, "input.residenceCountry", "unknown_country"),
        ({"citizenships": ["UA", "ZZ"]}, "input.citizenships[1]", "unknown_country"),
        ({"citizenships": ["UA", "UA"]}, "input.citizenships", "duplicate"),
        ({"birthDate": "2090-01-01"}, "input.birthDate", "in_future"),
        ({"birthDate": "1850-01-01"}, "input.birthDate", "too_old"),
        ({"birthDate": "2020-01-01"}, "input.birthDate", "too_young"),
        ({"familyName": ""}, "input.familyName", "required"),
        ({"familyName": "   "}, "input.familyName", "required"),
        ({"givenNames": "x" * 10_000}, "input.givenNames", "too_long"),
        ({"familyName": "Bad\x00Name"}, "input.familyName", "invalid_characters"),
        (
            {"languages": [{"code": "xx", "level": "B1"}]},
            "input.languages[0].code",
            "unknown_language",
        ),
        (
            {"languages": [{"code": "klingon", "level": "B1"}]},
            "input.languages[0].code",
            "unknown_language",
        ),
        (
            {"languages": [{"code": "uk", "level": "B1"}, {"code": "ukr", "level": "C1"}]},
            "input.languages",
            "duplicate",
        ),
    ],
)
def test_register_rejects_bad_input(
    api: Api, admin: str, overrides: dict[str, Any], field: str, code: str
) -> None:
    events = api.audit_count()
    result = api.gql(REGISTER, admin, input=professional_input(**overrides))["registerProfessional"]
    assert result["__typename"] == "ValidationFailed"
    assert {"field": field, "code": code} in [
        {"field": i["field"], "code": i["code"]} for i in result["issues"]
    ], result["issues"]
    assert_unchanged(api, 0, events)


def test_every_problem_is_reported_at_once(api: Api, admin: str) -> None:
    result = api.gql(
        REGISTER,
        admin,
        input=professional_input(birthCountry="XX", familyName="", birthDate="2999-01-01"),
    )["registerProfessional"]
    fields = {i["field"] for i in result["issues"]}
    assert fields == {"input.birthCountry", "input.familyName", "input.birthDate"}


def test_invalid_cefr_level_is_a_graphql_input_error(api: Api, admin: str) -> None:
    events = api.audit_count()
    result = api.raw(
        REGISTER, admin, input=professional_input(languages=[{"code": "uk", "level": "Z9"}])
    )
    assert result["data"] is None
    message = result["errors"][0]["message"]
    assert "level" in message
    assert "Z9" in message
    assert_unchanged(api, 0, events)


def test_wrong_scalar_type_names_the_field(api: Api, admin: str) -> None:
    result = api.raw(REGISTER, admin, input=professional_input(birthDate="yesterday"))
    assert result["data"] is None
    assert "birthDate" in result["errors"][0]["message"]


@pytest.mark.parametrize(
    ("bad_id", "message_part"),
    [
        ("not-base64!", "not an ID issued by this API"),
        (
            "UHJvZmVzc2lvbmFsOm5vdC1hLXV1aWQ=",
            "not an ID issued by this API",
        ),  # Professional:not-a-uuid
        ("", "not an ID issued by this API"),
    ],
)
def test_malformed_global_ids(api: Api, admin: str, bad_id: str, message_part: str) -> None:
    events = api.audit_count()
    result = api.gql(ADD_QUALIFICATION, admin, input=qualification_input(bad_id))[
        "addQualification"
    ]
    assert result["__typename"] == "ValidationFailed"
    assert result["issues"][0]["field"] == "input.professionalId"
    assert message_part in result["issues"][0]["message"]
    assert api.audit_count() == events


def test_global_id_of_the_wrong_type(api: Api, admin: str) -> None:
    person = register(api, admin)
    qualification = api.gql(ADD_QUALIFICATION, admin, input=qualification_input(person["id"]))[
        "addQualification"
    ]["qualification"]
    result = api.gql(ADD_QUALIFICATION, admin, input=qualification_input(qualification["id"]))[
        "addQualification"
    ]
    assert result["__typename"] == "ValidationFailed"
    assert result["issues"][0]["message"] == "is an ID of a Qualification, not of a Professional"


def test_malformed_id_on_a_query_is_a_typed_error(api: Api, admin: str) -> None:
    result = api.raw("query($id: ID!) { professional(id: $id) { id } }", admin, id="%%%")
    error = result["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["issues"][0]["field"] == "id"


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"iscoCode": "9999"}, "input.iscoCode", "unknown_occupation"),
        ({"iscoCode": "2250x"}, "input.iscoCode", "unknown_occupation"),
        ({"trainingCountry": "SU"}, "input.trainingCountry", "unknown_country"),
        ({"titleLanguage": "xyz"}, "input.titleLanguage", "unknown_language"),
        ({"originalTitle": ""}, "input.originalTitle", "required"),
        ({"originalTitle": "a" * 301}, "input.originalTitle", "too_long"),
        ({"awardDate": "2999-01-01"}, "input.awardDate", "in_future"),
        (
            {"documents": [{"kind": "diploma", "fileName": "d.pdf", "sha256": "abc"}]},
            "input.documents[0].sha256",
            "invalid_format",
        ),
        (
            {"documents": [{"kind": "diploma", "fileName": "d.pdf", "pages": 0}]},
            "input.documents[0].pages",
            "out_of_range",
        ),
    ],
)
def test_add_qualification_rejects_bad_input(
    api: Api, admin: str, overrides: dict[str, Any], field: str, code: str
) -> None:
    person = register(api, admin)
    events = api.audit_count()
    result = api.gql(
        ADD_QUALIFICATION, admin, input=qualification_input(person["id"], **overrides)
    )["addQualification"]
    assert result["__typename"] == "ValidationFailed"
    assert [(i["field"], i["code"]) for i in result["issues"]] == [(field, code)]
    assert api.audit_count() == events


def test_update_cannot_null_a_required_field(api: Api, admin: str) -> None:
    person = register(api, admin)
    result = api.gql(
        """mutation($input: UpdateProfessionalInput!) { updateProfessional(input: $input) {
            __typename ... on ValidationFailed { issues { field code } } } }""",
        admin,
        input={"id": person["id"], "version": 1, "familyName": None},
    )["updateProfessional"]
    assert result == {
        "__typename": "ValidationFailed",
        "issues": [{"field": "input.familyName", "code": "null_not_allowed"}],
    }


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"first": 0}, "first"),
        ({"first": 101}, "first"),
        ({"first": 10, "after": "garbage"}, "after"),
        ({"first": 10, "filter": {"residenceCountries": ["QQ"]}}, "filter.residenceCountries[0]"),
        ({"first": 10, "filter": {"occupations": ["9"]}}, "filter.occupations[0]"),
        ({"first": 10, "filter": {"languages": [{"code": "zz"}]}}, "filter.languages[0].code"),
        ({"first": 10, "filter": {"name": "n" * 201}}, "filter.name"),
    ],
)
def test_bad_list_arguments_name_the_argument(
    api: Api, admin: str, variables: dict[str, Any], field: str
) -> None:
    result = api.raw(
        """query($first: Int!, $after: String, $filter: ProfessionalFilterInput) {
            professionals(first: $first, after: $after, filter: $filter) { totalCount } }""",
        admin,
        **variables,
    )
    error = result["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["issues"][0]["field"] == field
