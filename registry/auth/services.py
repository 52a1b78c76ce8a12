from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit.services import record_event
from registry.auth.models import ApiToken, Role
from registry.auth.principal import Principal
from registry.errors import Issues
from registry.organisations.enums import OrganisationKind
from registry.organisations.models import Organisation
from registry.reference.catalog import ReferenceCatalog

TOKEN_PREFIX = "rgt_"  # noqa: S105 - a public marker that makes leaked tokens greppable


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedToken:
    secret: str  # shown once, never stored
    token: ApiToken


async def create_token(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    *,
    role: Role,
    label: str,
    country_code: str | None = None,
    organisation_id: uuid.UUID | None = None,
    issued_by: Principal,
) -> IssuedToken:
    issues = Issues()
    if country_code is not None:
        country_code = country_code.upper()
        if catalog.country(country_code) is None:
            issues.add("country", "unknown_country", f"{country_code!r} is not an ISO 3166-1 code")
    if role is Role.ACCREDITATION_BODY and country_code is None:
        issues.add("country", "required", "an accreditation body token is scoped to a country")
    if not label.strip() or len(label) > 200:
        issues.add("label", "invalid_length", "label must be 1 to 200 characters")
    if organisation_id is not None:
        await _check_organisation(session, issues, role, country_code, organisation_id)
    issues.raise_if_any()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        token_hash=hash_token(secret),
        role=role,
        country_code=country_code,
        organisation_id=organisation_id,
        label=label.strip(),
    )
    session.add(token)
    await session.flush()
    await record_event(
        session,
        issued_by,
        "token.created",
        "ApiToken",
        str(token.id),
        after={"role": role.value, "country": country_code, "label": token.label},
    )
    return IssuedToken(secret, token)


async def _check_organisation(
    session: AsyncSession,
    issues: Issues,
    role: Role,
    country_code: str | None,
    organisation_id: uuid.UUID,
) -> None:
    """A token acts for its organisation: an authority's token for a competent authority of
    the token's own country, never for an organisation that does not exist."""
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        issues.add("organisation", "not_found", f"no organisation {organisation_id}")
    elif role is Role.ACCREDITATION_BODY and (
        organisation.kind is not OrganisationKind.COMPETENT_AUTHORITY
        or organisation.country != country_code
    ):
        issues.add(
            "organisation",
            "not_an_authority_of_country",
            f"an accreditation body token acts for a competent authority of {country_code}",
        )


async def authenticate(session: AsyncSession, secret: str) -> Principal | None:
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    digest = hash_token(secret)
    token = await session.scalar(
        select(ApiToken).where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None))
    )
    # The index lookup is by digest, so its timing says nothing about the secret; the
    # constant-time comparison guards against a collation or driver surprise.
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    return Principal(
        role=token.role,
        token_id=token.id,
        country_code=token.country_code,
        organisation_id=token.organisation_id,
    )
