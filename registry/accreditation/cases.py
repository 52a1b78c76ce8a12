"""Recognition cases: submission, the status machine, the statutory deadline."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.accreditation import access
from registry.accreditation.common import (
    NOTE_MAX,
    check_version,
    get_visible,
    record_case_event,
)
from registry.accreditation.enums import CaseEventKind, CaseStatus, CompensationMeasure, Pathway
from registry.accreditation.flows import (
    CASE_TRANSITIONS,
    EXTENSION_MONTHS,
    TERMINAL_CASE_STATUSES,
    add_months,
    decision_due,
)
from registry.accreditation.models import CaseEvent, RecognitionCase
from registry.accreditation.verification import resolve_authority
from registry.audit.services import record_event, snapshot
from registry.auth.principal import Principal
from registry.batching import grouped
from registry.errors import NotFoundError
from registry.professionals import search as professionals
from registry.professionals.enums import LanguageLevel
from registry.reference.catalog import ReferenceCatalog
from registry.transitions import require_transition
from registry.validation import Checker

COLUMNS = (
    "professional_id",
    "host_country",
    "subdivision",
    "authority_id",
    "isco_code",
    "pathway",
    "status",
    "submitted_on",
    "file_complete_on",
    "decision_due",
    "deadline_extended",
    "extension_reason",
    "decided_on",
    "compensation_measure",
    "adaptation_months",
    "conditions",
    "required_language",
    "required_language_level",
    "version",
)
MAX_ADAPTATION_MONTHS = 36  # Directive 2005/36/EC art. 3(1)(g): at most three years
MAX_CASE_AGE_YEARS = 30
DECISIONS = frozenset(
    {CaseStatus.RECOGNISED, CaseStatus.CONDITIONALLY_RECOGNISED, CaseStatus.REFUSED}
)


@dataclass(frozen=True, slots=True)
class CaseData:
    professional_id: uuid.UUID
    isco_code: str
    pathway: Pathway
    host_country: str | None = None
    subdivision: str | None = None
    authority_id: uuid.UUID | None = None
    required_language: str | None = None
    required_language_level: LanguageLevel | None = None
    submitted_on: date | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Transition:
    to: CaseStatus
    note: str | None = None
    file_complete_on: date | None = None
    compensation_measure: CompensationMeasure | None = None
    adaptation_months: int | None = None
    conditions: str | None = None


async def submit(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    data: CaseData,
    *,
    today: date,
) -> RecognitionCase:
    country = access.acting_country(principal, data.host_country)
    check = Checker(catalog)
    if country is None:
        check.fail("hostCountry", "required", "an administrator names the host country")
        check.raise_if_any()
    assert country is not None
    country = check.country("hostCountry", country)
    subdivision = (
        check.subdivision("subdivision", data.subdivision, country) if data.subdivision else None
    )
    isco_code = check.occupation("iscoCode", data.isco_code)
    language = level = None
    if data.required_language is not None:
        language = check.language("requiredLanguage", data.required_language)
        level = data.required_language_level or LanguageLevel.B2
    elif data.required_language_level is not None:
        check.fail("requiredLanguage", "required", "a language level needs its language")
    submitted_on = data.submitted_on or today
    check.past_date("submittedOn", submitted_on, today=today, max_years=MAX_CASE_AGE_YEARS)
    note = _note(check, data.note)
    check.raise_if_any()
    authority_id = await resolve_authority(
        session, check, principal, data.authority_id, country, required=True
    )
    assert authority_id is not None
    visible = await professionals.get_many(session, principal, [data.professional_id])
    if data.professional_id not in visible:
        raise NotFoundError("Professional", str(data.professional_id), "professionalId")
    open_case = await session.scalar(
        select(RecognitionCase.id).where(
            RecognitionCase.professional_id == data.professional_id,
            RecognitionCase.host_country == country,
            RecognitionCase.isco_code == isco_code,
            RecognitionCase.status.not_in(TERMINAL_CASE_STATUSES),
        )
    )
    if open_case is not None:
        check.fail(
            "professionalId",
            "open_case_exists",
            f"an open case for this person and occupation exists in {country}: {open_case}",
        )
        check.raise_if_any()
    case = RecognitionCase(
        professional_id=data.professional_id,
        host_country=country,
        subdivision=subdivision,
        authority_id=authority_id,
        isco_code=isco_code,
        pathway=data.pathway,
        status=CaseStatus.SUBMITTED,
        submitted_on=submitted_on,
        required_language=language,
        required_language_level=level,
    )
    session.add(case)
    await session.flush()
    await record_case_event(
        session, principal, case.id, CaseEventKind.SUBMITTED, to_status=case.status, note=note
    )
    await record_event(
        session,
        principal,
        "recognition_case.submitted",
        "RecognitionCase",
        str(case.id),
        after=snapshot(case, COLUMNS),
    )
    return case


async def transition(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    case_id: uuid.UUID,
    expected_version: int,
    change: Transition,
    *,
    today: date,
) -> RecognitionCase:
    """Every status change of a case goes through here: the table decides whether the
    move is legal, the rules below what it needs, and it is written twice (history, audit)."""
    case = await writable(session, principal, case_id, expected_version)
    require_transition("recognition case", CASE_TRANSITIONS, case.status, change.to)
    check = Checker(catalog)
    note = _note(check, change.note)
    before = snapshot(case, COLUMNS)
    _apply_rules(check, case, change, note, today)
    check.raise_if_any()
    previous = case.status
    case.status = change.to
    await session.flush()
    await record_case_event(
        session,
        principal,
        case.id,
        CaseEventKind.TRANSITION,
        from_status=previous,
        to_status=change.to,
        note=note,
    )
    await record_event(
        session,
        principal,
        f"recognition_case.{change.to.value}",
        "RecognitionCase",
        str(case.id),
        before=before,
        after=snapshot(case, COLUMNS),
    )
    return case


def _apply_rules(
    check: Checker, case: RecognitionCase, change: Transition, note: str | None, today: date
) -> None:
    if change.to is CaseStatus.UNDER_REVIEW:
        complete = change.file_complete_on or today
        if complete > today:
            check.fail("fileCompleteOn", "in_future", "must not be in the future")
        elif complete < case.submitted_on:
            check.fail("fileCompleteOn", "before_submission", "must not precede the submission")
        case.file_complete_on = complete
        case.decision_due = decision_due(complete)
    elif change.file_complete_on is not None:
        check.fail("fileCompleteOn", "not_applicable", "only when the review starts")
    if change.to is CaseStatus.COMPENSATION_REQUIRED:
        _compensation(check, case, change)
    elif change.compensation_measure is not None or change.adaptation_months is not None:
        check.fail("compensationMeasure", "not_applicable", "only when compensation is required")
    if change.to is CaseStatus.CONDITIONALLY_RECOGNISED:
        conditions = check.text("conditions", change.conditions or "", max_length=NOTE_MAX)
        case.conditions = conditions
    elif change.conditions is not None:
        check.fail("conditions", "not_applicable", "only for a conditional recognition")
    if change.to is CaseStatus.REFUSED and note is None:
        # A refusal must state its reasons (Directive 2005/36/EC art. 51(3)).
        check.fail("note", "required", "give the reasons for the refusal")
    if change.to in DECISIONS:
        case.decided_on = today


def _compensation(check: Checker, case: RecognitionCase, change: Transition) -> None:
    measure, months = change.compensation_measure, change.adaptation_months
    if measure is None:
        check.fail("compensationMeasure", "required", "name the compensation measure")
    elif measure is CompensationMeasure.ADAPTATION_PERIOD:
        if months is None or not 1 <= months <= MAX_ADAPTATION_MONTHS:
            check.fail(
                "adaptationMonths",
                "out_of_range",
                f"an adaptation period lasts 1 to {MAX_ADAPTATION_MONTHS} months",
            )
    elif months is not None:
        check.fail("adaptationMonths", "not_applicable", "only for an adaptation period")
    case.compensation_measure = measure
    case.adaptation_months = months


async def extend_deadline(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    case_id: uuid.UUID,
    expected_version: int,
    reason: str,
) -> RecognitionCase:
    """The decision deadline may be extended once, by one month, with a reason."""
    case = await writable(session, principal, case_id, expected_version)
    check = Checker(catalog)
    reason = check.text("reason", reason, max_length=NOTE_MAX)
    if case.status is not CaseStatus.UNDER_REVIEW or case.decision_due is None:
        check.fail("id", "no_running_deadline", "only a case under review has a running deadline")
    elif case.deadline_extended:
        check.fail("id", "already_extended", "the deadline was already extended once")
    check.raise_if_any()
    assert case.decision_due is not None
    before = snapshot(case, COLUMNS)
    previous_due = case.decision_due
    case.decision_due = add_months(previous_due, EXTENSION_MONTHS)
    case.deadline_extended = True
    case.extension_reason = reason
    await session.flush()
    await record_case_event(
        session,
        principal,
        case.id,
        CaseEventKind.DEADLINE_EXTENDED,
        note=f"{previous_due.isoformat()} -> {case.decision_due.isoformat()}: {reason}",
    )
    await record_event(
        session,
        principal,
        "recognition_case.deadline_extended",
        "RecognitionCase",
        str(case.id),
        before=before,
        after=snapshot(case, COLUMNS),
    )
    return case


async def writable(
    session: AsyncSession, principal: Principal, case_id: uuid.UUID, expected_version: int
) -> RecognitionCase:
    case = await get_visible(
        session, RecognitionCase, access.case_clause(principal), case_id, "RecognitionCase"
    )
    access.require_case_writer(principal, case)
    check_version("RecognitionCase", case_id, case.version, expected_version)
    return case


def _note(check: Checker, value: str | None) -> str | None:
    if value is None:
        return None
    return check.text("note", value, max_length=NOTE_MAX, required=False) or None


async def get_many(
    session: AsyncSession, principal: Principal, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, RecognitionCase]:
    rows = await session.scalars(
        select(RecognitionCase).where(RecognitionCase.id.in_(ids), access.case_clause(principal))
    )
    return {c.id: c for c in rows}


async def for_professionals(
    session: AsyncSession, principal: Principal, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[RecognitionCase]]:
    rows = await session.scalars(
        select(RecognitionCase)
        .where(RecognitionCase.professional_id.in_(ids), access.case_clause(principal))
        .order_by(RecognitionCase.professional_id, RecognitionCase.created_at, RecognitionCase.id)
    )
    return grouped(rows, ids, lambda c: c.professional_id)


async def history(
    session: AsyncSession, principal: Principal, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[CaseEvent]]:
    rows = await session.scalars(
        select(CaseEvent)
        .join(RecognitionCase, RecognitionCase.id == CaseEvent.case_id)
        .where(CaseEvent.case_id.in_(ids), access.case_clause(principal))
        .order_by(CaseEvent.case_id, CaseEvent.occurred_at, CaseEvent.id)
    )
    return grouped(rows, ids, lambda e: e.case_id)
