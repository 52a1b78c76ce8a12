from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, utcnow


class OecdFigure(Base):
    """A national figure from OECD Health Statistics (HEALTH_WFMI), shown beside the
    registry's own count: FTDS foreign-trained doctors by country of training, TNBD total
    doctors, TNBN total nurses."""

    __tablename__ = "oecd_figures"

    destination: Mapped[str] = mapped_column(ForeignKey("countries.code"), primary_key=True)
    variable: Mapped[str] = mapped_column(String(8), primary_key=True)
    # The country of training for FTDS; "" for national totals (a key column is never null).
    origin: Mapped[str] = mapped_column(String(2), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    value: Mapped[float]
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_oecd_figures_lookup", "destination", "year", "variable"),)
