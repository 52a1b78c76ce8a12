from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, TimestampedMixin, new_id
from registry.enums import enum_column
from registry.organisations.enums import OrganisationKind


class Organisation(TimestampedMixin, Base):
    """A competent authority, employer, recruitment agency or government body. Tokens of
    authorities and agencies are scoped to one."""

    __tablename__ = "organisations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    kind: Mapped[OrganisationKind] = mapped_column(
        enum_column(OrganisationKind, "organisation_kind")
    )
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    subdivision: Mapped[str | None] = mapped_column(String(6))  # ISO 3166-2, e.g. DE-BY
    # Agencies: the licence or authorisation to recruit, and its end (ILO C181 art. 3).
    authorisation: Mapped[str | None] = mapped_column(String(200))
    authorised_until: Mapped[date | None]
    # The fee policy the organisation declares: charging candidates is itself a finding.
    charges_candidate_fees: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (Index("ix_organisations_country_kind", "country", "kind"),)
