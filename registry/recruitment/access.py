"""Who sees and records recruitments. An agency's or employer's token (role
placement_agency, scoped to its organisation) sees the recruitments its organisation
recorded or is a party to, and records only those it is a party to; an admin sees all.
Reference data (list editions, agreements, policies) is readable by every role; only an
admin changes it. Researchers get flow statistics, never a recruitment."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, or_, true

from registry.auth.models import Role
from registry.auth.principal import Principal
from registry.errors import PermissionDeniedError
from registry.recruitment.models import Recruitment


def _organisation(principal: Principal) -> uuid.UUID:
    if principal.role is Role.PLACEMENT_AGENCY and principal.organisation_id is not None:
        return principal.organisation_id
    if principal.role is Role.PLACEMENT_AGENCY:
        raise PermissionDeniedError("a placement agency token must be scoped to an organisation")
    if principal.role is Role.RESEARCHER:
        raise PermissionDeniedError("researchers see aggregate statistics only, never records")
    raise PermissionDeniedError(f"role {principal.role.value} cannot see recruitments")


def readable_clause(principal: Principal) -> ColumnElement[bool]:
    if principal.role is Role.ADMIN:
        return true()
    own = _organisation(principal)
    return or_(
        Recruitment.recorded_by_id == own,
        Recruitment.employer_id == own,
        Recruitment.agency_id == own,
    )


def require_party(
    principal: Principal, employer_id: uuid.UUID, agency_id: uuid.UUID | None
) -> uuid.UUID | None:
    """The organisation recording: an admin records for anyone (None)."""
    if principal.role is Role.ADMIN:
        return None
    own = _organisation(principal)
    if own not in (employer_id, agency_id):
        raise PermissionDeniedError("an organisation records only recruitments it is a party to")
    return own


def require_admin(principal: Principal, what: str) -> None:
    if principal.role is not Role.ADMIN:
        raise PermissionDeniedError(f"only an administrator {what}")
