"""Workforce statistics on a small fixed data set, with every figure computed by hand;
what researchers see and cannot see; the exports; OECD figures beside the registry's."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from registry.cli import main
from registry.professionals.models import Professional
from registry.settings import Settings
from tests.factories import (
    add_qualification,
    create_authority,
    move_case,
    register,
    submit_case,
)
from tests.helpers import Api

STATS = """query($by: [StatisticsDimension!]!, $filter: StatisticsFilterInput) {
  workforceStatistics(groupBy: $by, filter: $filter) {
    keys { value } stock foreignTrained foreignTrainedShare foreignBorn foreignBornShare
    trainedInListed trainedInListedShare inflow casesRefused casesPending
    oecdStock oecdForeignTrained } }"""
YEAR = date.today().year


def person(
    api: Api, admin: str, name: str, host: str, born: str, *credentials: tuple[str, str, str]
) -> dict[str, Any]:
    """``credentials``: (isco code, country of training, award date)."""
    created = register(api, admin, familyName=name, residenceCountry=host, birthCountry=born)
    for code, country, awarded in credentials:
        add_qualification(
            api, admin, created["id"], iscoCode=code, trainingCountry=country, awardDate=awarded
        )
    return created


@pytest.fixture
def known(api: Api, admin: str) -> dict[str, Any]:
    """DE: a Syrian-trained nurse (case pending), a Ghanaian-trained nurse (recognised this
    year; Ghana is on the 2023 list), a German-trained nurse, a Ukrainian doctor who later
    specialised (refused). FR: a Syrian-trained nurse."""
    authority = create_authority(api, admin, "DE")
    a = person(api, admin, "A", "DE", "SY", ("2221", "SY", "2010-06-30"))
    b = person(api, admin, "B", "DE", "GH", ("2221", "GH", "2012-06-30"))
    person(api, admin, "C", "DE", "DE", ("2221", "DE", "2015-06-30"))
    d = person(
        api, admin, "D", "DE", "UA", ("2211", "UA", "2005-06-30"), ("2212", "UA", "2011-06-30")
    )
    person(api, admin, "E", "FR", "SY", ("2221", "SY", "2009-06-30"))

    def case(who: dict[str, Any], code: str, *moves: tuple[str, dict[str, Any]]) -> None:
        opened = submit_case(
            api, admin, who["id"], hostCountry="DE", authorityId=authority, iscoCode=code
        )
        for to, extra in moves:
            opened = move_case(api, admin, opened, to, **extra)["case"]

    case(a, "2221", ("UNDER_REVIEW", {}))
    case(b, "2221", ("UNDER_REVIEW", {}), ("RECOGNISED", {}))
    case(d, "2212", ("UNDER_REVIEW", {}), ("REFUSED", {"note": "training too short"}))
    return {"authority": authority}


def cells(api: Api, token: str, by: list[str], **filter: Any) -> dict[tuple[str, ...], Any]:
    rows = api.gql(STATS, token, by=by, filter=filter or None)["workforceStatistics"]
    return {tuple(k["value"] for k in row.pop("keys")): row for row in rows}


def test_indicators_match_the_hand_computed_figures(
    api: Api, admin: str, known: dict[str, Any]
) -> None:
    table = cells(api, admin, ["HOST_COUNTRY", "OCCUPATION"])
    assert set(table) == {("DE", "2221"), ("DE", "2212"), ("FR", "2221")}
    assert table[("DE", "2221")] == {
        "stock": 3,
        "foreignTrained": 2,
        "foreignTrainedShare": pytest.approx(2 / 3),
        "foreignBorn": 2,
        "foreignBornShare": pytest.approx(2 / 3),
        "trainedInListed": 1,
        "trainedInListedShare": pytest.approx(1 / 3),
        "inflow": 1,
        "casesRefused": 0,
        "casesPending": 1,
        "oecdStock": None,
        "oecdForeignTrained": None,
    }
    doctors = table[("DE", "2212")]
    assert (doctors["stock"], doctors["foreignTrained"], doctors["casesRefused"]) == (1, 1, 1)
    assert table[("FR", "2221")]["stock"] == 1

    groups = cells(api, admin, ["HOST_COUNTRY", "OCCUPATION_GROUP"], occupations=["nurses"])
    assert {k: v["stock"] for k, v in groups.items()} == {("DE", "nurses"): 3, ("FR", "nurses"): 1}
    regions = cells(api, admin, ["TRAINING_REGION"], hostCountries=["DE"])
    assert {k: v["stock"] for k, v in regions.items()} == {("AFR",): 1, ("EMR",): 1, ("EUR",): 2}
    yearly = cells(api, admin, ["HOST_COUNTRY", "YEAR"], years=[YEAR - 1, YEAR])
    assert {k: v["stock"] for k, v in yearly.items()} == {
        ("DE", str(YEAR)): 4,
        ("FR", str(YEAR)): 1,
    }


def test_researchers_get_withheld_cells_that_totals_cannot_reveal(api: Api, admin: str) -> None:
    for i in range(6):
        person(api, admin, f"N{i}", "DE", "SY", ("2221", "SY", "2010-06-30"))
    for i in range(2):
        person(api, admin, f"M{i}", "DE", "SY", ("2211", "SY", "2010-06-30"))
    for i in range(7):
        person(api, admin, f"F{i}", "FR", "SY", ("2221", "SY", "2010-06-30"))
    researcher = api.token("researcher")
    detail = cells(api, researcher, ["HOST_COUNTRY", "OCCUPATION_GROUP"])
    assert detail[("DE", "doctors")]["stock"] is None  # 2 people
    assert detail[("DE", "nurses")]["stock"] is None  # else DE's total (8) gives 8 - 6 = 2
    assert detail[("FR", "nurses")]["stock"] is None  # else the nurses' total gives DE's 6
    totals = cells(api, researcher, ["HOST_COUNTRY"])
    assert (totals[("DE",)]["stock"], totals[("FR",)]["stock"]) == (8, 7)
    # All of them were born abroad: "all but none" is not a secret, but 1-4 are.
    assert totals[("DE",)]["foreignBorn"] == 8
    assert cells(api, admin, ["HOST_COUNTRY", "OCCUPATION_GROUP"])[("DE", "doctors")]["stock"] == 2


@pytest.mark.parametrize("role", ["placement_agency", "accreditation_body"])
def test_other_roles_get_no_statistics(api: Api, admin: str, role: str) -> None:
    token = api.token(role, "DE" if role == "accreditation_body" else None)
    result = api.raw(STATS, token, by=["HOST_COUNTRY"])
    assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    response = api.client.get(
        "/exports/statistics.csv?groupBy=host_country", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403


def test_bad_filters_are_named(api: Api, admin: str) -> None:
    result = api.raw(
        STATS, admin, by=["HOST_COUNTRY"], filter={"hostCountries": ["XX"], "years": [1800]}
    )
    fields = [i["field"] for i in result["errors"][0]["extensions"]["issues"]]
    assert fields == ["filter.hostCountries[0]", "filter.years[0]"]


def test_exports_carry_the_same_figures_and_rules(
    api: Api, admin: str, known: dict[str, Any]
) -> None:
    url = "/exports/statistics.{}?groupBy=host_country,occupation&hostCountries=DE"
    anonymous = api.client.get(url.format("csv"))
    assert anonymous.status_code == 401
    full = api.client.get(url.format("csv"), headers={"Authorization": f"Bearer {admin}"})
    assert full.status_code == 200
    assert full.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(full.text)))
    assert rows[0].keys() >= {"host_country", "occupation", "stock", "foreign_trained_share"}
    assert {(r["occupation"], r["stock"]) for r in rows} == {("2212", "1"), ("2221", "3")}
    researcher = api.token("researcher")
    withheld = api.client.get(url.format("json"), headers={"Authorization": f"Bearer {researcher}"})
    assert {r["occupation"]: r["stock"] for r in withheld.json()["rows"]} == {
        "2212": None,
        "2221": None,
    }
    bad = api.client.get(
        "/exports/statistics.json?groupBy=planet", headers={"Authorization": f"Bearer {admin}"}
    )
    assert bad.status_code == 400
    assert bad.json()["issues"][0]["field"] == "groupBy"


def test_oecd_figures_sit_beside_the_registrys(
    api: Api,
    admin: str,
    clean_db: Settings,
    monkeypatch: pytest.MonkeyPatch,
    repo_root: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("REGISTRY_DATABASE_URL", clean_db.database_url)
    source = repo_root / "registry" / "reference" / "data" / "oecd_health_workforce_migration.csv"
    assert main(["import", "oecd", str(source)]) == 0
    assert "added" in capsys.readouterr().out
    assert main(["import", "oecd", str(source)]) == 0  # idempotent
    assert "0 added, 0 updated" in capsys.readouterr().out
    for i in range(3):
        person(api, admin, f"Dr{i}", "DE", "SY", ("2212", "SY", "2010-06-30"))
    # Registered in 2018, the year of the OECD extract's foreign-trained stock.
    api.execute(update(Professional).values(created_at=datetime(2018, 3, 1, tzinfo=UTC)))
    table = cells(api, admin, ["HOST_COUNTRY", "YEAR", "OCCUPATION_GROUP"], years=[2018])
    doctors = table[("DE", "2018", "doctors")]
    assert doctors["stock"] == 3
    assert doctors["oecdStock"] > 300_000
    assert doctors["oecdForeignTrained"] > 40_000
    by_origin = cells(
        api, admin, ["HOST_COUNTRY", "YEAR", "OCCUPATION_GROUP", "TRAINING_COUNTRY"], years=[2018]
    )
    syria = by_origin[("DE", "2018", "doctors", "SY")]
    assert syria["oecdForeignTrained"] > 1000
    assert syria["oecdStock"] is None


def test_cli_export_withholds_by_default(
    api: Api,
    admin: str,
    known: dict[str, Any],
    clean_db: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("REGISTRY_DATABASE_URL", clean_db.database_url)
    out = tmp_path / "stats.csv"
    assert main(["export", "statistics", "--group-by", "host_country", "-o", str(out)]) == 0
    rows = {r["host_country"]: r for r in csv.DictReader(io.StringIO(out.read_text()))}
    assert rows["DE"]["stock"] == ""
    assert (
        main(
            [
                "export",
                "statistics",
                "--group-by",
                "host_country",
                "--no-suppression",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    rows = {r["host_country"]: r for r in csv.DictReader(io.StringIO(out.read_text()))}
    assert rows["DE"]["stock"] == "4"
