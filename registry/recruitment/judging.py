"""Judging recruitments against the rules in force, storing the verdict, and re-judging
when a list edition, an agreement, a policy or an organisation changes."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit.services import record_event
from registry.auth.principal import Principal
from registry.organisations.models import Organisation
from registry.recruitment.compliance import (
    AgencyFacts,
    AgreementFacts,
    EditionFacts,
    Judgement,
    PersonCountries,
    RecruitmentFacts,
    judge,
)
from registry.recruitment.enums import RecruitmentEventKind, TestedCountryBasis
from registry.recruitment.models import (
    BilateralAgreement,
    DestinationPolicy,
    Recruitment,
    RecruitmentEvent,
    SafeguardListCountry,
    SafeguardListEdition,
)

BATCH = 500


@dataclass(frozen=True, slots=True)
class Rules:
    editions: list[EditionFacts]
    agreements: dict[str, list[AgreementFacts]]  # by destination
    policies: dict[str, TestedCountryBasis]
    agencies: dict[uuid.UUID, AgencyFacts]

    def basis(self, destination: str) -> TestedCountryBasis:
        return self.policies.get(destination, TestedCountryBasis.RESIDENCE)


async def load_rules(
    session: AsyncSession, destinations: Iterable[str], agency_ids: Iterable[uuid.UUID]
) -> Rules:
    """Everything judging needs, in at most five statements whatever the number of
    recruitments."""
    destinations, agency_ids = set(destinations), {a for a in agency_ids if a}
    listed: dict[int, set[str]] = {}
    for year, code in await session.execute(
        select(SafeguardListCountry.edition_year, SafeguardListCountry.country_code)
    ):
        listed.setdefault(year, set()).add(code)
    editions = [
        EditionFacts(e.year, e.effective_from, frozenset(listed.get(e.year, ())))
        for e in await session.scalars(select(SafeguardListEdition))
    ]
    agreements: dict[str, list[AgreementFacts]] = {}
    for a in await session.scalars(
        select(BilateralAgreement).where(BilateralAgreement.destination_country.in_(destinations))
    ):
        agreements.setdefault(a.destination_country, []).append(agreement_facts(a))
    policies = {
        p.country_code: p.basis
        for p in await session.scalars(
            select(DestinationPolicy).where(DestinationPolicy.country_code.in_(destinations))
        )
    }
    agencies = (
        {
            o.id: AgencyFacts(o.name, o.authorisation, o.authorised_until, o.charges_candidate_fees)
            for o in await session.scalars(
                select(Organisation).where(Organisation.id.in_(agency_ids))
            )
        }
        if agency_ids
        else {}
    )
    return Rules(editions, agreements, policies, agencies)


def agreement_facts(a: BilateralAgreement) -> AgreementFacts:
    return AgreementFacts(
        a.id,
        a.name,
        a.source_country,
        a.destination_country,
        frozenset(a.occupations),
        a.valid_from,
        a.valid_until,
    )


def judge_recruitment(r: Recruitment, rules: Rules) -> Judgement:
    facts = r.facts
    return judge(
        RecruitmentFacts(
            on=r.proposed_on,
            destination=r.destination_country,
            isco_code=r.isco_code,
            mode=r.mode,
            person=PersonCountries(
                residence=facts.get("residence", r.source_country),
                citizenships=tuple(facts.get("citizenships", ())),
                training=tuple(facts.get("training", ())),
            ),
            basis=rules.basis(r.destination_country),
            agreement_id=r.agreement_id,
            candidate_fee=r.candidate_fee,
            agency=rules.agencies.get(r.agency_id) if r.agency_id else None,
            equal_treatment_attested=r.equal_treatment_attested,
        ),
        rules.editions,
        rules.agreements.get(r.destination_country, []),
    )


def findings_json(judgement: Judgement) -> list[dict[str, Any]]:
    return [asdict(f) for f in judgement.findings]


def apply_judgement(r: Recruitment, judgement: Judgement, now: datetime) -> bool:
    """Stores the verdict; True when it differs from the stored one."""
    findings = findings_json(judgement)
    changed = (
        r.verdict is not judgement.verdict
        or r.findings != findings
        or r.verdict_edition_year != judgement.edition_year
        or r.verdict_basis is not judgement.basis
    )
    # A recruitment being recorded has no verdict yet: that is a first judgement, not a change.
    if r.verdict is not None and r.verdict is not judgement.verdict:
        r.previous_verdict = r.verdict
        r.verdict_changed_at = now
    r.verdict = judgement.verdict
    r.findings = findings
    r.verdict_edition_year = judgement.edition_year
    r.verdict_basis = judgement.basis
    r.judged_at = now
    return changed


async def rejudge(
    session: AsyncSession,
    principal: Principal,
    where: ColumnElement[bool],
    reason: str,
    *,
    now: datetime,
) -> int:
    """Re-judges every matching recruitment, a batch at a time; each whose verdict or
    findings change gets an event and an audit record. Returns how many changed."""
    changed = 0
    last: uuid.UUID | None = None
    while True:
        statement = select(Recruitment).where(where).order_by(Recruitment.id).limit(BATCH)
        if last is not None:
            statement = statement.where(Recruitment.id > last)
        batch = list(await session.scalars(statement))
        if not batch:
            return changed
        last = batch[-1].id
        rules = await load_rules(
            session,
            {r.destination_country for r in batch},
            {r.agency_id for r in batch if r.agency_id},
        )
        for r in batch:
            before = r.verdict
            if apply_judgement(r, judge_recruitment(r, rules), now):
                changed += 1
                session.add(
                    RecruitmentEvent(
                        recruitment_id=r.id,
                        actor=principal.actor,
                        kind=RecruitmentEventKind.REJUDGED,
                        from_value=before,
                        to_value=r.verdict,
                        note=reason,
                    )
                )
                await record_event(
                    session,
                    principal,
                    "recruitment.rejudged",
                    "Recruitment",
                    str(r.id),
                    before={"verdict": before},
                    after={"verdict": r.verdict, "reason": reason},
                    flush=False,
                )
        await session.flush()
