"""The portable verification report: a person's credentials with how each was verified,
and their recognitions and licences, signed so a third party can check it offline.

It holds what the issuer may see and what a reader needs to rely on it: no protection
status, citizenship or documents.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry.accreditation import cases, licences, verification
from registry.accreditation.models import Licence, RecognitionCase, Verification
from registry.audit.services import record_event
from registry.auth.principal import Principal
from registry.credentials import services as credentials
from registry.credentials.models import Qualification
from registry.errors import NotFoundError
from registry.organisations import services as organisations
from registry.professionals import search as professionals
from registry.professionals.models import Professional
from registry.reference.catalog import ReferenceCatalog
from registry.signing import Signer

REPORT_TYPE = "verification-report"
FORMAT_VERSION = 1
ISSUER = "refugee-health-registry"


@dataclass(frozen=True, slots=True)
class ReportCheck:
    authentic: bool
    reason: str
    key_id: str
    issued_at: str | None
    subject: str | None


async def issue(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    signer: Signer,
    professional_id: uuid.UUID,
    *,
    now: datetime,
) -> dict[str, Any]:
    """Builds and signs the report; the disclosure itself is audited."""
    person = (await professionals.get_many(session, principal, [professional_id])).get(
        professional_id
    )
    if person is None:
        raise NotFoundError("Professional", str(professional_id), "professionalId")
    held = (await credentials.for_professionals(session, principal, [person.id]))[person.id]
    checks = await verification.for_qualifications(session, principal, [q.id for q in held])
    recognitions = (await cases.for_professionals(session, principal, [person.id]))[person.id]
    issued = await licences.for_cases(session, principal, [c.id for c in recognitions])
    authority_ids = {c.authority_id for c in recognitions} | {
        v.authority_id for vs in checks.values() for v in vs if v.authority_id
    }
    names = {
        oid: o.name
        for oid, o in (await organisations.get_many(session, list(authority_ids))).items()
    }
    report = {
        "type": REPORT_TYPE,
        "format_version": FORMAT_VERSION,
        "issuer": ISSUER,
        "report_id": str(uuid.uuid4()),
        "issued_at": now.isoformat(),
        "issued_by": principal.actor,
        "subject": _person(person),
        "credentials": [_credential(catalog, q, checks[q.id], names) for q in held],
        "recognitions": [_recognition(catalog, c, issued.get(c.id), names) for c in recognitions],
    }
    await record_event(
        session,
        principal,
        "verification_report.issued",
        "Professional",
        str(person.id),
        after={"report_id": report["report_id"], "key_id": signer.key_id},
    )
    return signer.sign(report, "report")


def check(signer: Signer, document: Any) -> ReportCheck:
    reason = signer.verify(document, "report")
    body = document.get("report") if isinstance(document, dict) else None
    body = body if isinstance(body, dict) else {}
    if reason is None and body.get("type") != REPORT_TYPE:
        reason = "signed by this registry, but not a verification report"
    subject = body.get("subject")
    return ReportCheck(
        authentic=reason is None,
        reason=reason or "signed by this registry and unaltered",
        key_id=signer.key_id,
        issued_at=str(body["issued_at"]) if "issued_at" in body else None,
        subject=str(subject.get("registry_id")) if isinstance(subject, dict) else None,
    )


def _person(p: Professional) -> dict[str, Any]:
    return {
        "registry_id": str(p.id),
        "family_name": p.family_name,
        "given_names": p.given_names,
        "birth_date": p.birth_date.isoformat(),
        "birth_country": p.birth_country,
    }


def _occupation(catalog: ReferenceCatalog, code: str | None) -> dict[str, str] | None:
    found = catalog.occupation(code) if code else None
    return {"isco_code": found.isco_code, "title": found.title_en} if found else None


def _credential(
    catalog: ReferenceCatalog,
    q: Qualification,
    checks: list[Verification],
    names: dict[uuid.UUID, str],
) -> dict[str, Any]:
    return {
        "credential_id": str(q.id),
        "kind": q.kind.value,
        "original_title": q.original_title,
        "title_language": q.title_language,
        "institution": q.institution,
        "training_country": q.training_country,
        "award_date": q.award_date.isoformat() if q.award_date else None,
        "occupation": _occupation(catalog, q.isco_code),
        "occupation_confirmed": q.mapping_confirmed_at is not None,
        "evidence_level": q.evidence_level.value,
        "verifications": [
            {
                "status": v.status.value,
                "method": v.method.value,
                "primary_source": v.primary_source,
                "country": v.country,
                "authority": names.get(v.authority_id) if v.authority_id else None,
                "status_date": v.status_date.isoformat(),
                "next_review_date": v.next_review_date.isoformat() if v.next_review_date else None,
            }
            for v in checks
        ],
    }


def _recognition(
    catalog: ReferenceCatalog,
    c: RecognitionCase,
    licence: Licence | None,
    names: dict[uuid.UUID, str],
) -> dict[str, Any]:
    return {
        "host_country": c.host_country,
        "subdivision": c.subdivision,
        "authority": names.get(c.authority_id),
        "occupation": _occupation(catalog, c.isco_code),
        "pathway": c.pathway.value,
        "status": c.status.value,
        "decided_on": c.decided_on.isoformat() if c.decided_on else None,
        "conditions": c.conditions,
        "licence": None
        if licence is None
        else {
            "number": licence.number,
            "status": licence.status.value,
            "valid_from": licence.valid_from.isoformat(),
            "valid_until": licence.valid_until.isoformat() if licence.valid_until else None,
        },
    }
