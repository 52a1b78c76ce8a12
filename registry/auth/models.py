from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from registry.auth.roles import Role as Role  # re-exported: the models' column type
from registry.db import Base, new_id, utcnow
from registry.enums import enum_column


class ApiToken(Base):
    """A bearer token. Only the SHA-256 of the secret is stored: tokens are 256-bit random
    values, so a slow password hash adds nothing but latency to every request."""

    __tablename__ = "api_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    # The organisation the token acts for: a competent authority, an agency, an employer.
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
