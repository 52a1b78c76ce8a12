from __future__ import annotations

from enum import StrEnum


class RecruitmentMode(StrEnum):
    ACTIVE_RECRUITMENT = "active_recruitment"  # an employer or agency sought the person out
    DIRECT_APPLICATION = "direct_application"  # the person applied on their own initiative
    GOVERNMENT_AGREEMENT = "government_agreement"  # under a government-to-government agreement


class RecruitmentStatus(StrEnum):
    PROPOSED = "proposed"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    VISA = "visa"
    ARRIVED = "arrived"
    EMPLOYED = "employed"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"


class Verdict(StrEnum):
    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"
    NEEDS_REVIEW = "needs_review"


class Severity(StrEnum):
    NOTE = "note"  # compliant, recorded for the reader
    REVIEW = "review"  # a person must check before it can be called compliant
    VIOLATION = "violation"  # non-compliant


class TestedCountryBasis(StrEnum):
    """Which of the person's countries a destination tests against the safeguard list."""

    RESIDENCE = "residence"
    CITIZENSHIP = "citizenship"
    TRAINING = "training"


class RecruitmentEventKind(StrEnum):
    CREATED = "created"
    STATUS = "status"
    TERMS_CHANGED = "terms_changed"
    REJUDGED = "rejudged"
