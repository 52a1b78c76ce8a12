from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, TimestampedMixin, new_id, utcnow
from registry.enums import enum_column
from registry.recruitment.enums import (
    RecruitmentEventKind,
    RecruitmentMode,
    RecruitmentStatus,
    TestedCountryBasis,
    Verdict,
)


class SafeguardListEdition(Base):
    """One edition of the WHO Health Workforce Support and Safeguards List. Editions are
    data, never constants: a recruitment is judged against the edition in force on its
    date, and the verdict records which one."""

    __tablename__ = "safeguard_list_editions"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    effective_from: Mapped[date]
    criteria: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(500))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class SafeguardListCountry(Base):
    __tablename__ = "safeguard_list_countries"

    edition_year: Mapped[int] = mapped_column(
        ForeignKey("safeguard_list_editions.year", ondelete="CASCADE"), primary_key=True
    )
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), primary_key=True)


class BilateralAgreement(TimestampedMixin, Base):
    """A government-to-government agreement under which recruitment from a listed country
    is acceptable (WHO Code art. 5.2), within its occupations and validity."""

    __tablename__ = "bilateral_agreements"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(300))
    source_country: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    destination_country: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    occupations: Mapped[list[Any]] = mapped_column(default=list)  # ISCO-08 unit groups
    valid_from: Mapped[date]
    valid_until: Mapped[date | None]
    terms: Mapped[str | None] = mapped_column(Text)
    notified_to_who: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index("ix_bilateral_agreements_countries", "destination_country", "source_country"),
    )


class DestinationPolicy(Base):
    """A destination's choice of the country it tests: residence unless it says otherwise."""

    __tablename__ = "destination_policies"

    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), primary_key=True)
    basis: Mapped[TestedCountryBasis] = mapped_column(
        enum_column(TestedCountryBasis, "tested_country_basis")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Recruitment(TimestampedMixin, Base):
    __tablename__ = "recruitments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    professional_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("professionals.id", ondelete="CASCADE")
    )
    employer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    # The organisation whose token recorded it; it and the parties see it.
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    source_country: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    destination_country: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    isco_code: Mapped[str] = mapped_column(ForeignKey("occupations.isco_code"))
    mode: Mapped[RecruitmentMode] = mapped_column(enum_column(RecruitmentMode, "recruitment_mode"))
    agreement_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("bilateral_agreements.id"))
    candidate_fee: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    candidate_fee_currency: Mapped[str | None] = mapped_column(String(3))
    equal_treatment_attested: Mapped[bool] = mapped_column(default=False)
    # The person's countries when recruited (residence, citizenships, training): verdicts
    # are re-judged on these facts, not on today's record.
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[RecruitmentStatus] = mapped_column(
        enum_column(RecruitmentStatus, "recruitment_status")
    )
    proposed_on: Mapped[date]
    status_date: Mapped[date]
    verdict: Mapped[Verdict] = mapped_column(enum_column(Verdict, "compliance_verdict"))
    findings: Mapped[list[Any]] = mapped_column(default=list)
    verdict_edition_year: Mapped[int | None]
    verdict_basis: Mapped[TestedCountryBasis] = mapped_column(
        enum_column(TestedCountryBasis, "verdict_basis")
    )
    judged_at: Mapped[datetime] = mapped_column(default=utcnow)
    previous_verdict: Mapped[Verdict | None] = mapped_column(
        enum_column(Verdict, "previous_verdict")
    )
    verdict_changed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index("ix_recruitments_employer", "employer_id", "created_at"),
        Index("ix_recruitments_agency", "agency_id", "created_at"),
        Index("ix_recruitments_flow", "destination_country", "proposed_on", "source_country"),
        Index("ix_recruitments_changed", "verdict_changed_at", "id"),
        Index("ix_recruitments_professional", "professional_id"),
    )


class RecruitmentEvent(Base):
    __tablename__ = "recruitment_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    recruitment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recruitments.id", ondelete="CASCADE")
    )
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    kind: Mapped[RecruitmentEventKind] = mapped_column(
        enum_column(RecruitmentEventKind, "recruitment_event_kind")
    )
    from_value: Mapped[str | None] = mapped_column(String(40))
    to_value: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(2000))

    __table_args__ = (Index("ix_recruitment_events_recruitment", "recruitment_id", "occurred_at"),)
