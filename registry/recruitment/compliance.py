"""The WHO Code compliance engine: pure, deterministic, table-tested.

A recruitment, the safeguard-list editions, the agreements and a date go in; a verdict
comes out with findings that each cite the rule they apply and say what would make the
recruitment compliant. Nothing here touches the database.

Rules (WHO Global Code of Practice on the International Recruitment of Health Personnel,
WHA63.16, and the WHO Health Workforce Support and Safeguards List):
- active recruitment from a country on the edition in force, without a
  government-to-government agreement covering the occupation on that date: non-compliant
  (Code art. 5.1); under such an agreement: compliant, noted (art. 5.2);
- a direct application is the person's right to migrate: compliant, noted (art. 3.4);
- a fee charged to the candidate: non-compliant (art. 4.1; ILO C181 art. 7);
- an agency without a recorded authorisation, or no equal-treatment attestation
  (art. 4.5): needs review.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from registry.recruitment.enums import RecruitmentMode, Severity, TestedCountryBasis, Verdict

CODE = "WHO Global Code of Practice (WHA63.16)"


@dataclass(frozen=True, slots=True)
class EditionFacts:
    year: int
    effective_from: date
    countries: frozenset[str]


@dataclass(frozen=True, slots=True)
class AgreementFacts:
    id: uuid.UUID
    name: str
    source_country: str
    destination_country: str
    occupations: frozenset[str]  # empty: every health occupation
    valid_from: date
    valid_until: date | None

    def covers(self, source: str, destination: str, isco_code: str, on: date) -> bool:
        return (
            self.source_country == source
            and self.destination_country == destination
            and (not self.occupations or isco_code in self.occupations)
            and self.valid_from <= on
            and (self.valid_until is None or on <= self.valid_until)
        )


@dataclass(frozen=True, slots=True)
class AgencyFacts:
    name: str
    authorisation: str | None
    authorised_until: date | None
    charges_candidate_fees: bool


@dataclass(frozen=True, slots=True)
class PersonCountries:
    residence: str
    citizenships: tuple[str, ...] = ()
    training: tuple[str, ...] = ()

    def tested(self, basis: TestedCountryBasis) -> tuple[str, ...]:
        if basis is TestedCountryBasis.CITIZENSHIP:
            return self.citizenships
        if basis is TestedCountryBasis.TRAINING:
            return self.training
        return (self.residence,)


@dataclass(frozen=True, slots=True)
class RecruitmentFacts:
    on: date
    destination: str
    isco_code: str
    mode: RecruitmentMode
    person: PersonCountries
    basis: TestedCountryBasis = TestedCountryBasis.RESIDENCE
    agreement_id: uuid.UUID | None = None
    candidate_fee: Decimal | None = None
    agency: AgencyFacts | None = None
    equal_treatment_attested: bool = False


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    citation: str
    message: str
    remedy: str | None = None


@dataclass(frozen=True, slots=True)
class Judgement:
    verdict: Verdict
    findings: tuple[Finding, ...]
    edition_year: int | None
    basis: TestedCountryBasis
    tested_countries: tuple[str, ...]
    listed_countries: tuple[str, ...] = field(default_factory=tuple)


def edition_in_force(editions: Sequence[EditionFacts], on: date) -> EditionFacts | None:
    current = [e for e in editions if e.effective_from <= on]
    return max(current, key=lambda e: (e.effective_from, e.year)) if current else None


def judge(
    facts: RecruitmentFacts,
    editions: Sequence[EditionFacts],
    agreements: Sequence[AgreementFacts],
) -> Judgement:
    findings: list[Finding] = []
    edition = edition_in_force(editions, facts.on)
    tested = tuple(sorted(set(facts.person.tested(facts.basis))))
    listed: tuple[str, ...] = ()
    if edition is None:
        findings.append(
            Finding(
                "no_edition_in_force",
                Severity.REVIEW,
                "WHO Health Workforce Support and Safeguards List",
                f"no edition of the safeguard list was in force on {facts.on}",
                "load the edition in force on that date",
            )
        )
    elif not tested:
        findings.append(
            Finding(
                "no_tested_country",
                Severity.REVIEW,
                f"{CODE} art. 5.1",
                f"{facts.destination} tests the country of {facts.basis.value}, and none is "
                "recorded for this person",
                f"record the person's country of {facts.basis.value}",
            )
        )
    else:
        listed = tuple(c for c in tested if c in edition.countries)
        findings.extend(_recruitment_rule(facts, edition, tested, listed, agreements))
    findings.extend(_practice_rules(facts))
    return Judgement(
        verdict=_verdict(findings),
        findings=tuple(findings),
        edition_year=edition.year if edition else None,
        basis=facts.basis,
        tested_countries=tested,
        listed_countries=listed,
    )


def _recruitment_rule(
    facts: RecruitmentFacts,
    edition: EditionFacts,
    tested: tuple[str, ...],
    listed: tuple[str, ...],
    agreements: Sequence[AgreementFacts],
) -> list[Finding]:
    on_list = f"WHO Health Workforce Support and Safeguards List {edition.year}"
    if facts.mode is RecruitmentMode.DIRECT_APPLICATION:
        return [
            Finding(
                "direct_application",
                Severity.NOTE,
                f"{CODE} art. 3.4",
                "the person applied on their own initiative: their right to migrate is not "
                "restricted by the Code"
                + (f" ({', '.join(listed)} on the list)" if listed else ""),
            )
        ]
    findings: list[Finding] = []
    if facts.mode is RecruitmentMode.GOVERNMENT_AGREEMENT and facts.agreement_id is None:
        findings.append(
            Finding(
                "agreement_not_named",
                Severity.REVIEW,
                f"{CODE} art. 5.2",
                "recorded as recruitment under a government agreement, but no agreement is named",
                "name the government-to-government agreement",
            )
        )
    if not listed:
        findings.append(
            Finding(
                "not_listed",
                Severity.NOTE,
                on_list,
                f"{', '.join(tested)} (tested by {facts.basis.value}) "
                f"{'is' if len(tested) == 1 else 'are'} not on the {edition.year} list",
            )
        )
        return findings
    usable = [a for a in agreements if facts.agreement_id in (None, a.id)]
    uncovered = [
        c
        for c in listed
        if not any(a.covers(c, facts.destination, facts.isco_code, facts.on) for a in usable)
    ]
    if not uncovered:
        names = sorted(
            {
                a.name
                for a in usable
                for c in listed
                if a.covers(c, facts.destination, facts.isco_code, facts.on)
            }
        )
        findings.append(
            Finding(
                "under_agreement",
                Severity.NOTE,
                f"{CODE} art. 5.2; {on_list}",
                f"recruitment from {', '.join(listed)} (on the list) under the "
                f"government-to-government agreement {'; '.join(names)}, which covers "
                f"{facts.isco_code} on {facts.on}",
            )
        )
        return findings
    findings.append(
        Finding(
            "listed_country_without_agreement",
            Severity.VIOLATION,
            f"{CODE} art. 5.1; {on_list}",
            f"active recruitment from {', '.join(uncovered)}, on the {edition.year} list "
            f"(tested by {facts.basis.value}), without a government-to-government agreement "
            f"covering {facts.isco_code} to {facts.destination} on {facts.on}",
            "recruit only under a government-to-government agreement covering this occupation "
            "between these countries on that date, or accept only the person's own direct "
            "application",
        )
    )
    return findings


def _practice_rules(facts: RecruitmentFacts) -> list[Finding]:
    findings: list[Finding] = []
    if facts.candidate_fee is not None and facts.candidate_fee > 0:
        findings.append(
            Finding(
                "candidate_fee",
                Severity.VIOLATION,
                f"{CODE} art. 4.1; ILO Private Employment Agencies Convention (C181) art. 7",
                f"the candidate was charged a recruitment fee of {facts.candidate_fee}",
                "charge the candidate nothing and refund the fee: recruitment costs fall on "
                "the employer",
            )
        )
    agency = facts.agency
    if agency is not None:
        authorised = agency.authorisation is not None and (
            agency.authorised_until is None or facts.on <= agency.authorised_until
        )
        if not authorised:
            findings.append(
                Finding(
                    "agency_not_authorised",
                    Severity.REVIEW,
                    f"{CODE} art. 4.1; ILO C181 art. 3",
                    f"no licence or authorisation of the agency {agency.name} is recorded "
                    f"for {facts.on}",
                    "record the agency's licence or authorisation and its validity",
                )
            )
        if agency.charges_candidate_fees:
            findings.append(
                Finding(
                    "agency_fee_policy",
                    Severity.REVIEW,
                    "ILO C181 art. 7",
                    f"the agency {agency.name} declares that it charges candidates fees",
                    "confirm that no fee was charged in this recruitment",
                )
            )
    if not facts.equal_treatment_attested:
        findings.append(
            Finding(
                "equal_treatment_not_attested",
                Severity.REVIEW,
                f"{CODE} art. 4.5",
                "the employer has not attested equal treatment with domestically trained staff",
                "record the employer's attestation that pay and conditions are the same",
            )
        )
    return findings


def _verdict(findings: Sequence[Finding]) -> Verdict:
    severities = {f.severity for f in findings}
    if Severity.VIOLATION in severities:
        return Verdict.NON_COMPLIANT
    if Severity.REVIEW in severities:
        return Verdict.NEEDS_REVIEW
    return Verdict.COMPLIANT
