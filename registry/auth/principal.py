from __future__ import annotations

import uuid
from dataclasses import dataclass

from registry.auth.models import Role


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking. Built from a verified token (or the CLI) and passed to services,
    which decide what it may read and write."""

    role: Role
    token_id: uuid.UUID | None = None
    country_code: str | None = None
    organisation_id: uuid.UUID | None = None

    @property
    def actor(self) -> str:
        """How audit events name the actor: never the secret, never personal data."""
        if self.token_id is None:
            return f"system ({self.role.value})"
        return f"token:{self.token_id} ({self.role.value})"

    @classmethod
    def system(cls) -> Principal:
        """The operator at the command line (demo data, imports)."""
        return cls(role=Role.ADMIN)
