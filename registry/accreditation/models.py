from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registry.accreditation.enums import (
    CaseEventKind,
    CaseStatus,
    CompensationMeasure,
    LicenceStatus,
    Pathway,
    VerificationMethod,
    VerificationStatus,
)
from registry.db import Base, TimestampedMixin, new_id, utcnow
from registry.enums import enum_column
from registry.professionals.enums import LanguageLevel


class Verification(TimestampedMixin, Base):
    """How one authority verified one credential (FHIR VerificationResult)."""

    __tablename__ = "verifications"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    qualification_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("qualifications.id", ondelete="CASCADE")
    )
    # Denormalised from the qualification: access rules and queues filter on it.
    professional_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("professionals.id", ondelete="CASCADE")
    )
    country: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    authority_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    method: Mapped[VerificationMethod] = mapped_column(
        enum_column(VerificationMethod, "verification_method")
    )
    status: Mapped[VerificationStatus] = mapped_column(
        enum_column(VerificationStatus, "verification_status")
    )
    primary_source: Mapped[str | None] = mapped_column(String(300))
    verifier: Mapped[str] = mapped_column(String(200))
    assessors: Mapped[list[Any]] = mapped_column(default=list)
    status_date: Mapped[date]
    next_review_date: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(String(2000))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index("ix_verifications_qualification", "qualification_id", "created_at"),
        Index("ix_verifications_review", "country", "next_review_date", "id"),
        Index("ix_verifications_professional", "professional_id", "country"),
    )


class RecognitionCase(TimestampedMixin, Base):
    """One person, one host country, one competent authority, one occupation."""

    __tablename__ = "recognition_cases"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    professional_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("professionals.id", ondelete="CASCADE")
    )
    host_country: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    subdivision: Mapped[str | None] = mapped_column(String(6))
    authority_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    isco_code: Mapped[str] = mapped_column(ForeignKey("occupations.isco_code"))
    pathway: Mapped[Pathway] = mapped_column(enum_column(Pathway, "recognition_pathway"))
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus, "case_status"))
    submitted_on: Mapped[date]
    file_complete_on: Mapped[date | None]
    decision_due: Mapped[date | None]
    deadline_extended: Mapped[bool] = mapped_column(default=False)
    extension_reason: Mapped[str | None] = mapped_column(String(2000))
    decided_on: Mapped[date | None]
    compensation_measure: Mapped[CompensationMeasure | None] = mapped_column(
        enum_column(CompensationMeasure, "compensation_measure")
    )
    adaptation_months: Mapped[int | None]
    conditions: Mapped[str | None] = mapped_column(String(2000))
    required_language: Mapped[str | None] = mapped_column(String(3))  # ISO 639-3
    required_language_level: Mapped[LanguageLevel | None] = mapped_column(
        enum_column(LanguageLevel, "required_language_level")
    )
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index("ix_recognition_cases_queue", "host_country", "status", "created_at", "id"),
        Index("ix_recognition_cases_due", "host_country", "status", "decision_due"),
        Index("ix_recognition_cases_professional", "professional_id", "host_country"),
        Index("ix_recognition_cases_authority", "authority_id", "status"),
    )


class CaseEvent(Base):
    """Append-only history of a case: who moved it, when, from what to what, and why."""

    __tablename__ = "case_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recognition_cases.id", ondelete="CASCADE")
    )
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    kind: Mapped[CaseEventKind] = mapped_column(enum_column(CaseEventKind, "case_event_kind"))
    from_status: Mapped[str | None] = mapped_column(String(40))
    to_status: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(2000))

    __table_args__ = (Index("ix_case_events_case", "case_id", "occurred_at"),)


class Licence(TimestampedMixin, Base):
    """The right to practise that a recognition produced."""

    __tablename__ = "licences"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recognition_cases.id", ondelete="CASCADE")
    )
    professional_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("professionals.id", ondelete="CASCADE")
    )
    country: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    isco_code: Mapped[str] = mapped_column(ForeignKey("occupations.isco_code"))
    number: Mapped[str] = mapped_column(String(60))
    status: Mapped[LicenceStatus] = mapped_column(enum_column(LicenceStatus, "licence_status"))
    valid_from: Mapped[date]
    valid_until: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        UniqueConstraint("case_id"),
        UniqueConstraint("country", "number"),
        Index("ix_licences_expiry", "country", "status", "valid_until", "id"),
        Index("ix_licences_professional", "professional_id"),
    )
