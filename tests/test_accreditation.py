"""A competent authority takes a case from submission to licence, verifies credentials,
and works its queues; every step is audited and illegal moves change nothing."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx2 as httpx
import pytest

from schema.ids import from_global_id
from tests.factories import (
    CHANGE_LICENCE,
    EXTEND,
    ISSUE_LICENCE,
    START_VERIFICATION,
    SUBMIT_CASE,
    TRANSITION,
    VERIFICATION_OUTCOME,
    add_qualification,
    create_authority,
    issue_licence,
    move_case,
    register,
    submit_case,
)
from tests.helpers import Api

TODAY = date.today()
WEEK_AGO = (TODAY - timedelta(days=7)).isoformat()
CASE = "query($id: ID!) { node(id: $id) { ... on RecognitionCase { version status } } }"


@pytest.fixture
def officer(api: Api, admin: str) -> str:
    """A German nursing board's officer."""
    authority = create_authority(api, admin, "DE")
    return api.token("accreditation_body", "DE", from_global_id(authority)[1])


def test_a_case_goes_from_submission_to_licence_with_every_step_recorded(
    api: Api, officer: str
) -> None:
    person = register(api, officer)
    case = submit_case(api, officer, person["id"], submittedOn=WEEK_AGO)
    assert case["status"] == "SUBMITTED"
    assert case["decisionDue"] is None
    complete = (TODAY - timedelta(days=3)).isoformat()
    reviewed = move_case(api, officer, case, "UNDER_REVIEW", fileCompleteOn=complete)
    case = reviewed["case"]
    assert case["fileCompleteOn"] == complete
    assert case["decisionDue"] is not None
    extended = api.gql(
        EXTEND, officer, input={"id": case["id"], "version": case["version"], "reason": "exam"}
    )["extendDecisionDeadline"]
    assert extended["case"]["deadlineExtended"] is True
    assert extended["case"]["decisionDue"] > case["decisionDue"]
    case = extended["case"]
    case = move_case(
        api,
        officer,
        case,
        "COMPENSATION_REQUIRED",
        compensationMeasure="ADAPTATION_PERIOD",
        adaptationMonths=6,
    )["case"]
    assert (case["compensationMeasure"], case["adaptationMonths"]) == ("ADAPTATION_PERIOD", 6)
    case = move_case(api, officer, case, "RECOGNISED", note="adaptation period completed")["case"]
    assert case["decidedOn"] == TODAY.isoformat()
    licence = issue_licence(
        api,
        officer,
        case,
        TODAY.isoformat(),
        number="DE-BY-2026-0001",
        validUntil=(TODAY + timedelta(days=5 * 365)).isoformat(),
    )
    assert (licence["status"], licence["occupation"]["iscoCode"]) == ("ACTIVE", "2221")
    suspended = api.gql(
        CHANGE_LICENCE,
        officer,
        input={"id": licence["id"], "version": 1, "to": "SUSPENDED", "note": "investigation"},
    )["changeLicenceStatus"]
    assert suspended["licence"]["status"] == "SUSPENDED"

    history = api.gql(
        "query($id: ID!) { node(id: $id) { ... on RecognitionCase { history { kind fromStatus "
        "toStatus note actor } licence { status } } } }",
        officer,
        id=case["id"],
    )["node"]
    steps = [(e["kind"], e["fromStatus"], e["toStatus"]) for e in history["history"]]
    assert steps == [
        ("SUBMITTED", None, "submitted"),
        ("TRANSITION", "submitted", "under_review"),
        ("DEADLINE_EXTENDED", None, None),
        ("TRANSITION", "under_review", "compensation_required"),
        ("TRANSITION", "compensation_required", "recognised"),
        ("LICENCE_ISSUED", None, "active"),
        ("LICENCE_STATUS", "active", "suspended"),
    ]
    assert all(e["actor"].startswith("token:") for e in history["history"])
    assert history["licence"] == {"status": "SUSPENDED"}
    for action in (
        "recognition_case.submitted",
        "recognition_case.under_review",
        "recognition_case.deadline_extended",
        "recognition_case.compensation_required",
        "recognition_case.recognised",
        "licence.issued",
        "licence.suspended",
    ):
        assert api.audit_count(action) == 1, action


def test_an_illegal_move_lists_the_allowed_ones_and_changes_nothing(api: Api, officer: str) -> None:
    person = register(api, officer)
    case = submit_case(api, officer, person["id"])
    audits = api.audit_count()
    result = move_case(api, officer, case, "RECOGNISED")
    assert result["__typename"] == "IllegalTransition"
    assert result["fromStatus"] == "submitted"
    assert result["allowed"] == ["under_review", "withdrawn"]
    assert api.gql(CASE, officer, id=case["id"])["node"] == {"version": 1, "status": "SUBMITTED"}
    assert api.audit_count() == audits


@pytest.mark.parametrize(
    ("to", "extra", "field", "code"),
    [
        ("REFUSED", {}, "input.note", "required"),
        ("COMPENSATION_REQUIRED", {}, "input.compensationMeasure", "required"),
        (
            "COMPENSATION_REQUIRED",
            {"compensationMeasure": "ADAPTATION_PERIOD", "adaptationMonths": 40},
            "input.adaptationMonths",
            "out_of_range",
        ),
        (
            "COMPENSATION_REQUIRED",
            {"compensationMeasure": "APTITUDE_TEST", "adaptationMonths": 3},
            "input.adaptationMonths",
            "not_applicable",
        ),
        ("CONDITIONALLY_RECOGNISED", {}, "input.conditions", "required"),
        ("RECOGNISED", {"conditions": "x"}, "input.conditions", "not_applicable"),
    ],
)
def test_a_decision_needs_what_the_law_asks_for(
    api: Api, officer: str, to: str, extra: dict[str, Any], field: str, code: str
) -> None:
    person = register(api, officer)
    case = submit_case(api, officer, person["id"])
    case = move_case(api, officer, case, "UNDER_REVIEW")["case"]
    audits = api.audit_count()
    result = move_case(api, officer, case, to, **extra)
    assert result["__typename"] == "ValidationFailed"
    assert [(i["field"], i["code"]) for i in result["issues"]] == [(field, code)]
    assert api.gql(CASE, officer, id=case["id"])["node"]["status"] == "UNDER_REVIEW"
    assert api.audit_count() == audits


def test_the_deadline_is_extended_once_only(api: Api, officer: str) -> None:
    person = register(api, officer)
    case = submit_case(api, officer, person["id"], submittedOn="2025-11-02")
    early = api.gql(EXTEND, officer, input={"id": case["id"], "version": 1, "reason": "x"})
    assert early["extendDecisionDeadline"]["issues"][0]["code"] == "no_running_deadline"
    case = move_case(api, officer, case, "UNDER_REVIEW", fileCompleteOn="2025-11-30")["case"]
    assert case["decisionDue"] == "2026-02-28"
    once = api.gql(EXTEND, officer, input={"id": case["id"], "version": 2, "reason": "late exam"})
    assert once["extendDecisionDeadline"]["case"]["decisionDue"] == "2026-03-28"
    twice = api.gql(EXTEND, officer, input={"id": case["id"], "version": 3, "reason": "again"})
    assert twice["extendDecisionDeadline"]["issues"][0] == {
        "field": "input.id",
        "code": "already_extended",
        "message": "the deadline was already extended once",
    }


def test_one_open_case_per_person_occupation_and_country(api: Api, officer: str) -> None:
    person = register(api, officer)
    submit_case(api, officer, person["id"])
    again = api.gql(
        SUBMIT_CASE,
        officer,
        input={"professionalId": person["id"], "iscoCode": "2221", "pathway": "NATIONAL"},
    )["submitRecognitionCase"]
    assert again["issues"][0]["code"] == "open_case_exists"


def test_two_officers_deciding_at_once_one_wins(api: Api, officer: str) -> None:
    person = register(api, officer)
    case = submit_case(api, officer, person["id"])
    case = move_case(api, officer, case, "UNDER_REVIEW")["case"]

    async def race() -> list[dict[str, Any]]:
        transport = httpx.ASGITransport(app=api.client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:

            async def decide(to: str) -> dict[str, Any]:
                extra = {"note": "reasons"} if to == "REFUSED" else {}
                response = await client.post(
                    "/graphql",
                    headers={"Authorization": f"Bearer {officer}"},
                    json={
                        "query": TRANSITION,
                        "variables": {
                            "input": {"id": case["id"], "version": case["version"], "to": to}
                            | extra
                        },
                    },
                )
                result: dict[str, Any] = response.json()["data"]["transitionRecognitionCase"]
                return result

            return list(await asyncio.gather(decide("RECOGNISED"), decide("REFUSED")))

    assert api.client.portal is not None
    results = api.client.portal.call(race)
    kinds = sorted(r["__typename"] for r in results)
    assert kinds == ["RecognitionCaseRecorded", "VersionConflict"]
    winner = next(r for r in results if r["__typename"] == "RecognitionCaseRecorded")
    stored = api.gql(CASE, officer, id=case["id"])["node"]
    assert stored == {"version": 3, "status": winner["case"]["status"]}
    decided = api.audit_count("recognition_case.recognised") + api.audit_count(
        "recognition_case.refused"
    )
    assert decided == 1


def test_a_licence_needs_a_recognition_and_a_unique_number(api: Api, officer: str) -> None:
    person = register(api, officer)
    case = submit_case(api, officer, person["id"])
    early = api.gql(
        ISSUE_LICENCE,
        officer,
        input={"caseId": case["id"], "caseVersion": 1, "number": "N1", "validFrom": "2026-01-01"},
    )["issueLicence"]
    assert early["issues"][0] == {
        "field": "input.caseId",
        "code": "not_recognised",
        "message": "the case is submitted, not recognised",
    }
    case = move_case(api, officer, case, "UNDER_REVIEW")["case"]
    case = move_case(api, officer, case, "CONDITIONALLY_RECOGNISED", conditions="C1 German")["case"]
    backwards = api.gql(
        ISSUE_LICENCE,
        officer,
        input={
            "caseId": case["id"],
            "caseVersion": case["version"],
            "number": "N1",
            "validFrom": "2026-01-01",
            "validUntil": "2025-01-01",
        },
    )["issueLicence"]
    assert backwards["issues"][0]["field"] == "input.validUntil"
    stale = api.gql(
        ISSUE_LICENCE,
        officer,
        input={"caseId": case["id"], "caseVersion": 1, "number": "N1", "validFrom": "2026-01-01"},
    )["issueLicence"]
    assert stale["__typename"] == "VersionConflict"
    ok = api.gql(
        ISSUE_LICENCE,
        officer,
        input={
            "caseId": case["id"],
            "caseVersion": case["version"],
            "number": "N1",
            "validFrom": "2026-01-01",
        },
    )["issueLicence"]
    assert ok["__typename"] == "LicenceRecorded"
    revoke = api.gql(
        CHANGE_LICENCE, officer, input={"id": ok["licence"]["id"], "version": 1, "to": "REVOKED"}
    )["changeLicenceStatus"]
    assert revoke["issues"][0] == {
        "field": "input.note",
        "code": "required",
        "message": "must not be empty",
    }
    lapse = api.gql(
        CHANGE_LICENCE, officer, input={"id": ok["licence"]["id"], "version": 1, "to": "LAPSED"}
    )["changeLicenceStatus"]
    assert lapse["licence"]["status"] == "LAPSED"
    final = api.gql(
        CHANGE_LICENCE, officer, input={"id": ok["licence"]["id"], "version": 2, "to": "ACTIVE"}
    )["changeLicenceStatus"]
    assert final == {
        "__typename": "IllegalTransition",
        "fromStatus": "lapsed",
        "toStatus": "active",
        "allowed": [],
    }


def _verify(api: Api, token: str, qualification_id: str, **fields: Any) -> dict[str, Any]:
    data = {"qualificationId": qualification_id, "verifier": "A. Officer"} | fields
    result: dict[str, Any] = api.gql(START_VERIFICATION, token, input=data)["startVerification"]
    return result


def _outcome(api: Api, token: str, v: dict[str, Any], **fields: Any) -> dict[str, Any]:
    data = {"id": v["id"], "version": v["version"]} | fields
    result: dict[str, Any] = api.gql(VERIFICATION_OUTCOME, token, input=data)[
        "recordVerificationOutcome"
    ]
    return result


def test_structured_interview_needs_two_assessors_and_stands_five_years(
    api: Api, officer: str
) -> None:
    person = register(api, officer)
    q = add_qualification(api, officer, person["id"], evidenceLevel="NONE")
    alone = _verify(api, officer, q["id"], method="STRUCTURED_INTERVIEW", assessors=["Dr A"])
    assert alone["issues"][0]["code"] == "two_assessors_required"
    same = _verify(api, officer, q["id"], method="STRUCTURED_INTERVIEW", assessors=["A", "a"])
    assert same["issues"][0]["code"] == "two_assessors_required"
    started = _verify(
        api, officer, q["id"], method="STRUCTURED_INTERVIEW", assessors=["Dr A", "Dr B"]
    )["verification"]
    assert (started["status"], started["country"]["code"]) == ("IN_PROCESS", "DE")
    wrong = _outcome(api, officer, started, status="VALIDATED")
    assert wrong["issues"][0]["code"] == "method_cannot_establish"
    too_late = _outcome(api, officer, started, status="ATTESTED", nextReviewDate="2099-01-01")
    assert too_late["issues"][0]["code"] == "too_late"
    attested = _outcome(api, officer, started, status="ATTESTED")["verification"]
    assert attested["status"] == "ATTESTED"
    review = date.fromisoformat(attested["nextReviewDate"])
    assert review.year == TODAY.year + 5
    illegal = _outcome(api, officer, attested, status="IN_PROCESS")
    assert illegal["__typename"] == "IllegalTransition"
    assert illegal["allowed"] == ["revalidation_required"]
    assert api.audit_count("verification.started") == 1
    assert api.audit_count("verification.attested") == 1


def test_primary_source_verification_names_its_source(api: Api, officer: str) -> None:
    person = register(api, officer)
    q = add_qualification(api, officer, person["id"])
    missing = _verify(api, officer, q["id"], method="PRIMARY_SOURCE")
    assert missing["issues"][0] == {
        "field": "input.primarySource",
        "code": "required",
        "message": "name the primary source that was contacted",
    }
    started = _verify(
        api, officer, q["id"], method="PRIMARY_SOURCE", primarySource="Bogomolets University"
    )["verification"]
    failed = _outcome(api, officer, started, status="VALIDATION_FAILED", note="no record")
    assert failed["verification"]["nextReviewDate"] is None
    reopened = _outcome(api, officer, failed["verification"], status="IN_PROCESS")
    assert reopened["verification"]["status"] == "IN_PROCESS"
    nested = api.gql(
        "query($id: ID!) { node(id: $id) { ... on Qualification { verifications { status "
        "primarySource authority { name } } } } }",
        officer,
        id=q["id"],
    )["node"]
    assert nested["verifications"] == [
        {
            "status": "IN_PROCESS",
            "primarySource": "Bogomolets University",
            "authority": {"name": "Approbation office DE"},
        }
    ]


def test_queues_show_overdue_cases_expiring_licences_and_due_reviews(
    api: Api, officer: str
) -> None:
    late, fresh = register(api, officer, familyName="Late"), register(api, officer)
    overdue = submit_case(api, officer, late["id"], submittedOn="2020-01-01")
    start = (TODAY - timedelta(days=120)).isoformat()
    overdue = move_case(api, officer, overdue, "UNDER_REVIEW", fileCompleteOn=start)["case"]
    current = submit_case(api, officer, fresh["id"])
    current = move_case(api, officer, current, "UNDER_REVIEW")["case"]
    queue = api.gql(
        "{ recognitionCases(filter: {overdue: true}) { totalCount edges { node { id } } } }",
        officer,
    )["recognitionCases"]
    assert queue["totalCount"] == 1
    assert [e["node"]["id"] for e in queue["edges"]] == [overdue["id"]]
    by_status = api.gql(
        "{ recognitionCases(filter: {statuses: [UNDER_REVIEW]}) { totalCount } }", officer
    )["recognitionCases"]
    assert by_status["totalCount"] == 2

    recognised = move_case(api, officer, current, "RECOGNISED")["case"]
    api.gql(
        ISSUE_LICENCE,
        officer,
        input={
            "caseId": recognised["id"],
            "caseVersion": recognised["version"],
            "number": "EXP-1",
            "validFrom": "2025-01-01",
            "validUntil": (TODAY + timedelta(days=20)).isoformat(),
        },
    )
    soon = "{ licencesExpiring(withinDays: 30) { totalCount edges { node { number } } } }"
    assert api.gql(soon, officer)["licencesExpiring"]["edges"] == [{"node": {"number": "EXP-1"}}]
    later = "{ licencesExpiring(withinDays: 10) { totalCount } }"
    assert api.gql(later, officer)["licencesExpiring"]["totalCount"] == 0

    q = add_qualification(api, officer, fresh["id"])
    started = _verify(api, officer, q["id"], method="DOCUMENT_REVIEW")["verification"]
    _outcome(
        api,
        officer,
        started,
        status="VALIDATED",
        nextReviewDate=(TODAY + timedelta(days=10)).isoformat(),
    )
    due = "{ verificationsDue(withinDays: 30) { totalCount edges { node { status } } } }"
    assert api.gql(due, officer)["verificationsDue"]["edges"] == [{"node": {"status": "VALIDATED"}}]
    bad = api.raw("{ verificationsDue(withinDays: -1) { totalCount } }", officer)
    assert bad["errors"][0]["extensions"]["issues"][0]["field"] == "withinDays"
