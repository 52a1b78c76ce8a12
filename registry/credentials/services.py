"""Add, change and remove a professional's qualifications."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy import update as sql_update
from sqlalchemy.ext.asyncio import AsyncSession

from matching.titles import MatchStatus, TitleMatcher
from registry.audit.services import record_event
from registry.auth.principal import Principal
from registry.batching import grouped
from registry.credentials.enums import EvidenceLevel, MappingMethod, QualificationKind
from registry.credentials.models import Qualification
from registry.errors import NotFoundError, VersionConflictError
from registry.patch import UNSET, Unset, field_values
from registry.professionals import access
from registry.professionals.models import Professional
from registry.professionals.services import get_for_update
from registry.reference.catalog import ReferenceCatalog
from registry.validation import Checker

TITLE_MAX = 300
MAX_QUALIFICATIONS = 50
MAX_DOCUMENTS = 20
MAX_AWARD_AGE_YEARS = 90


@dataclass(frozen=True, slots=True)
class DocumentInput:
    kind: str
    file_name: str
    sha256: str | None = None
    pages: int | None = None


@dataclass(frozen=True, slots=True)
class QualificationData:
    kind: QualificationKind
    original_title: str
    title_language: str
    training_country: str
    evidence_level: EvidenceLevel
    institution: str | None = None
    award_date: date | None = None
    isco_code: str | None = None
    documents: Sequence[DocumentInput] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class QualificationChanges:
    kind: QualificationKind | Unset = UNSET
    original_title: str | Unset = UNSET
    title_language: str | Unset = UNSET
    training_country: str | Unset = UNSET
    evidence_level: EvidenceLevel | Unset = UNSET
    institution: str | Unset | None = UNSET
    award_date: date | Unset | None = UNSET
    isco_code: str | Unset | None = UNSET
    documents: Sequence[DocumentInput] | Unset = UNSET


def snapshot(q: Qualification) -> dict[str, Any]:
    return {
        "professional_id": str(q.professional_id),
        "kind": q.kind.value,
        "original_title": q.original_title,
        "title_language": q.title_language,
        "institution": q.institution,
        "training_country": q.training_country,
        "award_date": q.award_date.isoformat() if q.award_date else None,
        "isco_code": q.isco_code,
        "mapping_method": q.mapping_method.value if q.mapping_method else None,
        "mapping_score": q.mapping_score,
        "matched_alias": q.matched_alias,
        "alias_table_version": q.alias_table_version,
        "mapping_confirmed_by": q.mapping_confirmed_by,
        "evidence_level": q.evidence_level.value,
        "documents": q.documents,
        "version": q.version,
    }


async def add(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    professional_id: uuid.UUID,
    data: QualificationData,
    *,
    today: date,
    matcher: TitleMatcher | None = None,
) -> Qualification:
    """Without an occupation, the title is mapped automatically when ``matcher`` is given:
    only a ``matched`` result sets the code; ambiguous titles wait for a person."""
    values = _check(Checker(catalog), field_values(data), today)
    professional = await _writable_professional(session, principal, professional_id)
    count = await session.scalar(
        select(func.count()).where(Qualification.professional_id == professional.id)
    )
    if (count or 0) >= MAX_QUALIFICATIONS:
        check = Checker(catalog)
        check.fail("professionalId", "too_many", f"at most {MAX_QUALIFICATIONS} qualifications")
        check.raise_if_any()
    qualification = Qualification(professional_id=professional.id, **values)
    if qualification.isco_code is not None:
        qualification.mapping_method = MappingMethod.MANUAL
    elif matcher is not None:
        _apply_automatic_mapping(qualification, matcher)
    session.add(qualification)
    await session.flush()
    await refresh_primary(session, professional.id)
    await record_event(
        session,
        principal,
        "qualification.added",
        "Qualification",
        str(qualification.id),
        after=snapshot(qualification),
    )
    return qualification


async def update(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    qualification_id: uuid.UUID,
    expected_version: int,
    changes: QualificationChanges,
    *,
    today: date,
) -> Qualification:
    given = field_values(changes, given_only=True)
    values = _check(Checker(catalog), given, today)
    qualification = await _get_writable(session, principal, qualification_id)
    if qualification.version != expected_version:
        raise VersionConflictError(
            "Qualification", str(qualification_id), expected_version, qualification.version
        )
    before = snapshot(qualification)
    for name, value in values.items():
        setattr(qualification, name, value)
    if "isco_code" in values:
        # A person chose the occupation: the automatic mapping's evidence no longer applies.
        qualification.mapping_method = MappingMethod.MANUAL if values["isco_code"] else None
        qualification.mapping_score = None
        qualification.matched_alias = None
        qualification.alias_table_version = None
    await session.flush()
    await refresh_primary(session, qualification.professional_id)
    await record_event(
        session,
        principal,
        "qualification.updated",
        "Qualification",
        str(qualification.id),
        before=before,
        after=snapshot(qualification),
    )
    return qualification


async def confirm_mapping(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    qualification_id: uuid.UUID,
    expected_version: int,
    isco_code: str | None,
    *,
    now: datetime,
) -> Qualification:
    """An accreditation body confirms the stored occupation, or overrides it with another:
    who and when are recorded on the credential and in the audit log."""
    access.require_decision_maker(principal)
    check = Checker(catalog)
    code = check.occupation("iscoCode", isco_code) if isco_code is not None else None
    check.raise_if_any()
    qualification = await _get_writable(session, principal, qualification_id)
    if qualification.version != expected_version:
        raise VersionConflictError(
            "Qualification", str(qualification_id), expected_version, qualification.version
        )
    if code is None and qualification.isco_code is None:
        check.fail("iscoCode", "required", "the credential has no occupation to confirm: give one")
        check.raise_if_any()
    before = snapshot(qualification)
    overridden = code is not None and code != qualification.isco_code
    if overridden:
        qualification.isco_code = code
        qualification.mapping_method = MappingMethod.OVERRIDE
        qualification.mapping_score = None
        qualification.matched_alias = None
    qualification.mapping_confirmed_by = principal.actor
    qualification.mapping_confirmed_at = now
    await session.flush()
    await refresh_primary(session, qualification.professional_id)
    action = "qualification.mapping_overridden" if overridden else "qualification.mapping_confirmed"
    await record_event(
        session,
        principal,
        action,
        "Qualification",
        str(qualification.id),
        before=before,
        after=snapshot(qualification),
    )
    return qualification


async def refresh_primary(session: AsyncSession, professional_id: uuid.UUID) -> None:
    """Keeps the person's primary occupation (that of the latest credential with one) and
    its country of training, which statistics group by. A bulk UPDATE: derived columns
    must not bump the record's version and make a client's next edit conflict."""
    latest = (
        await session.execute(
            select(Qualification.isco_code, Qualification.training_country)
            .where(
                Qualification.professional_id == professional_id,
                Qualification.isco_code.is_not(None),
            )
            .order_by(
                Qualification.award_date.is_(None),
                Qualification.award_date.desc(),
                Qualification.created_at.desc(),
                Qualification.id.desc(),
            )
            .limit(1)
        )
    ).first()
    await session.execute(
        sql_update(Professional)
        .where(Professional.id == professional_id)
        .values(
            primary_isco_code=latest[0] if latest else None,
            primary_training_country=latest[1] if latest else None,
        )
        .execution_options(synchronize_session=False)
    )


def _apply_automatic_mapping(qualification: Qualification, matcher: TitleMatcher) -> None:
    result = matcher.match(
        qualification.original_title,
        qualification.title_language,
        qualification.training_country,
    )
    best = result.best
    if result.status is not MatchStatus.MATCHED or best is None or result.method is None:
        return
    qualification.isco_code = best.isco_code
    qualification.mapping_method = MappingMethod(result.method.value)
    qualification.mapping_score = best.score
    qualification.matched_alias = best.alias
    qualification.alias_table_version = result.alias_table_version


async def remove(
    session: AsyncSession,
    principal: Principal,
    qualification_id: uuid.UUID,
    expected_version: int,
) -> Qualification:
    qualification = await _get_writable(session, principal, qualification_id)
    if qualification.version != expected_version:
        raise VersionConflictError(
            "Qualification", str(qualification_id), expected_version, qualification.version
        )
    before = snapshot(qualification)
    await session.delete(qualification)
    await session.flush()
    await refresh_primary(session, qualification.professional_id)
    await record_event(
        session,
        principal,
        "qualification.removed",
        "Qualification",
        str(qualification.id),
        before=before,
    )
    return qualification


async def for_professionals(
    session: AsyncSession, principal: Principal, professional_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Qualification]]:
    """Batch read for the nested `qualifications` field: one statement per page."""
    rows = await session.scalars(
        select(Qualification)
        .join(Professional, Professional.id == Qualification.professional_id)
        .where(Qualification.professional_id.in_(professional_ids))
        .where(access.readable_clause(principal))
        .order_by(Qualification.professional_id, Qualification.created_at, Qualification.id)
    )
    return grouped(rows, professional_ids, lambda q: q.professional_id)


async def get_many(
    session: AsyncSession, principal: Principal, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Qualification]:
    rows = await session.scalars(
        select(Qualification)
        .join(Professional, Professional.id == Qualification.professional_id)
        .where(Qualification.id.in_(ids), access.readable_clause(principal))
    )
    return {q.id: q for q in rows}


async def _writable_professional(
    session: AsyncSession, principal: Principal, professional_id: uuid.UUID
) -> Professional:
    professional = await get_for_update(session, principal, professional_id)
    access.require_writable_residence(principal, professional.residence_country)
    return professional


async def _get_writable(
    session: AsyncSession, principal: Principal, qualification_id: uuid.UUID
) -> Qualification:
    found = await get_many(session, principal, [qualification_id])
    qualification = found.get(qualification_id)
    if qualification is None:
        raise NotFoundError("Qualification", str(qualification_id))
    await _writable_professional(session, principal, qualification.professional_id)
    return qualification


def _check(check: Checker, given: dict[str, Any], today: date) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "original_title" in given:
        values["original_title"] = check.text(
            "originalTitle", given["original_title"], max_length=TITLE_MAX
        )
    if "title_language" in given:
        values["title_language"] = check.language("titleLanguage", given["title_language"])
    if "training_country" in given:
        values["training_country"] = check.country("trainingCountry", given["training_country"])
    if given.get("institution") is not None:
        values["institution"] = check.text(
            "institution", given["institution"], max_length=TITLE_MAX
        )
    elif "institution" in given:
        values["institution"] = None
    if given.get("award_date") is not None:
        check.past_date(
            "awardDate", given["award_date"], today=today, max_years=MAX_AWARD_AGE_YEARS
        )
    if given.get("isco_code") is not None:
        values["isco_code"] = check.occupation("iscoCode", given["isco_code"])
    elif "isco_code" in given:
        values["isco_code"] = None
    if "documents" in given:
        values["documents"] = _check_documents(check, given["documents"])
    for name in ("kind", "evidence_level", "award_date"):
        if name in given:
            values[name] = given[name]
    check.raise_if_any()
    return values


def _check_documents(check: Checker, documents: Sequence[DocumentInput]) -> list[dict[str, Any]]:
    if len(documents) > MAX_DOCUMENTS:
        check.fail("documents", "too_many", f"at most {MAX_DOCUMENTS} documents")
        return []
    result = []
    for i, doc in enumerate(documents):
        kind = check.text(f"documents[{i}].kind", doc.kind, max_length=60)
        name = check.text(f"documents[{i}].fileName", doc.file_name, max_length=255)
        if doc.sha256 is not None and (
            len(doc.sha256) != 64 or any(c not in "0123456789abcdef" for c in doc.sha256.lower())
        ):
            check.fail(f"documents[{i}].sha256", "invalid_format", "must be 64 hexadecimal digits")
        if doc.pages is not None and not 1 <= doc.pages <= 10_000:
            check.fail(f"documents[{i}].pages", "out_of_range", "must be between 1 and 10000")
        result.append(
            {
                "kind": kind,
                "file_name": name,
                "sha256": doc.sha256 and doc.sha256.lower(),
                "pages": doc.pages,
            }
        )
    return result
