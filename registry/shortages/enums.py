from __future__ import annotations

from enum import StrEnum


class Readiness(StrEnum):
    """When a candidate could take up a post."""

    READY_NOW = "ready_now"  # recognised or licensed there, or the post needs no recognition
    AFTER_RECOGNITION = "after_recognition"


class CodeStatus(StrEnum):
    """What the WHO Code says of actively recruiting this person for this post."""

    IN_COUNTRY = "in_country"  # already resides there: not international recruitment
    NOT_LISTED = "not_listed"
    UNDER_AGREEMENT = "under_agreement"
    MUST_NOT_ACTIVELY_RECRUIT = "must_not_actively_recruit"
    UNKNOWN = "unknown"  # no safeguard-list edition in force
