"""Recording recruitments, moving them through the pipeline, and keeping their verdicts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit.services import record_event, snapshot
from registry.auth.models import Role
from registry.auth.principal import Principal
from registry.batching import grouped
from registry.credentials.models import Qualification
from registry.errors import NotFoundError, VersionConflictError
from registry.organisations.enums import OrganisationKind
from registry.organisations.models import Organisation
from registry.pagination import KeysetOrder, Page, PageRequest, fetch_page
from registry.patch import UNSET, Unset, field_values
from registry.professionals.models import Citizenship, Professional
from registry.recruitment import access
from registry.recruitment.enums import RecruitmentEventKind, RecruitmentMode, RecruitmentStatus
from registry.recruitment.flows import TRANSITIONS
from registry.recruitment.judging import apply_judgement, judge_recruitment, load_rules
from registry.recruitment.models import BilateralAgreement, Recruitment, RecruitmentEvent
from registry.reference.catalog import ReferenceCatalog
from registry.transitions import require_transition
from registry.validation import Checker

COLUMNS = (
    "professional_id",
    "employer_id",
    "agency_id",
    "source_country",
    "destination_country",
    "isco_code",
    "mode",
    "agreement_id",
    "candidate_fee",
    "candidate_fee_currency",
    "equal_treatment_attested",
    "facts",
    "status",
    "proposed_on",
    "status_date",
    "verdict",
    "findings",
    "verdict_edition_year",
    "verdict_basis",
    "version",
)
BY_AGE = KeysetOrder("recruitments_created", [Recruitment.created_at, Recruitment.id])
BY_CHANGE = KeysetOrder("verdict_changed", [Recruitment.verdict_changed_at, Recruitment.id])
MAX_FEE = Decimal("1000000")
MAX_AGE_YEARS = 30


@dataclass(frozen=True, slots=True)
class RecruitmentData:
    professional_id: uuid.UUID
    employer_id: uuid.UUID
    destination_country: str
    isco_code: str
    mode: RecruitmentMode
    agency_id: uuid.UUID | None = None
    agreement_id: uuid.UUID | None = None
    candidate_fee: Decimal | None = None
    candidate_fee_currency: str | None = None
    equal_treatment_attested: bool = False
    proposed_on: date | None = None


@dataclass(frozen=True, slots=True)
class TermsChanges:
    agreement_id: uuid.UUID | Unset | None = UNSET
    candidate_fee: Decimal | Unset | None = UNSET
    candidate_fee_currency: str | Unset | None = UNSET
    equal_treatment_attested: bool | Unset = UNSET


async def create(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    data: RecruitmentData,
    *,
    today: date,
    now: datetime,
) -> Recruitment:
    recorder = access.require_party(principal, data.employer_id, data.agency_id)
    check = Checker(catalog)
    destination = check.country("destinationCountry", data.destination_country)
    isco_code = check.occupation("iscoCode", data.isco_code)
    proposed_on = data.proposed_on or today
    check.past_date("proposedOn", proposed_on, today=today, max_years=MAX_AGE_YEARS)
    _check_fee(check, data.candidate_fee, data.candidate_fee_currency)
    check.raise_if_any()
    await _check_party(session, check, "employerId", data.employer_id, OrganisationKind.EMPLOYER)
    if data.agency_id is not None:
        await _check_party(
            session, check, "agencyId", data.agency_id, OrganisationKind.RECRUITMENT_AGENCY
        )
    if data.agreement_id is not None:
        await _check_agreement(session, check, data.agreement_id, destination)
    check.raise_if_any()
    person = await _recruitable(session, principal, data.professional_id)
    recruitment = Recruitment(
        professional_id=person.id,
        employer_id=data.employer_id,
        agency_id=data.agency_id,
        recorded_by_id=recorder,
        source_country=person.residence_country,
        destination_country=destination,
        isco_code=isco_code,
        mode=data.mode,
        agreement_id=data.agreement_id,
        candidate_fee=data.candidate_fee,
        candidate_fee_currency=data.candidate_fee_currency.upper()
        if data.candidate_fee_currency
        else None,
        equal_treatment_attested=data.equal_treatment_attested,
        facts=await _person_facts(session, person, isco_code),
        status=RecruitmentStatus.PROPOSED,
        proposed_on=proposed_on,
        status_date=proposed_on,
    )
    await _judge(session, recruitment, now)
    session.add(recruitment)
    await session.flush()
    await _event(session, principal, recruitment, RecruitmentEventKind.CREATED, None, "proposed")
    await record_event(
        session,
        principal,
        "recruitment.created",
        "Recruitment",
        str(recruitment.id),
        after=snapshot(recruitment, COLUMNS),
    )
    return recruitment


async def transition(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    recruitment_id: uuid.UUID,
    expected_version: int,
    to: RecruitmentStatus,
    on: date | None,
    note: str | None,
    *,
    today: date,
) -> Recruitment:
    recruitment = await _writable(session, principal, recruitment_id, expected_version)
    require_transition("recruitment", TRANSITIONS, recruitment.status, to)
    check = Checker(catalog)
    when = on or today
    if when > today:
        check.fail("on", "in_future", "must not be in the future")
    elif when < recruitment.status_date:
        check.fail("on", "before_previous", "must not precede the previous step")
    text = check.text("note", note, max_length=2000, required=False) if note else None
    check.raise_if_any()
    before = snapshot(recruitment, COLUMNS)
    previous = recruitment.status
    recruitment.status = to
    recruitment.status_date = when
    await session.flush()
    await _event(session, principal, recruitment, RecruitmentEventKind.STATUS, previous, to, text)
    await record_event(
        session,
        principal,
        f"recruitment.{to.value}",
        "Recruitment",
        str(recruitment.id),
        before=before,
        after=snapshot(recruitment, COLUMNS),
    )
    return recruitment


async def update_terms(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    recruitment_id: uuid.UUID,
    expected_version: int,
    changes: TermsChanges,
    *,
    now: datetime,
) -> Recruitment:
    """Fees, the equal-treatment attestation and the agreement decide the verdict: a
    change to them is re-judged at once."""
    given = field_values(changes, given_only=True)
    recruitment = await _writable(session, principal, recruitment_id, expected_version)
    check = Checker(catalog)
    fee = given.get("candidate_fee", recruitment.candidate_fee)
    currency = given.get("candidate_fee_currency", recruitment.candidate_fee_currency)
    _check_fee(check, fee, currency)
    if given.get("agreement_id") is not None:
        await _check_agreement(
            session, check, given["agreement_id"], recruitment.destination_country
        )
    check.raise_if_any()
    before = snapshot(recruitment, COLUMNS)
    for name, value in given.items():
        setattr(recruitment, name, value.upper() if name.endswith("currency") and value else value)
    previous = recruitment.verdict
    await _judge(session, recruitment, now)
    await session.flush()
    await _event(
        session,
        principal,
        recruitment,
        RecruitmentEventKind.TERMS_CHANGED,
        previous,
        recruitment.verdict,
    )
    await record_event(
        session,
        principal,
        "recruitment.terms_changed",
        "Recruitment",
        str(recruitment.id),
        before=before,
        after=snapshot(recruitment, COLUMNS),
    )
    return recruitment


async def _judge(session: AsyncSession, recruitment: Recruitment, now: datetime) -> None:
    rules = await load_rules(
        session,
        [recruitment.destination_country],
        [recruitment.agency_id] if recruitment.agency_id else [],
    )
    apply_judgement(recruitment, judge_recruitment(recruitment, rules), now)


async def _writable(
    session: AsyncSession, principal: Principal, recruitment_id: uuid.UUID, expected: int
) -> Recruitment:
    found = await session.scalar(
        select(Recruitment).where(
            Recruitment.id == recruitment_id, access.readable_clause(principal)
        )
    )
    if found is None:
        raise NotFoundError("Recruitment", str(recruitment_id))
    access.require_party(principal, found.employer_id, found.agency_id)
    if found.version != expected:
        raise VersionConflictError("Recruitment", str(recruitment_id), expected, found.version)
    return found


async def _recruitable(
    session: AsyncSession, principal: Principal, professional_id: uuid.UUID
) -> Professional:
    """An agency or employer may record only a person who consented to placement; to it,
    anyone else does not exist."""
    person = await session.get(Professional, professional_id)
    if person is None or not (principal.role is Role.ADMIN or person.consent_to_placement):
        raise NotFoundError("Professional", str(professional_id), "professionalId")
    return person


async def _person_facts(
    session: AsyncSession, person: Professional, isco_code: str
) -> dict[str, object]:
    citizenships = list(
        await session.scalars(
            select(Citizenship.country_code).where(Citizenship.professional_id == person.id)
        )
    )
    training = await session.execute(
        select(Qualification.training_country, Qualification.isco_code).where(
            Qualification.professional_id == person.id
        )
    )
    rows = training.all()
    # Where the person trained for this occupation; every country of training otherwise.
    same = sorted({country for country, code in rows if code == isco_code})
    return {
        "residence": person.residence_country,
        "citizenships": sorted(citizenships),
        "training": same or sorted({country for country, _ in rows}),
    }


async def _check_party(
    session: AsyncSession,
    check: Checker,
    field: str,
    organisation_id: uuid.UUID,
    kind: OrganisationKind,
) -> None:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        check.fail(field, "not_found", "no such organisation")
    elif organisation.kind is not kind:
        check.fail(field, "wrong_kind", f"the organisation is not a {kind.value.replace('_', ' ')}")


async def _check_agreement(
    session: AsyncSession, check: Checker, agreement_id: uuid.UUID, destination: str
) -> None:
    agreement = await session.get(BilateralAgreement, agreement_id)
    if agreement is None:
        check.fail("agreementId", "not_found", "no such agreement")
    elif agreement.destination_country != destination:
        check.fail("agreementId", "wrong_destination", f"the agreement is not one of {destination}")


def _check_fee(check: Checker, fee: Decimal | None, currency: str | None) -> None:
    if fee is None:
        return
    if fee < 0 or fee > MAX_FEE:
        check.fail("candidateFee", "out_of_range", f"must be between 0 and {MAX_FEE}")
    if fee > 0 and (currency is None or len(currency) != 3 or not currency.isalpha()):
        check.fail("candidateFeeCurrency", "required", "an ISO 4217 code such as EUR")


async def _event(
    session: AsyncSession,
    principal: Principal,
    recruitment: Recruitment,
    kind: RecruitmentEventKind,
    from_value: str | None,
    to_value: str | None,
    note: str | None = None,
) -> None:
    session.add(
        RecruitmentEvent(
            recruitment_id=recruitment.id,
            actor=principal.actor,
            kind=kind,
            from_value=from_value,
            to_value=to_value,
            note=note,
        )
    )
    await session.flush()


async def get_many(
    session: AsyncSession, principal: Principal, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Recruitment]:
    rows = await session.scalars(
        select(Recruitment).where(Recruitment.id.in_(ids), access.readable_clause(principal))
    )
    return {r.id: r for r in rows}


async def events_of(
    session: AsyncSession, principal: Principal, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[RecruitmentEvent]]:
    rows = await session.scalars(
        select(RecruitmentEvent)
        .join(Recruitment, Recruitment.id == RecruitmentEvent.recruitment_id)
        .where(RecruitmentEvent.recruitment_id.in_(ids), access.readable_clause(principal))
        .order_by(RecruitmentEvent.recruitment_id, RecruitmentEvent.occurred_at)
    )
    return grouped(rows, ids, lambda e: e.recruitment_id)


async def page(
    session: AsyncSession,
    principal: Principal,
    request: PageRequest,
    *,
    changed_since: datetime | None,
    with_total: bool,
) -> Page[Recruitment]:
    """Recruitments you may see, oldest first; with ``changed_since``, those whose verdict
    a new edition, agreement or policy changed since then, in the order they changed."""
    clauses: list[ColumnElement[bool]] = [access.readable_clause(principal)]
    order = BY_AGE
    if changed_since is not None:
        clauses.append(Recruitment.verdict_changed_at >= changed_since)
        order = BY_CHANGE
    return await fetch_page(session, Recruitment, and_(*clauses), order, request, with_total)
