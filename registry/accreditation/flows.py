"""The state machines of verification, recognition and licensing, and deadline arithmetic.

Pure: the transition tables are the single source of what may follow what; services call
``require_transition`` before every move and write an event for it.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date

from registry.accreditation.enums import (
    CaseStatus,
    LicenceStatus,
    VerificationMethod,
    VerificationStatus,
)

CASE_TRANSITIONS: Mapping[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.SUBMITTED: frozenset({CaseStatus.UNDER_REVIEW, CaseStatus.WITHDRAWN}),
    CaseStatus.UNDER_REVIEW: frozenset(
        {
            CaseStatus.COMPENSATION_REQUIRED,
            CaseStatus.RECOGNISED,
            CaseStatus.CONDITIONALLY_RECOGNISED,
            CaseStatus.REFUSED,
            CaseStatus.WITHDRAWN,
        }
    ),
    # After the aptitude test or the adaptation period the authority decides.
    CaseStatus.COMPENSATION_REQUIRED: frozenset(
        {
            CaseStatus.RECOGNISED,
            CaseStatus.CONDITIONALLY_RECOGNISED,
            CaseStatus.REFUSED,
            CaseStatus.WITHDRAWN,
        }
    ),
    # The conditions met (a language exam, supervised practice), recognition is full.
    CaseStatus.CONDITIONALLY_RECOGNISED: frozenset({CaseStatus.RECOGNISED}),
    CaseStatus.RECOGNISED: frozenset(),
    CaseStatus.REFUSED: frozenset(),
    CaseStatus.WITHDRAWN: frozenset(),
}

LICENCE_TRANSITIONS: Mapping[LicenceStatus, frozenset[LicenceStatus]] = {
    LicenceStatus.ACTIVE: frozenset(
        {
            LicenceStatus.SUSPENDED,
            LicenceStatus.EXPIRED,
            LicenceStatus.REVOKED,
            LicenceStatus.LAPSED,
        }
    ),
    LicenceStatus.SUSPENDED: frozenset(
        {LicenceStatus.ACTIVE, LicenceStatus.EXPIRED, LicenceStatus.REVOKED}
    ),
    LicenceStatus.EXPIRED: frozenset(),
    LicenceStatus.REVOKED: frozenset(),
    LicenceStatus.LAPSED: frozenset(),
}

VERIFICATION_TRANSITIONS: Mapping[VerificationStatus, frozenset[VerificationStatus]] = {
    VerificationStatus.IN_PROCESS: frozenset(
        {
            VerificationStatus.VALIDATED,
            VerificationStatus.ATTESTED,
            VerificationStatus.VALIDATION_FAILED,
        }
    ),
    VerificationStatus.VALIDATED: frozenset({VerificationStatus.REVALIDATION_REQUIRED}),
    VerificationStatus.ATTESTED: frozenset({VerificationStatus.REVALIDATION_REQUIRED}),
    VerificationStatus.REVALIDATION_REQUIRED: frozenset(
        {
            VerificationStatus.VALIDATED,
            VerificationStatus.ATTESTED,
            VerificationStatus.REVALIDATION_FAILED,
        }
    ),
    # New evidence reopens a failed verification.
    VerificationStatus.VALIDATION_FAILED: frozenset({VerificationStatus.IN_PROCESS}),
    VerificationStatus.REVALIDATION_FAILED: frozenset({VerificationStatus.IN_PROCESS}),
}

# What each method can establish: only a primary source or the examined originals
# validate a credential; an attestation or the assessors' interview attest it.
METHOD_OUTCOMES: Mapping[VerificationMethod, VerificationStatus] = {
    VerificationMethod.PRIMARY_SOURCE: VerificationStatus.VALIDATED,
    VerificationMethod.DOCUMENT_REVIEW: VerificationStatus.VALIDATED,
    VerificationMethod.ATTESTATION: VerificationStatus.ATTESTED,
    VerificationMethod.STRUCTURED_INTERVIEW: VerificationStatus.ATTESTED,
}

TERMINAL_CASE_STATUSES = frozenset(s for s, moves in CASE_TRANSITIONS.items() if not moves)
DECISION_MONTHS = 3  # after the file is complete (Directive 2005/36/EC art. 51(2))
EXTENSION_MONTHS = 1  # one extension, once
INTERVIEW_VALIDITY_YEARS = 5


def add_months(start: date, months: int) -> date:
    """Calendar months, clamped to the month's last day: 30 November + 3 months is
    28 (or 29) February, never 2 or 3 March."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def decision_due(file_complete_on: date) -> date:
    return add_months(file_complete_on, DECISION_MONTHS)


def interview_review_date(outcome_date: date) -> date:
    return add_months(outcome_date, 12 * INTERVIEW_VALIDITY_YEARS)
