"""Who may read and change which professionals. Every read path (lists, node(id:),
nested fields) filters with ``readable_clause``; every write checks ``require_writable``."""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, or_, true

from registry.accreditation.models import RecognitionCase, Verification
from registry.auth.models import Role
from registry.auth.principal import Principal
from registry.errors import PermissionDeniedError
from registry.professionals.models import Professional


def readable_clause(principal: Principal) -> ColumnElement[bool]:
    if principal.role is Role.ADMIN:
        return true()
    if principal.role is Role.ACCREDITATION_BODY and principal.country_code:
        # An authority holds the records of people living in its country, and of people
        # abroad who have a recognition case or a credential under verification there.
        country = principal.country_code
        return or_(
            Professional.residence_country == country,
            exists().where(
                RecognitionCase.professional_id == Professional.id,
                RecognitionCase.host_country == country,
            ),
            exists().where(
                Verification.professional_id == Professional.id, Verification.country == country
            ),
        )
    if principal.role is Role.RESEARCHER:
        raise PermissionDeniedError("researchers see aggregate statistics only, never records")
    raise PermissionDeniedError(f"role {principal.role.value} cannot read professional records")


def require_decision_maker(principal: Principal) -> None:
    """Confirming what a credential is belongs to a competent authority (or an admin)."""
    if principal.role not in (Role.ADMIN, Role.ACCREDITATION_BODY):
        raise PermissionDeniedError(
            f"role {principal.role.value} cannot confirm or override a credential's occupation"
        )


def require_writable_residence(principal: Principal, residence_country: str) -> None:
    """An authority registers and edits only people living in its own country."""
    if principal.role is Role.ADMIN:
        return
    if principal.role is Role.ACCREDITATION_BODY:
        if residence_country != principal.country_code:
            raise PermissionDeniedError(
                f"an accreditation body of {principal.country_code} may only register or "
                f"edit professionals residing in {principal.country_code}"
            )
        return
    raise PermissionDeniedError(f"role {principal.role.value} cannot change professional records")
