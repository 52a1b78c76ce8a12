from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, TimestampedMixin, new_id
from registry.enums import enum_column
from registry.professionals.enums import LanguageLevel, ProtectionStatus, Sex

if TYPE_CHECKING:
    from registry.credentials.models import Qualification


class Professional(TimestampedMixin, Base):
    __tablename__ = "professionals"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    family_name: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200))
    # Folded form of "given family" (case, accents, Cyrillic/Greek transliterated) for
    # accent-insensitive search that works the same on SQLite and PostgreSQL.
    name_search: Mapped[str] = mapped_column(String(450))
    # Folded form of the family name, first key of the default ordering.
    sort_name: Mapped[str] = mapped_column(String(450))
    birth_date: Mapped[date]
    sex: Mapped[Sex] = mapped_column(enum_column(Sex, "sex"))
    birth_country: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    residence_country: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    protection_status: Mapped[ProtectionStatus] = mapped_column(
        enum_column(ProtectionStatus, "protection_status")
    )
    consent_to_placement: Mapped[bool] = mapped_column(default=False)
    # Derived from the credentials (kept by the credential services): the occupation of the
    # latest credential that has one, and where it was earned. Statistics count each person
    # once, under this occupation.
    primary_isco_code: Mapped[str | None] = mapped_column(ForeignKey("occupations.isco_code"))
    primary_training_country: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    version: Mapped[int] = mapped_column(default=1)

    citizenships: Mapped[list[Citizenship]] = relationship(
        back_populates="professional",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="Citizenship.country_code",
    )
    languages: Mapped[list[LanguageSkill]] = relationship(
        back_populates="professional",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="LanguageSkill.language_code",
    )
    qualifications: Mapped[list[Qualification]] = relationship(
        back_populates="professional", lazy="raise", cascade="all, delete-orphan"
    )

    # SQLAlchemy adds "AND version = :old" to every UPDATE and raises StaleDataError
    # when another transaction got there first.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index("ix_professionals_sort", "sort_name", "id"),
        Index("ix_professionals_created", "created_at", "id"),
        Index("ix_professionals_dedupe", "birth_date", "birth_country"),
        Index("ix_professionals_residence", "residence_country"),
        Index("ix_professionals_protection", "protection_status"),
        Index("ix_professionals_statistics", "residence_country", "primary_isco_code"),
        Index("ix_professionals_occupation", "primary_isco_code"),
    )


class Citizenship(Base):
    __tablename__ = "professional_citizenships"

    professional_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("professionals.id", ondelete="CASCADE"), primary_key=True
    )
    country_code: Mapped[str] = mapped_column(
        ForeignKey("countries.code"), primary_key=True, index=True
    )
    professional: Mapped[Professional] = relationship(back_populates="citizenships", lazy="raise")


class LanguageSkill(Base):
    __tablename__ = "professional_languages"

    professional_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("professionals.id", ondelete="CASCADE"), primary_key=True
    )
    # ISO 639-3 code (639-1 input is converted), e.g. "ukr", "ara", "prs".
    language_code: Mapped[str] = mapped_column(String(3), primary_key=True)
    level: Mapped[LanguageLevel] = mapped_column(enum_column(LanguageLevel, "language_level"))
    professional: Mapped[Professional] = relationship(back_populates="languages", lazy="raise")

    __table_args__ = (Index("ix_professional_languages_lookup", "language_code", "level"),)
