from __future__ import annotations

from enum import StrEnum


class QualificationKind(StrEnum):
    BASIC_DEGREE = "basic_degree"
    SPECIALIST = "specialist"
    LICENCE = "licence"
    REGISTRATION = "registration"
    DIPLOMA = "diploma"
    CERTIFICATE = "certificate"
    TRANSCRIPT = "transcript"
    INTERNSHIP = "internship"


class EvidenceLevel(StrEnum):
    """How much documentary evidence exists: refugees often lack papers."""

    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


class MappingMethod(StrEnum):
    """How the qualification's ISCO-08 occupation was decided."""

    MANUAL = "manual"  # given by the person registering the credential
    ALIAS = "alias"  # exact match in the alias tables
    FUZZY = "fuzzy"  # fuzzy match above the decision threshold
    VOCABULARY = "vocabulary"  # no alias matched; the title's words are one unit group's
    OVERRIDE = "override"  # an accreditation body replaced the mapping
