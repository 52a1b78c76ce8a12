from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, TimestampedMixin, new_id
from registry.enums import enum_column
from registry.professionals.enums import LanguageLevel


class Shortage(TimestampedMixin, Base):
    """Unfilled posts of one occupation in one host country (and region), as an employer,
    agency or ministry reported them."""

    __tablename__ = "shortages"
    __table_args__ = (Index("ix_shortages_lookup", "host_country", "isco_code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    host_country: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    subdivision: Mapped[str | None] = mapped_column(String(6))
    employer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    # The organisation whose token recorded it: it (and admins) may change it.
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    isco_code: Mapped[str] = mapped_column(ForeignKey("occupations.isco_code"))
    title: Mapped[str | None] = mapped_column(String(300))  # as reported, when it was mapped
    posts: Mapped[int]
    recognition_required: Mapped[bool] = mapped_column(default=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    source: Mapped[str] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(default=1)

    languages: Mapped[list[ShortageLanguage]] = relationship(
        back_populates="shortage",
        cascade="all, delete-orphan",
        lazy="raise",
        order_by="ShortageLanguage.language_code",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ShortageLanguage(Base):
    """A language the posts need, at a minimum CEFR level."""

    __tablename__ = "shortage_languages"

    shortage_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shortages.id", ondelete="CASCADE"), primary_key=True
    )
    language_code: Mapped[str] = mapped_column(String(3), primary_key=True)
    level: Mapped[LanguageLevel] = mapped_column(enum_column(LanguageLevel, "language_level"))
    shortage: Mapped[Shortage] = relationship(back_populates="languages", lazy="raise")
