"""Reference data: countries and ISCO-08 occupations.

Kept in tables (not constants) so that foreign keys guard every stored code and a new
edition of a data file is a data load, not a code change.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base


class Country(Base):
    __tablename__ = "countries"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)  # ISO 3166-1 alpha-2
    alpha3: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    who_region: Mapped[str | None] = mapped_column(String(4))


class Occupation(Base):
    __tablename__ = "occupations"

    isco_code: Mapped[str] = mapped_column(String(4), primary_key=True)
    title_en: Mapped[str] = mapped_column(String(200))
    title_fr: Mapped[str] = mapped_column(String(200))
    title_es: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))  # professional | associate | care_worker
    human_health: Mapped[bool]
    sub_major_group: Mapped[str] = mapped_column(String(100))
