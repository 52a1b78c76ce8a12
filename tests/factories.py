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


CREATE_ORGANISATION = """
mutation($input: CreateOrganisationInput!) {
  createOrganisation(input: $input) {
    __typename
    ... on OrganisationCreated { organisation { id name kind country { code } subdivision } }
    ... on ValidationFailed { issues { field code message } }
    ... on Forbidden { message }
  }
}
"""

CASE_FIELDS = """id version status submittedOn fileCompleteOn decisionDue deadlineExtended
  decidedOn compensationMeasure adaptationMonths conditions
  history { kind fromStatus toStatus note actor }"""

SUBMIT_CASE = f"""
mutation($input: SubmitRecognitionCaseInput!) {{
  submitRecognitionCase(input: $input) {{
    __typename
    ... on RecognitionCaseRecorded {{ case {{ {CASE_FIELDS} }} }}
    ... on ValidationFailed {{ issues {{ field code message }} }}
    ... on NotFound {{ entity }}
    ... on Forbidden {{ message }}
  }}
}}
"""

CASE_RESULT = f"""
    __typename
    ... on RecognitionCaseRecorded {{ case {{ {CASE_FIELDS} }} }}
    ... on ValidationFailed {{ issues {{ field code message }} }}
    ... on NotFound {{ entity }}
    ... on Forbidden {{ message }}
    ... on VersionConflict {{ expectedVersion currentVersion }}
    ... on IllegalTransition {{ entity fromStatus toStatus allowed message }}
"""

TRANSITION = f"""
mutation($input: TransitionRecognitionCaseInput!) {{
  transitionRecognitionCase(input: $input) {{ {CASE_RESULT} }}
}}
"""

EXTEND = f"""
mutation($input: ExtendDecisionDeadlineInput!) {{
  extendDecisionDeadline(input: $input) {{ {CASE_RESULT} }}
}}
"""

VERIFICATION_RESULT = """
    __typename
    ... on VerificationRecorded { verification { id version status method statusDate
      nextReviewDate assessors primarySource country { code } authority { name } } }
    ... on ValidationFailed { issues { field code message } }
    ... on NotFound { entity }
    ... on Forbidden { message }
"""

START_VERIFICATION = f"""
mutation($input: StartVerificationInput!) {{
  startVerification(input: $input) {{ {VERIFICATION_RESULT} }}
}}
"""

VERIFICATION_OUTCOME = f"""
mutation($input: RecordVerificationOutcomeInput!) {{
  recordVerificationOutcome(input: $input) {{ {VERIFICATION_RESULT}
    ... on VersionConflict {{ currentVersion }}
    ... on IllegalTransition {{ fromStatus toStatus allowed }}
  }}
}}
"""

LICENCE_RESULT = """
    __typename
    ... on LicenceRecorded { licence { id version number status validFrom validUntil
      country { code } occupation { iscoCode } } }
    ... on ValidationFailed { issues { field code message } }
    ... on NotFound { entity }
    ... on Forbidden { message }
    ... on VersionConflict { currentVersion }
    ... on IllegalTransition { fromStatus toStatus allowed }
"""

ISSUE_LICENCE = f"""
mutation($input: IssueLicenceInput!) {{ issueLicence(input: $input) {{ {LICENCE_RESULT} }} }}
"""

CHANGE_LICENCE = f"""
mutation($input: ChangeLicenceStatusInput!) {{
  changeLicenceStatus(input: $input) {{ {LICENCE_RESULT} }}
}}
"""


def issue_licence(
    api: Api, token: str, case: dict[str, Any], valid_from: str, **overrides: Any
) -> dict[str, Any]:
    """Issues a licence on a recognised case; returns the licence."""
    data: dict[str, Any] = {
        "caseId": case["id"],
        "caseVersion": case["version"],
        "number": "DE-BY-1",
        "validFrom": valid_from,
    }
    data.update(overrides)
    issued = api.gql(ISSUE_LICENCE, token, input=data)["issueLicence"]
    assert issued["__typename"] == "LicenceRecorded", issued
    licence: dict[str, Any] = issued["licence"]
    return licence


def create_authority(api: Api, admin: str, country: str = "DE", name: str = "") -> str:
    result = api.gql(
        CREATE_ORGANISATION,
        admin,
        input={
            "kind": "COMPETENT_AUTHORITY",
            "name": name or f"Approbation office {country}",
            "country": country,
        },
    )["createOrganisation"]
    assert result["__typename"] == "OrganisationCreated", result
    organisation_id: str = result["organisation"]["id"]
    return organisation_id


def submit_case(api: Api, token: str, professional_id: str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "professionalId": professional_id,
        "iscoCode": "2221",
        "pathway": "GENERAL_SYSTEM",
        "languageRequirement": {"code": "de", "minLevel": "B2"},
    }
    data.update(overrides)
    result = api.gql(SUBMIT_CASE, token, input=data)["submitRecognitionCase"]
    assert result["__typename"] == "RecognitionCaseRecorded", result
    case: dict[str, Any] = result["case"]
    return case


def move_case(api: Api, token: str, case: dict[str, Any], to: str, **extra: Any) -> dict[str, Any]:
    """Runs a transition; returns the union member as the client sees it."""
    result: dict[str, Any] = api.gql(
        TRANSITION, token, input={"id": case["id"], "version": case["version"], "to": to, **extra}
    )["transitionRecognitionCase"]
    return result


RECRUITMENT_FIELDS = """id version status mode proposedOn sourceCountry { code }
  compliance { verdict editionYear basis previousVerdict verdictChangedAt
    findings { rule severity citation message remedy } }
  history { kind fromValue toValue note }"""

RECRUITMENT_RESULT = f"""
    __typename
    ... on RecruitmentRecorded {{ recruitment {{ {RECRUITMENT_FIELDS} }} }}
    ... on ValidationFailed {{ issues {{ field code message }} }}
    ... on NotFound {{ entity }}
    ... on Forbidden {{ message }}
    ... on VersionConflict {{ currentVersion }}
    ... on IllegalTransition {{ fromStatus toStatus allowed }}
"""

RECORD_RECRUITMENT = f"""
mutation($input: RecordRecruitmentInput!) {{
  recordRecruitment(input: $input) {{ {RECRUITMENT_RESULT} }}
}}
"""


def create_organisation(api: Api, admin: str, kind: str, country: str, **extra: Any) -> str:
    result = api.gql(
        CREATE_ORGANISATION,
        admin,
        input={"kind": kind, "name": f"{kind.title()} {country}", "country": country, **extra},
    )["createOrganisation"]
    assert result["__typename"] == "OrganisationCreated", result
    organisation_id: str = result["organisation"]["id"]
    return organisation_id


def record_recruitment(api: Api, token: str, **fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = api.gql(RECORD_RECRUITMENT, token, input=fields)["recordRecruitment"]
    return result
