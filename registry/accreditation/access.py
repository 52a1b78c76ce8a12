"""Who may read and act on verifications, recognition cases and licences.

An authority works within its country: it reads that country's cases, verifications and
licences, and acts only on its own cases (a token scoped to one authority) or on any case
of its country (a country-wide registrar token). Nobody else sees them.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, true

from registry.accreditation.models import Licence, RecognitionCase, Verification
from registry.auth.models import Role
from registry.auth.principal import Principal
from registry.errors import PermissionDeniedError


def _country_of(principal: Principal, what: str) -> str | None:
    """None for an admin (everything); the token's country for an authority."""
    if principal.role is Role.ADMIN:
        return None
    if principal.role is Role.ACCREDITATION_BODY and principal.country_code:
        return principal.country_code
    if principal.role is Role.RESEARCHER:
        raise PermissionDeniedError("researchers see aggregate statistics only, never records")
    raise PermissionDeniedError(f"role {principal.role.value} cannot read {what}")


def case_clause(principal: Principal) -> ColumnElement[bool]:
    country = _country_of(principal, "recognition cases")
    return true() if country is None else RecognitionCase.host_country == country


def licence_clause(principal: Principal) -> ColumnElement[bool]:
    country = _country_of(principal, "licences")
    return true() if country is None else Licence.country == country


def verification_clause(principal: Principal) -> ColumnElement[bool]:
    country = _country_of(principal, "verifications")
    return true() if country is None else Verification.country == country


def require_authority(principal: Principal) -> None:
    if principal.role not in (Role.ADMIN, Role.ACCREDITATION_BODY):
        raise PermissionDeniedError(
            f"role {principal.role.value} cannot verify credentials or decide recognition"
        )


def acting_country(principal: Principal, given: str | None) -> str | None:
    """The country an action is taken for: an authority's own; an admin names one."""
    require_authority(principal)
    if principal.role is Role.ADMIN:
        return given
    if given is not None and given != principal.country_code:
        raise PermissionDeniedError(
            f"an accreditation body of {principal.country_code} acts only for "
            f"{principal.country_code}"
        )
    return principal.country_code


def require_case_writer(principal: Principal, case: RecognitionCase) -> None:
    require_authority(principal)
    if principal.role is Role.ADMIN:
        return
    if case.host_country != principal.country_code:
        raise PermissionDeniedError("this case belongs to another country's authority")
    if principal.organisation_id is not None and case.authority_id != principal.organisation_id:
        raise PermissionDeniedError("this case is decided by another competent authority")
