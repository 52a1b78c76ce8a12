"""Recruitments recorded by agencies, judged against the WHO Code, re-judged when the
rules change, and counted for ministries and researchers."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from registry.cli import main
from registry.settings import Settings
from schema.ids import from_global_id
from tests.factories import (
    RECRUITMENT_RESULT,
    add_qualification,
    create_organisation,
    move_case,
    record_recruitment,
    register,
    submit_case,
)
from tests.helpers import Api

MOVE = f"""mutation($input: MoveRecruitmentInput!) {{
  moveRecruitment(input: $input) {{ {RECRUITMENT_RESULT} }} }}"""
TERMS = f"""mutation($input: UpdateRecruitmentTermsInput!) {{
  updateRecruitmentTerms(input: $input) {{ {RECRUITMENT_RESULT} }} }}"""
LOAD = """mutation($input: LoadSafeguardListInput!) { loadSafeguardList(input: $input) {
  __typename ... on SafeguardListLoaded { rejudged edition { year countries { code } } }
  ... on ValidationFailed { issues { field code message } } ... on Forbidden { message } } }"""
AGREEMENT = """mutation($input: CreateAgreementInput!) { createAgreement(input: $input) {
  __typename ... on AgreementRecorded { rejudged agreement { id name occupations { iscoCode } } }
  ... on ValidationFailed { issues { field code } } ... on Forbidden { message } } }"""
POLICY = """mutation($input: SetDestinationPolicyInput!) { setDestinationPolicy(input: $input) {
  __typename ... on DestinationPolicySet { rejudged basis } } }"""
LIST = "{ recruitments { totalCount edges { node { id compliance { verdict } } } } }"
TODAY = date.today().isoformat()


@pytest.fixture
def parties(api: Api, admin: str) -> dict[str, Any]:
    employer = create_organisation(api, admin, "EMPLOYER", "GB")
    agency = create_organisation(api, admin, "RECRUITMENT_AGENCY", "GB", authorisation="GLAA-123")
    token = api.token("placement_agency", organisation=from_global_id(agency)[1])
    return {"employer": employer, "agency": agency, "token": token}


def _ghanaian_nurse(api: Api, admin: str, **overrides: Any) -> dict[str, Any]:
    person = register(
        api,
        admin,
        familyName="Mensah",
        birthCountry="GH",
        residenceCountry="GH",
        citizenships=["GH"],
        **overrides,
    )
    add_qualification(api, admin, person["id"], trainingCountry="GH", iscoCode="2221")
    return person


def _record(api: Api, parties: dict[str, Any], person: dict[str, Any], **extra: Any) -> Any:
    fields = {
        "professionalId": person["id"],
        "employerId": parties["employer"],
        "agencyId": parties["agency"],
        "destinationCountry": "GB",
        "iscoCode": "2221",
        "mode": "ACTIVE_RECRUITMENT",
        "equalTreatmentAttested": True,
    } | extra
    return record_recruitment(api, parties["token"], **fields)


def test_an_agency_sees_each_verdict_with_its_reasons(
    api: Api, admin: str, parties: dict[str, Any]
) -> None:
    person = _ghanaian_nurse(api, admin)
    result = _record(api, parties, person)
    assert result["__typename"] == "RecruitmentRecorded", result
    recruitment = result["recruitment"]
    compliance = recruitment["compliance"]
    assert recruitment["sourceCountry"] == {"code": "GH"}
    assert (compliance["verdict"], compliance["editionYear"], compliance["basis"]) == (
        "NON_COMPLIANT",
        2023,
        "RESIDENCE",
    )
    finding = compliance["findings"][0]
    assert finding["rule"] == "listed_country_without_agreement"
    assert finding["severity"] == "VIOLATION"
    assert "art. 5.1" in finding["citation"]
    assert "government-to-government agreement" in finding["remedy"]
    direct = _record(api, parties, person, mode="DIRECT_APPLICATION", iscoCode="3221")
    assert direct["recruitment"]["compliance"]["verdict"] == "COMPLIANT"
    fee = _record(
        api,
        parties,
        person,
        mode="DIRECT_APPLICATION",
        iscoCode="2222",
        candidateFee="900.00",
        candidateFeeCurrency="gbp",
    )
    assert [f["rule"] for f in fee["recruitment"]["compliance"]["findings"]] == [
        "direct_application",
        "candidate_fee",
    ]
    assert api.audit_count("recruitment.created") == 3


def test_the_pipeline_moves_forward_only(api: Api, admin: str, parties: dict[str, Any]) -> None:
    person = _ghanaian_nurse(api, admin)
    recruitment = _record(api, parties, person, mode="DIRECT_APPLICATION")["recruitment"]
    version = recruitment["version"]
    for status in ("OFFERED", "ACCEPTED", "VISA", "ARRIVED", "EMPLOYED"):
        moved = api.gql(
            MOVE,
            parties["token"],
            input={"id": recruitment["id"], "version": version, "to": status},
        )["moveRecruitment"]
        assert moved["__typename"] == "RecruitmentRecorded", moved
        version = moved["recruitment"]["version"]
    back = api.gql(
        MOVE, parties["token"], input={"id": recruitment["id"], "version": version, "to": "VISA"}
    )["moveRecruitment"]
    assert back == {
        "__typename": "IllegalTransition",
        "fromStatus": "employed",
        "toStatus": "visa",
        "allowed": ["ended"],
    }
    stale = api.gql(
        MOVE, parties["token"], input={"id": recruitment["id"], "version": 1, "to": "ENDED"}
    )["moveRecruitment"]
    assert stale["__typename"] == "VersionConflict"
    history = api.gql(
        "query($id: ID!) { node(id: $id) { ... on Recruitment { history { kind toValue } } } }",
        parties["token"],
        id=recruitment["id"],
    )["node"]["history"]
    assert [h["toValue"] for h in history] == [
        "proposed",
        "offered",
        "accepted",
        "visa",
        "arrived",
        "employed",
    ]


def test_a_new_edition_re_judges_what_it_changes(
    api: Api, admin: str, parties: dict[str, Any]
) -> None:
    nurse = _ghanaian_nurse(api, admin)
    syrian = register(api, admin, familyName="Haddad", residenceCountry="SY", birthCountry="SY")
    ghana = _record(api, parties, nurse)["recruitment"]
    syria = _record(api, parties, syrian)["recruitment"]
    assert ghana["compliance"]["verdict"] == "NON_COMPLIANT"
    assert syria["compliance"]["verdict"] == "COMPLIANT"
    before = TODAY + "T00:00:00Z"

    edition = "iso3,country\nSYR,Syria\nZWE,Zimbabwe\n"
    loaded = api.gql(
        LOAD,
        admin,
        input={
            "year": 2026,
            "effectiveFrom": "2024-01-01",
            "criteria": "test criteria",
            "source": "test edition",
            "csv": edition,
        },
    )["loadSafeguardList"]
    assert loaded["__typename"] == "SafeguardListLoaded", loaded
    assert loaded["rejudged"] == 2
    affected = api.gql(
        """query($since: DateTime!) { affectedRecruitments(since: $since) {
          totalCount edges { node { id
            compliance { verdict previousVerdict editionYear } } } } }""",
        parties["token"],
        since=before,
    )["affectedRecruitments"]
    verdicts = {e["node"]["id"]: e["node"]["compliance"] for e in affected["edges"]}
    assert verdicts[ghana["id"]] == {
        "verdict": "COMPLIANT",
        "previousVerdict": "NON_COMPLIANT",
        "editionYear": 2026,
    }
    assert verdicts[syria["id"]]["verdict"] == "NON_COMPLIANT"
    assert api.audit_count("recruitment.rejudged") == 2
    assert api.audit_count("safeguard_list.loaded") == 1


def test_an_edition_file_with_bad_rows_changes_nothing(api: Api, admin: str) -> None:
    result = api.gql(
        LOAD,
        admin,
        input={
            "year": 2026,
            "effectiveFrom": "2026-01-01",
            "criteria": "c",
            "source": "s",
            "csv": "iso2\nSY\nXX\nSY\n",
        },
    )["loadSafeguardList"]
    assert result["issues"] == [
        {
            "field": "csv.line[3]",
            "code": "unknown_country",
            "message": "'XX' is not an ISO iso2 code",
        },
        {"field": "csv.line[4]", "code": "duplicate_country", "message": "SY is listed twice"},
    ]
    editions = api.gql("{ safeguardListEditions { year } }", admin)["safeguardListEditions"]
    assert editions == [{"year": 2023}]
    assert (
        api.gql(
            LOAD,
            api.token("placement_agency"),
            input={
                "year": 2026,
                "effectiveFrom": "2026-01-01",
                "criteria": "c",
                "source": "s",
                "csv": "iso2\nSY\n",
            },
        )["loadSafeguardList"]["__typename"]
        == "Forbidden"
    )


def test_an_agreement_and_a_policy_re_judge_their_destination(
    api: Api, admin: str, parties: dict[str, Any]
) -> None:
    nurse = _ghanaian_nurse(api, admin)
    recruitment = _record(api, parties, nurse)["recruitment"]
    agreement = api.gql(
        AGREEMENT,
        admin,
        input={
            "name": "GB-GH nurses",
            "sourceCountry": "GH",
            "destinationCountry": "GB",
            "occupations": ["2221"],
            "validFrom": "2023-01-01",
            "notifiedToWho": True,
        },
    )["createAgreement"]
    assert agreement["rejudged"] == 1
    node = """query($id: ID!) { node(id: $id) { ... on Recruitment {
      compliance { verdict findings { rule } } } } }"""
    now = api.gql(node, parties["token"], id=recruitment["id"])["node"]["compliance"]
    assert now == {"verdict": "COMPLIANT", "findings": [{"rule": "under_agreement"}]}
    # The destination now tests the country of training: trained in Ghana, covered still.
    policy = api.gql(POLICY, admin, input={"country": "GB", "basis": "TRAINING"})
    assert policy["setDestinationPolicy"]["basis"] == "TRAINING"
    judged = api.gql(
        "query($id: ID!) { node(id: $id) { ... on Recruitment { compliance { basis } } } }",
        parties["token"],
        id=recruitment["id"],
    )["node"]["compliance"]
    assert judged == {"basis": "TRAINING"}


def test_terms_are_re_judged_when_they_change(
    api: Api, admin: str, parties: dict[str, Any]
) -> None:
    person = _ghanaian_nurse(api, admin)
    recruitment = _record(
        api, parties, person, mode="DIRECT_APPLICATION", equalTreatmentAttested=False
    )["recruitment"]
    assert recruitment["compliance"]["verdict"] == "NEEDS_REVIEW"
    attested = api.gql(
        TERMS,
        parties["token"],
        input={"id": recruitment["id"], "version": 1, "equalTreatmentAttested": True},
    )["updateRecruitmentTerms"]["recruitment"]
    assert attested["compliance"]["verdict"] == "COMPLIANT"
    bad = api.gql(
        TERMS,
        parties["token"],
        input={"id": recruitment["id"], "version": attested["version"], "candidateFee": "10"},
    )["updateRecruitmentTerms"]
    assert bad["issues"] == [
        {
            "field": "input.candidateFeeCurrency",
            "code": "required",
            "message": "an ISO 4217 code such as EUR",
        }
    ]


def test_agencies_see_and_record_only_their_own(
    api: Api, admin: str, parties: dict[str, Any]
) -> None:
    person = _ghanaian_nurse(api, admin)
    mine = _record(api, parties, person)["recruitment"]
    rival = create_organisation(api, admin, "RECRUITMENT_AGENCY", "GB")
    rival_token = api.token("placement_agency", organisation=from_global_id(rival)[1])
    assert api.gql(LIST, rival_token)["recruitments"]["totalCount"] == 0
    node = "query($id: ID!) { node(id: $id) { id } }"
    assert api.gql(node, rival_token, id=mine["id"])["node"] is None
    moved = api.gql(MOVE, rival_token, input={"id": mine["id"], "version": 1, "to": "OFFERED"})
    assert moved["moveRecruitment"]["__typename"] == "NotFound"
    foreign = record_recruitment(
        api,
        rival_token,
        professionalId=person["id"],
        employerId=parties["employer"],
        destinationCountry="GB",
        iscoCode="2221",
        mode="ACTIVE_RECRUITMENT",
    )
    assert foreign["__typename"] == "Forbidden"
    # The employer, a party to it, sees it too.
    employer_token = api.token(
        "placement_agency", organisation=from_global_id(parties["employer"])[1]
    )
    assert api.gql(LIST, employer_token)["recruitments"]["totalCount"] == 1
    for role, country in (("researcher", None), ("accreditation_body", "GB")):
        token = api.token(role, country)
        result = api.raw(LIST, token)
        assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert api.raw(node, token, id=mine["id"])["errors"][0]["extensions"]["code"] == (
            "FORBIDDEN"
        )


def test_an_agency_cannot_record_a_person_who_did_not_consent(
    api: Api, admin: str, parties: dict[str, Any]
) -> None:
    person = _ghanaian_nurse(api, admin, consentToPlacement=False)
    result = _record(api, parties, person)
    assert result == {"__typename": "NotFound", "entity": "Professional"}
    assert api.audit_count("recruitment.created") == 0


FLOWS = """query($by: [FlowDimension!]!) { recruitmentFlows(groupBy: $by) {
  keys { dimension value } recruitments fromListedCountries shareFromListedCountries
  compliant nonCompliant needsReview } }"""


def test_flows_count_by_dimension_and_withhold_small_cells_from_researchers(
    api: Api, admin: str, parties: dict[str, Any]
) -> None:
    nurses = [_ghanaian_nurse(api, admin, givenNames=f"Ama{i}") for i in range(6)]
    for person in nurses:
        _record(api, parties, person)
    indian = register(api, admin, familyName="Nair", residenceCountry="IN", birthCountry="IN")
    _record(api, parties, indian)
    rows = api.gql(FLOWS, admin, by=["SOURCE"])["recruitmentFlows"]
    by_source = {r["keys"][0]["value"]: r for r in rows}
    assert by_source["GH"]["recruitments"] == 6
    assert by_source["GH"]["fromListedCountries"] == 6
    assert by_source["GH"]["nonCompliant"] == 6
    assert by_source["IN"]["recruitments"] == 1
    assert by_source["IN"]["shareFromListedCountries"] == 0.0
    researcher = api.token("researcher")
    withheld = {
        r["keys"][0]["value"]: r
        for r in api.gql(FLOWS, researcher, by=["SOURCE"])["recruitmentFlows"]
    }
    assert withheld["GH"]["recruitments"] == 6
    assert withheld["GH"]["compliant"] == 0
    assert withheld["IN"] == {
        "keys": [{"dimension": "SOURCE", "value": "IN"}],
        "recruitments": None,
        "fromListedCountries": None,
        "shareFromListedCountries": None,
        "compliant": None,
        "nonCompliant": None,
        "needsReview": None,
    }
    refused = api.raw(FLOWS, parties["token"], by=["SOURCE"])
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_nri_export_reports_known_figures(
    api: Api,
    admin: str,
    parties: dict[str, Any],
    clean_db: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("REGISTRY_DATABASE_URL", clean_db.database_url)
    year = date.today().year
    authority = create_organisation(api, admin, "COMPETENT_AUTHORITY", "GB")
    resident = [
        register(api, admin, familyName=f"R{i}", residenceCountry="GB", birthCountry="GH")
        for i in range(3)
    ]
    add_qualification(api, admin, resident[0]["id"], trainingCountry="GH", iscoCode="2221")
    add_qualification(api, admin, resident[1]["id"], trainingCountry="GH", iscoCode="2221")
    add_qualification(api, admin, resident[2]["id"], trainingCountry="GB", iscoCode="2221")
    add_qualification(api, admin, resident[2]["id"], trainingCountry="IN", iscoCode="2211")
    case = submit_case(api, admin, resident[0]["id"], hostCountry="GB", authorityId=authority)
    case = move_case(api, admin, case, "UNDER_REVIEW")["case"]
    move_case(api, admin, case, "RECOGNISED")
    _record(api, parties, _ghanaian_nurse(api, admin))
    api.gql(
        AGREEMENT,
        admin,
        input={
            "name": "GB-NP nurses",
            "sourceCountry": "NP",
            "destinationCountry": "GB",
            "validFrom": f"{year - 1}-01-01",
        },
    )
    out = tmp_path / "nri.json"
    assert main(["export", "nri", "--country", "GB", "--year", str(year), "-o", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["stock_by_occupation"] == [
        {"isco_code": "2211", "registered": 1, "foreign_trained": 1},
        {"isco_code": "2221", "registered": 3, "foreign_trained": 2},
    ]
    assert report["inflow_recognitions_by_occupation"] == [{"isco_code": "2221", "recognitions": 1}]
    assert report["top_countries_of_training"] == [
        {"country": "GH", "professionals": 2},
        {"country": "IN", "professionals": 1},
    ]
    assert report["recruitments_from_listed_countries"] == [
        {
            "source_country": "GH",
            "recruitments": 1,
            "compliant": 0,
            "non_compliant": 1,
            "needs_review": 0,
        }
    ]
    assert [a["name"] for a in report["agreements_in_force"]] == ["GB-NP nurses"]
    table = tmp_path / "nri.csv"
    assert (
        main(
            [
                "export",
                "nri",
                "--country",
                "GB",
                "--year",
                str(year),
                "--format",
                "csv",
                "-o",
                str(table),
            ]
        )
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(table.read_text())))
    assert {
        "section": "stock",
        "occupation": "2221",
        "country": "",
        "measure": "foreign_trained",
        "value": "2",
    } in rows


def test_cli_loads_an_edition_and_reports_bad_lines(
    api: Api,
    admin: str,
    clean_db: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("REGISTRY_DATABASE_URL", clean_db.database_url)
    bad = tmp_path / "bad.csv"
    bad.write_text("iso2\nGH\nZZ\n")
    args = [
        "import",
        "safeguard-list",
        "--year",
        "2026",
        "--effective-from",
        "2026-01-01",
        "--criteria",
        "c",
        "--source",
        "s",
    ]
    assert main([*args, str(bad)]) == 2
    assert "csv.line[3]" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_text("iso2\nGH\nSY\n")
    assert main([*args, str(good)]) == 0
    assert "2 countries" in capsys.readouterr().out
    editions = api.gql("{ safeguardListEditions { year countries { code } } }", admin)
    assert editions["safeguardListEditions"][0] == {
        "year": 2026,
        "countries": [{"code": "GH"}, {"code": "SY"}],
    }


def test_changing_an_agreement_or_an_agency_re_judges(
    api: Api, admin: str, parties: dict[str, Any]
) -> None:
    recruitment = _record(api, parties, _ghanaian_nurse(api, admin))["recruitment"]
    created = api.gql(
        AGREEMENT,
        admin,
        input={
            "name": "GB-GH",
            "sourceCountry": "GH",
            "destinationCountry": "GB",
            "validFrom": "2023-01-01",
        },
    )["createAgreement"]
    assert created["rejudged"] == 1
    narrowed = api.gql(
        """mutation($input: UpdateAgreementInput!) { updateAgreement(input: $input) {
          __typename ... on AgreementRecorded { rejudged }
          ... on ValidationFailed { issues { field code } } } }""",
        admin,
        input={"id": created["agreement"]["id"], "version": 1, "occupations": ["2211"]},
    )["updateAgreement"]
    assert narrowed == {"__typename": "AgreementRecorded", "rejudged": 1}
    verdict = """query($id: ID!) { node(id: $id) { ... on Recruitment {
      compliance { verdict findings { rule } } } } }"""
    judged = api.gql(verdict, admin, id=recruitment["id"])["node"]["compliance"]
    assert judged["verdict"] == "NON_COMPLIANT"
    unlicensed = api.gql(
        """mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) {
          __typename ... on OrganisationUpdated { rejudged organisation { authorisation } } } }""",
        admin,
        input={"id": parties["agency"], "version": 1, "authorisation": None},
    )["updateOrganisation"]
    assert unlicensed["organisation"] == {"authorisation": None}
    assert unlicensed["rejudged"] == 1
    rules = [
        f["rule"]
        for f in api.gql(verdict, admin, id=recruitment["id"])["node"]["compliance"]["findings"]
    ]
    assert rules == ["listed_country_without_agreement", "agency_not_authorised"]
    refused = api.gql(
        """mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) {
          __typename } }""",
        parties["token"],
        input={"id": parties["agency"], "version": 2, "authorisation": "self-granted"},
    )["updateOrganisation"]
    assert refused == {"__typename": "Forbidden"}


def test_flows_with_no_grouping_and_no_recruitments_are_zero(api: Api) -> None:
    # Found by the schema fuzzer: a sum over no rows is NULL, not 0.
    researcher = api.token("researcher")
    query = "{ recruitmentFlows(groupBy: []) { recruitments fromListedCountries compliant } }"
    flows = api.gql(query, researcher)["recruitmentFlows"]
    assert flows == [{"recruitments": 0, "fromListedCountries": 0, "compliant": 0}]
