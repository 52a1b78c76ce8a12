from __future__ import annotations

from enum import StrEnum


class VerificationStatus(StrEnum):
    """FHIR VerificationResult.status."""

    IN_PROCESS = "in_process"
    VALIDATED = "validated"
    ATTESTED = "attested"
    VALIDATION_FAILED = "validation_failed"
    REVALIDATION_REQUIRED = "revalidation_required"
    REVALIDATION_FAILED = "revalidation_failed"


class VerificationMethod(StrEnum):
    PRIMARY_SOURCE = "primary_source"  # confirmed with the issuing institution or registry
    DOCUMENT_REVIEW = "document_review"  # originals or certified copies examined
    ATTESTATION = "attestation"  # a sworn statement or a third party's attestation
    # For people without full documents: two assessors examine the person's competence.
    STRUCTURED_INTERVIEW = "structured_interview"


class Pathway(StrEnum):
    AUTOMATIC = "automatic"  # Directive 2005/36/EC Annex V sectoral professions
    GENERAL_SYSTEM = "general_system"
    PARTIAL_ACCESS = "partial_access"
    NATIONAL = "national"  # third-country qualifications under national law
    REFUGEE_ASSESSMENT = "refugee_assessment"  # Lisbon Recognition Convention art. VII


class CaseStatus(StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    COMPENSATION_REQUIRED = "compensation_required"
    RECOGNISED = "recognised"
    CONDITIONALLY_RECOGNISED = "conditionally_recognised"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class CompensationMeasure(StrEnum):
    APTITUDE_TEST = "aptitude_test"
    ADAPTATION_PERIOD = "adaptation_period"


class LicenceStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    REVOKED = "revoked"
    LAPSED = "lapsed"


class CaseEventKind(StrEnum):
    SUBMITTED = "submitted"
    TRANSITION = "transition"
    DEADLINE_EXTENDED = "deadline_extended"
    LICENCE_ISSUED = "licence_issued"
    LICENCE_STATUS = "licence_status"
