"""The WHO Code compliance engine as a table: each row a recruitment, the rules in force
and the verdict a reader of the Code would give, with the rules that decided it."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from registry.recruitment.compliance import (
    AgencyFacts,
    AgreementFacts,
    EditionFacts,
    PersonCountries,
    RecruitmentFacts,
    edition_in_force,
    judge,
)
from registry.recruitment.enums import RecruitmentMode, Verdict
from registry.recruitment.enums import TestedCountryBasis as Basis

E2023 = EditionFacts(2023, date(2023, 3, 23), frozenset({"GH", "NG", "ZW", "NP"}))
E2026 = EditionFacts(2026, date(2026, 6, 1), frozenset({"GH", "ZW", "SY", "NP"}))
EDITIONS = [E2023, E2026]
G2G = uuid.uuid4()
NEPAL_UK = AgreementFacts(
    G2G,
    "UK-Nepal nurses",
    "NP",
    "GB",
    frozenset({"2221", "3221"}),
    date(2022, 1, 1),
    date(2027, 12, 31),
)
AUTHORISED = AgencyFacts("Agency A", "LIC-1", date(2030, 1, 1), charges_candidate_fees=False)

BASE = RecruitmentFacts(
    on=date(2024, 5, 1),
    destination="GB",
    isco_code="2221",
    mode=RecruitmentMode.ACTIVE_RECRUITMENT,
    person=PersonCountries(residence="IN", citizenships=("IN",), training=("IN",)),
    equal_treatment_attested=True,
)
NG = PersonCountries(residence="NG", citizenships=("NG",), training=("NG",))
NP = PersonCountries(residence="NP", citizenships=("NP",), training=("NP",))


def case(**changes: object) -> RecruitmentFacts:
    return replace(BASE, **changes)  # type: ignore[arg-type]


TABLE = [
    ("active, not listed", case(), Verdict.COMPLIANT, ["not_listed"]),
    (
        "active from a listed country, no agreement",
        case(person=NG),
        Verdict.NON_COMPLIANT,
        ["listed_country_without_agreement"],
    ),
    (
        "direct application from a listed country",
        case(person=NG, mode=RecruitmentMode.DIRECT_APPLICATION),
        Verdict.COMPLIANT,
        ["direct_application"],
    ),
    (
        "active under an agreement covering the occupation",
        case(person=NP),
        Verdict.COMPLIANT,
        ["under_agreement"],
    ),
    (
        "government agreement mode naming the agreement",
        case(person=NP, mode=RecruitmentMode.GOVERNMENT_AGREEMENT, agreement_id=G2G),
        Verdict.COMPLIANT,
        ["under_agreement"],
    ),
    (
        "government agreement mode naming none",
        case(person=NP, mode=RecruitmentMode.GOVERNMENT_AGREEMENT),
        Verdict.NEEDS_REVIEW,
        ["agreement_not_named", "under_agreement"],
    ),
    (
        "occupation not covered by the agreement",
        case(person=NP, isco_code="2211"),
        Verdict.NON_COMPLIANT,
        ["listed_country_without_agreement"],
    ),
    (
        "agreement not yet in force",
        case(person=NP, on=date(2021, 12, 31)),
        Verdict.NEEDS_REVIEW,  # and no edition was in force either
        ["no_edition_in_force"],
    ),
    (
        "agreement's first day",
        case(person=NP, on=date(2023, 3, 23)),
        Verdict.COMPLIANT,
        ["under_agreement"],
    ),
    (
        "agreement's last day",
        case(person=NP, on=date(2027, 12, 31)),
        Verdict.COMPLIANT,
        ["under_agreement"],
    ),
    (
        "agreement expired the day before",
        case(person=NP, on=date(2028, 1, 1)),
        Verdict.NON_COMPLIANT,
        ["listed_country_without_agreement"],
    ),
    (
        "agreement for another destination",
        case(person=NP, destination="IE"),
        Verdict.NON_COMPLIANT,
        ["listed_country_without_agreement"],
    ),
    (
        "day before the 2023 edition",
        case(person=NG, on=date(2023, 3, 22)),
        Verdict.NEEDS_REVIEW,
        ["no_edition_in_force"],
    ),
    (
        "first day of the 2023 edition",
        case(person=NG, on=date(2023, 3, 23)),
        Verdict.NON_COMPLIANT,
        ["listed_country_without_agreement"],
    ),
    (
        "Nigeria after the 2026 edition dropped it",
        case(person=NG, on=date(2026, 6, 1)),
        Verdict.COMPLIANT,
        ["not_listed"],
    ),
    (
        "Syria listed from 2026",
        case(person=PersonCountries("SY", ("SY",), ("SY",)), on=date(2026, 6, 1)),
        Verdict.NON_COMPLIANT,
        ["listed_country_without_agreement"],
    ),
    (
        "fee charged to the candidate",
        case(candidate_fee=Decimal("1500")),
        Verdict.NON_COMPLIANT,
        ["not_listed", "candidate_fee"],
    ),
    ("a zero fee is no fee", case(candidate_fee=Decimal("0")), Verdict.COMPLIANT, ["not_listed"]),
    ("authorised agency", case(agency=AUTHORISED), Verdict.COMPLIANT, ["not_listed"]),
    (
        "agency without authorisation",
        case(agency=replace(AUTHORISED, authorisation=None)),
        Verdict.NEEDS_REVIEW,
        ["not_listed", "agency_not_authorised"],
    ),
    (
        "agency authorisation lapsed",
        case(agency=replace(AUTHORISED, authorised_until=date(2024, 4, 30))),
        Verdict.NEEDS_REVIEW,
        ["not_listed", "agency_not_authorised"],
    ),
    (
        "agency declaring candidate fees",
        case(agency=replace(AUTHORISED, charges_candidate_fees=True)),
        Verdict.NEEDS_REVIEW,
        ["not_listed", "agency_fee_policy"],
    ),
    (
        "no equal-treatment attestation",
        case(equal_treatment_attested=False),
        Verdict.NEEDS_REVIEW,
        ["not_listed", "equal_treatment_not_attested"],
    ),
    (
        "violation outweighs review",
        case(person=NG, equal_treatment_attested=False),
        Verdict.NON_COMPLIANT,
        ["listed_country_without_agreement", "equal_treatment_not_attested"],
    ),
    (
        "citizenship basis: living in India, Nigerian",
        case(
            person=PersonCountries("IN", ("NG", "IN"), ("IN",)),
            basis=Basis.CITIZENSHIP,
        ),
        Verdict.NON_COMPLIANT,
        ["listed_country_without_agreement"],
    ),
    (
        "training basis: trained in India, living in Nigeria",
        case(person=PersonCountries("NG", ("NG",), ("IN",)), basis=Basis.TRAINING),
        Verdict.COMPLIANT,
        ["not_listed"],
    ),
    (
        "training basis with no training recorded",
        case(person=PersonCountries("NG", ("NG",), ()), basis=Basis.TRAINING),
        Verdict.NEEDS_REVIEW,
        ["no_tested_country"],
    ),
]


@pytest.mark.parametrize(
    ("facts", "verdict", "rules"), [pytest.param(f, v, r, id=n) for n, f, v, r in TABLE]
)
def test_the_engine_applies_the_code(
    facts: RecruitmentFacts, verdict: Verdict, rules: list[str]
) -> None:
    judgement = judge(facts, EDITIONS, [NEPAL_UK])
    assert judgement.verdict is verdict
    assert [f.rule for f in judgement.findings] == rules
    for finding in judgement.findings:
        assert finding.citation
        if finding.severity.value != "note":
            assert finding.remedy, finding.rule


def test_a_verdict_records_the_edition_basis_and_countries() -> None:
    judgement = judge(case(person=NG), EDITIONS, [NEPAL_UK])
    assert judgement.edition_year == 2023
    assert judgement.basis is Basis.RESIDENCE
    assert (judgement.tested_countries, judgement.listed_countries) == (("NG",), ("NG",))
    violation = judgement.findings[0]
    assert "WHA63.16" in violation.citation
    assert "List 2023" in violation.citation
    assert "government-to-government agreement" in (violation.remedy or "")


def test_a_named_agreement_is_the_one_that_counts() -> None:
    other = uuid.uuid4()
    judgement = judge(case(person=NP, agreement_id=other), EDITIONS, [NEPAL_UK])
    assert judgement.verdict is Verdict.NON_COMPLIANT


def test_edition_in_force_is_the_latest_started() -> None:
    assert edition_in_force(EDITIONS, date(2026, 5, 31)) is E2023
    assert edition_in_force(EDITIONS, date(2026, 6, 1)) is E2026
    assert edition_in_force(EDITIONS, date(2020, 1, 1)) is None
