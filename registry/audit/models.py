from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, new_id, utcnow


class AuditEvent(Base):
    """Append-only: written in the same transaction as the change it records, never
    updated or deleted by the application."""

    __tablename__ = "audit_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))  # "token:<id> (<role>)" or "cli"
    action: Mapped[str] = mapped_column(String(80))  # e.g. "professional.registered"
    entity_type: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]

    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id", "occurred_at"),)
