from __future__ import annotations

from enum import StrEnum


class ProtectionStatus(StrEnum):
    REFUGEE = "refugee"
    ASYLUM_SEEKER = "asylum_seeker"
    TEMPORARY_PROTECTION = "temporary_protection"
    STATELESS = "stateless"
    MIGRANT_WORKER = "migrant_worker"
    OTHER = "other"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class LanguageLevel(StrEnum):
    """CEFR levels, with NATIVE above C2 for a first language."""

    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"
    NATIVE = "native"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    def at_least(self) -> list[LanguageLevel]:
        """This level and every level above it, for "minimum level" filters."""
        return _ORDER[self.rank :]


_ORDER = list(LanguageLevel)
