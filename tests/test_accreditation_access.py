"""Who sees and acts on cases, verifications and licences: an authority within its
country (and, when scoped, its own authority), nobody else; on every path."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from registry.errors import ValidationFailedError
from schema.ids import from_global_id
from tests.factories import (
    CREATE_ORGANISATION,
    ISSUE_LICENCE,
    START_VERIFICATION,
    SUBMIT_CASE,
    VERIFICATION_OUTCOME,
    add_qualification,
    create_authority,
    move_case,
    register,
    submit_case,
)
from tests.helpers import Api

SOON = (date.today() + timedelta(days=10)).isoformat()
NODE = "query($id: ID!) { node(id: $id) { id } }"
PERSON = """query($id: ID!) { professional(id: $id) { familyName
  recognitionCases { hostCountry { code } }
  qualifications { verifications { country { code } } } } }"""
CASES = "{ recognitionCases(first: 10) { totalCount edges { node { id } } } }"


def _uuid(global_id: str) -> uuid.UUID:
    return from_global_id(global_id)[1]


def test_another_countrys_authority_sees_and_touches_nothing(api: Api, admin: str) -> None:
    de, fr = create_authority(api, admin, "DE"), create_authority(api, admin, "FR")
    officer_de = api.token("accreditation_body", "DE", _uuid(de))
    officer_fr = api.token("accreditation_body", "FR", _uuid(fr))
    person = register(api, officer_de)
    q = add_qualification(api, officer_de, person["id"])
    verification = api.gql(
        START_VERIFICATION,
        officer_de,
        input={"qualificationId": q["id"], "method": "DOCUMENT_REVIEW", "verifier": "clerk"},
    )["startVerification"]["verification"]
    decided = submit_case(api, officer_de, person["id"], iscoCode="3221")
    decided = move_case(api, officer_de, decided, "UNDER_REVIEW")["case"]
    decided = move_case(api, officer_de, decided, "RECOGNISED")["case"]
    licence = api.gql(
        ISSUE_LICENCE,
        officer_de,
        input={
            "caseId": decided["id"],
            "caseVersion": 3,
            "number": "L",
            "validFrom": "2026-01-01",
            "validUntil": SOON,
        },
    )["issueLicence"]["licence"]
    api.gql(
        VERIFICATION_OUTCOME,
        officer_de,
        input={
            "id": verification["id"],
            "version": 1,
            "status": "VALIDATED",
            "nextReviewDate": SOON,
        },
    )
    case = submit_case(api, officer_de, person["id"])
    events = api.audit_count()

    for hidden in (case, decided, licence, verification, q):
        assert api.gql(NODE, officer_fr, id=hidden["id"])["node"] is None
    assert api.gql(CASES, officer_fr)["recognitionCases"] == {"totalCount": 0, "edges": []}
    queues = "{ licencesExpiring(withinDays: 3000) { totalCount } verificationsDue { totalCount } }"
    assert api.gql(queues, officer_fr) == {
        "licencesExpiring": {"totalCount": 0},
        "verificationsDue": {"totalCount": 0},
    }
    assert api.gql(queues, officer_de) == {
        "licencesExpiring": {"totalCount": 1},
        "verificationsDue": {"totalCount": 1},
    }
    assert api.gql(PERSON, officer_fr, id=person["id"])["professional"] is None
    moved = move_case(api, officer_fr, case, "UNDER_REVIEW")
    assert moved == {"__typename": "NotFound", "entity": "RecognitionCase"}
    abroad = api.gql(
        SUBMIT_CASE,
        officer_fr,
        input={"professionalId": person["id"], "iscoCode": "2221", "pathway": "NATIONAL"},
    )["submitRecognitionCase"]
    assert abroad == {"__typename": "NotFound", "entity": "Professional"}
    wrong_host = api.gql(
        SUBMIT_CASE,
        officer_de,
        input={
            "professionalId": person["id"],
            "iscoCode": "2221",
            "pathway": "NATIONAL",
            "hostCountry": "FR",
        },
    )["submitRecognitionCase"]
    assert wrong_host["__typename"] == "Forbidden"
    assert api.audit_count() == events


def test_a_case_abroad_opens_the_record_to_that_authority_and_no_more(api: Api, admin: str) -> None:
    de, fr = create_authority(api, admin, "DE"), create_authority(api, admin, "FR")
    officer_de = api.token("accreditation_body", "DE", _uuid(de))
    officer_fr = api.token("accreditation_body", "FR", _uuid(fr))
    person = register(api, officer_de)
    q = add_qualification(api, officer_de, person["id"])
    submit_case(api, officer_de, person["id"])
    api.gql(
        START_VERIFICATION,
        officer_de,
        input={"qualificationId": q["id"], "method": "DOCUMENT_REVIEW", "verifier": "DE clerk"},
    )
    # The person applies in France too; the registry's administrator opens the file.
    submit_case(api, admin, person["id"], hostCountry="FR", authorityId=fr)

    seen = api.gql(PERSON, officer_fr, id=person["id"])["professional"]
    assert seen["familyName"] == "Shevchenko"
    assert seen["recognitionCases"] == [{"hostCountry": {"code": "FR"}}]
    assert seen["qualifications"][0]["verifications"] == []
    assert api.gql(CASES, officer_fr)["recognitionCases"]["totalCount"] == 1
    everything = api.gql(PERSON, admin, id=person["id"])["professional"]
    assert len(everything["recognitionCases"]) == 2
    assert everything["qualifications"][0]["verifications"] == [{"country": {"code": "DE"}}]


def test_an_authority_token_acts_only_on_its_own_authoritys_cases(api: Api, admin: str) -> None:
    board = create_authority(api, admin, "DE", "Nursing board")
    council = create_authority(api, admin, "DE", "Medical council")
    nurse_officer = api.token("accreditation_body", "DE", _uuid(board))
    doctor_officer = api.token("accreditation_body", "DE", _uuid(council))
    registrar = api.token("accreditation_body", "DE")
    person = register(api, nurse_officer)
    case = submit_case(api, nurse_officer, person["id"])

    refused = move_case(api, doctor_officer, case, "UNDER_REVIEW")
    assert refused == {
        "__typename": "Forbidden",
        "message": "this case is decided by another competent authority",
    }
    foreign = api.gql(
        SUBMIT_CASE,
        doctor_officer,
        input={
            "professionalId": person["id"],
            "iscoCode": "2211",
            "pathway": "NATIONAL",
            "authorityId": board,
        },
    )["submitRecognitionCase"]
    assert foreign["__typename"] == "Forbidden"
    # A country-wide registrar token may act for any authority of its country.
    assert move_case(api, registrar, case, "UNDER_REVIEW")["__typename"] == (
        "RecognitionCaseRecorded"
    )
    no_authority = api.gql(
        SUBMIT_CASE,
        registrar,
        input={"professionalId": person["id"], "iscoCode": "2211", "pathway": "NATIONAL"},
    )["submitRecognitionCase"]
    assert no_authority["issues"][0]["field"] == "input.authorityId"


@pytest.mark.parametrize("role", ["researcher", "placement_agency"])
def test_roles_without_record_access_reach_no_case_licence_or_verification(
    api: Api, admin: str, role: str
) -> None:
    de = create_authority(api, admin, "DE")
    person = register(api, admin)
    q = add_qualification(api, admin, person["id"])
    case = submit_case(api, admin, person["id"], hostCountry="DE", authorityId=de)
    case = move_case(api, admin, case, "UNDER_REVIEW")["case"]
    case = move_case(api, admin, case, "RECOGNISED")["case"]
    licence = api.gql(
        ISSUE_LICENCE,
        admin,
        input={"caseId": case["id"], "caseVersion": 3, "number": "L-1", "validFrom": "2026-01-01"},
    )["issueLicence"]["licence"]
    verification = api.gql(
        START_VERIFICATION,
        admin,
        input={
            "qualificationId": q["id"],
            "method": "ATTESTATION",
            "verifier": "clerk",
            "country": "DE",
        },
    )["startVerification"]["verification"]
    token = api.token(role)
    for query, variables in (
        (CASES, {}),
        ("{ licencesExpiring(withinDays: 3000) { totalCount } }", {}),
        ("{ verificationsDue { totalCount } }", {}),
        (NODE, {"id": case["id"]}),
        (NODE, {"id": licence["id"]}),
        (NODE, {"id": verification["id"]}),
        (
            "query($id: ID!) { verificationReport(professionalId: $id) { document } }",
            {"id": person["id"]},
        ),
    ):
        result = api.raw(query, token, **variables)
        assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN", (query, result)
        assert "Shevchenko" not in str(result)
    submitted = api.gql(
        SUBMIT_CASE,
        token,
        input={"professionalId": person["id"], "iscoCode": "2221", "pathway": "NATIONAL"},
    )["submitRecognitionCase"]
    assert submitted["__typename"] == "Forbidden"
    moved = move_case(api, token, case, "WITHDRAWN")
    assert moved["__typename"] == "Forbidden"


def test_only_an_admin_registers_organisations(api: Api, admin: str) -> None:
    officer = api.token("accreditation_body", "DE")
    result = api.gql(
        CREATE_ORGANISATION,
        officer,
        input={"kind": "COMPETENT_AUTHORITY", "name": "Self-made authority", "country": "DE"},
    )["createOrganisation"]
    assert result["__typename"] == "Forbidden"
    bad = api.gql(
        CREATE_ORGANISATION,
        admin,
        input={"kind": "EMPLOYER", "name": "Klinik", "country": "DE", "subdivision": "AT-9"},
    )["createOrganisation"]
    assert bad["issues"] == [
        {
            "field": "input.subdivision",
            "code": "wrong_country",
            "message": "AT-9 is not a subdivision of DE",
        }
    ]


def test_an_authority_token_must_name_an_authority_of_its_country(api: Api, admin: str) -> None:
    fr = create_authority(api, admin, "FR")
    with pytest.raises(ValidationFailedError) as raised:
        api.token("accreditation_body", "DE", _uuid(fr))
    assert raised.value.issues[0].code == "not_an_authority_of_country"
