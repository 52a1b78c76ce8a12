"""Inputs for each domain, valid unless a test overrides a field."""

from __future__ import annotations

from typing import Any

from tests.helpers import Api

REGISTER = """
mutation Register($input: RegisterProfessionalInput!) {
  registerProfessional(input: $input) {
    __typename
    ... on ProfessionalRegistered { professional { id version familyName givenNames } }
    ... on ValidationFailed { message issues { field code message } }
    ... on DuplicateProfessional { message existingId }
    ... on Forbidden { message }
  }
}
"""

ADD_QUALIFICATION = """
mutation Add($input: AddQualificationInput!) {
  addQualification(input: $input) {
    __typename
    ... on QualificationAdded { qualification { id version originalTitle occupation { iscoCode } } }
    ... on ValidationFailed { issues { field code message } }
    ... on NotFound { entity id }
    ... on Forbidden { message }
  }
}
"""


def professional_input(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "familyName": "Shevchenko",
        "givenNames": "Olena",
        "birthDate": "1985-04-12",
        "sex": "FEMALE",
        "birthCountry": "UA",
        "residenceCountry": "DE",
        "protectionStatus": "TEMPORARY_PROTECTION",
        "citizenships": ["UA"],
        "languages": [{"code": "uk", "level": "NATIVE"}, {"code": "de", "level": "B1"}],
        "consentToPlacement": True,
    }
    data.update(overrides)
    return data


def qualification_input(professional_id: str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "professionalId": professional_id,
        "kind": "BASIC_DEGREE",
        "originalTitle": "Сестра медична",
        "titleLanguage": "uk",
        "trainingCountry": "UA",
        "evidenceLevel": "FULL",
        "awardDate": "2008-06-30",
        "iscoCode": "2221",
    }
    data.update(overrides)
    return data


def register(api: Api, token: str, **overrides: Any) -> dict[str, Any]:
    result = api.gql(REGISTER, token, input=professional_input(**overrides))["registerProfessional"]
    assert result["__typename"] == "ProfessionalRegistered", result
    professional: dict[str, Any] = result["professional"]
    return professional


def add_qualification(
    api: Api, token: str, professional_id: str, **overrides: Any
) -> dict[str, Any]:
    result = api.gql(
        ADD_QUALIFICATION, token, input=qualification_input(professional_id, **overrides)
    )["addQualification"]
    assert result["__typename"] == "QualificationAdded", result
    qualification: dict[str, Any] = result["qualification"]
    return qualification
