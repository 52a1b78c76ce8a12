from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.credentials.enums import EvidenceLevel, MappingMethod, QualificationKind
from registry.db import Base, TimestampedMixin, new_id
from registry.enums import enum_column
from registry.professionals.models import Professional


class Qualification(TimestampedMixin, Base):
    __tablename__ = "qualifications"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    professional_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("professionals.id", ondelete="CASCADE")
    )
    kind: Mapped[QualificationKind] = mapped_column(
        enum_column(QualificationKind, "qualification_kind")
    )
    original_title: Mapped[str] = mapped_column(String(300))
    title_language: Mapped[str] = mapped_column(String(3))  # ISO 639-3
    institution: Mapped[str | None] = mapped_column(String(300))
    training_country: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    award_date: Mapped[date | None]
    isco_code: Mapped[str | None] = mapped_column(ForeignKey("occupations.isco_code"))
    mapping_method: Mapped[MappingMethod | None] = mapped_column(
        enum_column(MappingMethod, "mapping_method")
    )
    mapping_score: Mapped[float | None]
    matched_alias: Mapped[str | None] = mapped_column(String(300))
    alias_table_version: Mapped[str | None] = mapped_column(String(40))
    mapping_confirmed_by: Mapped[str | None] = mapped_column(String(200))
    mapping_confirmed_at: Mapped[datetime | None]
    evidence_level: Mapped[EvidenceLevel] = mapped_column(
        enum_column(EvidenceLevel, "evidence_level")
    )
    # Metadata only (kind, file name, checksum, pages); the documents live elsewhere.
    documents: Mapped[list[Any]] = mapped_column(default=list)
    version: Mapped[int] = mapped_column(default=1)

    professional: Mapped[Professional] = relationship(back_populates="qualifications", lazy="raise")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index("ix_qualifications_professional", "professional_id", "created_at"),
        Index("ix_qualifications_isco", "isco_code", "professional_id"),
        Index("ix_qualifications_training", "training_country", "professional_id"),
    )
