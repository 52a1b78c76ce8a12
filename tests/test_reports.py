"""Signed verification reports: what they hold, that they verify, that tampering shows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from registry.accreditation import reports
from registry.cli import main
from registry.settings import Settings
from registry.signing import Signer
from tests.factories import (
    START_VERIFICATION,
    VERIFICATION_OUTCOME,
    add_qualification,
    create_authority,
    move_case,
    register,
    submit_case,
)
from tests.helpers import Api

REPORT = "query($id: ID!) { verificationReport(professionalId: $id) { document keyId reportId } }"
CHECK = """query($doc: String!) { verifyReport(document: $doc) {
  authentic reason keyId issuedAt subjectRegistryId } }"""


def _verified_person(api: Api, admin: str) -> dict[str, Any]:
    authority = create_authority(api, admin, "DE")
    person = register(api, admin, protectionStatus="REFUGEE")
    q = add_qualification(api, admin, person["id"])
    started = api.gql(
        START_VERIFICATION,
        admin,
        input={
            "qualificationId": q["id"],
            "method": "PRIMARY_SOURCE",
            "primarySource": "Ministry of Health of Ukraine",
            "verifier": "clerk",
            "country": "DE",
            "authorityId": authority,
        },
    )["startVerification"]["verification"]
    api.gql(
        VERIFICATION_OUTCOME,
        admin,
        input={"id": started["id"], "version": 1, "status": "VALIDATED"},
    )
    case = submit_case(api, admin, person["id"], hostCountry="DE", authorityId=authority)
    case = move_case(api, admin, case, "UNDER_REVIEW")["case"]
    move_case(api, admin, case, "RECOGNISED")
    return person


def test_a_signed_report_verifies_and_says_what_was_verified(api: Api, admin: str) -> None:
    person = _verified_person(api, admin)
    issued = api.gql(REPORT, admin, id=person["id"])["verificationReport"]
    document = json.loads(issued["document"])
    report = document["report"]
    assert report["subject"]["family_name"] == "Shevchenko"
    credential = report["credentials"][0]
    assert credential["verifications"][0]["status"] == "validated"
    assert credential["verifications"][0]["primary_source"] == "Ministry of Health of Ukraine"
    assert report["recognitions"][0]["status"] == "recognised"
    assert report["recognitions"][0]["authority"] == "Approbation office DE"
    # A third party needs the credentials, not the person's protection status.
    assert set(report["subject"]) == {
        "registry_id",
        "family_name",
        "given_names",
        "birth_date",
        "birth_country",
    }
    assert "protection" not in issued["document"]
    assert api.audit_count("verification_report.issued") == 1

    verdict = api.gql(CHECK, admin, doc=issued["document"])["verifyReport"]
    assert verdict["authentic"] is True
    assert verdict["keyId"] == issued["keyId"]
    assert verdict["subjectRegistryId"] == report["subject"]["registry_id"]


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda d: d["report"]["subject"].update(family_name="Other"), "altered or forged"),
        (lambda d: d["report"]["credentials"][0].update(kind="specialist"), "altered or forged"),
        (lambda d: d["signature"].update(key_id="0" * 16), "another key"),
        (lambda d: d["signature"].update(value="not base64!"), "altered or forged"),
        (lambda d: d.pop("signature"), "no Ed25519 signature"),
    ],
)
def test_any_change_to_a_report_is_detected(api: Api, admin: str, tamper: Any, reason: str) -> None:
    person = _verified_person(api, admin)
    document = json.loads(api.gql(REPORT, admin, id=person["id"])["verificationReport"]["document"])
    tamper(document)
    verdict = api.gql(CHECK, admin, doc=json.dumps(document))["verifyReport"]
    assert verdict["authentic"] is False
    assert reason in verdict["reason"]


def test_a_report_signed_by_another_key_is_not_ours(tmp_path: Path) -> None:
    ours, theirs = Signer.from_path(tmp_path / "a.pem"), Signer.from_path(tmp_path / "b.pem")
    forged = theirs.sign({"type": "verification-report", "issued_at": "x"}, "report")
    forged["signature"]["key_id"] = ours.key_id  # claims to be ours
    result = reports.check(ours, forged)
    assert not result.authentic
    assert "altered or forged" in result.reason
    assert reports.check(theirs, forged).reason.startswith("signed with another key")
    assert (tmp_path / "a.pem").stat().st_mode & 0o777 == 0o600


def test_garbage_is_not_a_report(api: Api, admin: str) -> None:
    for doc in ("not json", "[]", '{"report": 1}'):
        verdict = api.gql(CHECK, admin, doc=doc)["verifyReport"]
        assert verdict["authentic"] is False


def test_cli_exports_and_verifies_a_report(
    api: Api,
    admin: str,
    clean_db: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("REGISTRY_DATABASE_URL", clean_db.database_url)
    monkeypatch.setenv("REGISTRY_SIGNING_KEY", str(clean_db.signing_key_path))
    person = _verified_person(api, admin)
    out = tmp_path / "report.json"
    assert (
        main(["export", "verification-report", "--professional", person["id"], "-o", str(out)]) == 0
    )
    assert main(["verify-report", str(out)]) == 0
    assert capsys.readouterr().out.startswith("authentic:")
    # The GraphQL side and the command line share the registry's key.
    verdict = api.gql(CHECK, admin, doc=out.read_text())["verifyReport"]
    assert verdict["authentic"] is True
    document = json.loads(out.read_text())
    document["report"]["recognitions"][0]["status"] = "refused"
    out.write_text(json.dumps(document))
    assert main(["verify-report", str(out)]) == 1
    assert "NOT authentic" in capsys.readouterr().err
    assert main(["export", "verification-report", "--professional", "nope"]) == 2
