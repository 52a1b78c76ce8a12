"""What statistics can be grouped and filtered by, and the named occupation groups."""

from __future__ import annotations

from enum import StrEnum


class Dimension(StrEnum):
    HOST_COUNTRY = "host_country"
    OCCUPATION = "occupation"
    OCCUPATION_GROUP = "occupation_group"
    TRAINING_COUNTRY = "training_country"
    TRAINING_REGION = "training_region"
    BIRTH_COUNTRY = "birth_country"
    SEX = "sex"
    PROTECTION_STATUS = "protection_status"
    YEAR = "year"


# The groups of the NHWA and OECD tables, as ISCO-08 unit groups (professional and
# associate levels together, as OECD counts nurses and midwives).
OCCUPATION_GROUPS: dict[str, frozenset[str]] = {
    "doctors": frozenset({"2211", "2212"}),
    "nurses": frozenset({"2221", "3221"}),
    "midwives": frozenset({"2222", "3222"}),
    "dentists": frozenset({"2261"}),
    "pharmacists": frozenset({"2262"}),
}
GROUP_OF = {code: group for group, codes in OCCUPATION_GROUPS.items() for code in codes}

# OECD HEALTH_WFMI variables and the group each one counts.
OECD_TOTALS = {"TNBD": "doctors", "TNBN": "nurses"}
OECD_FOREIGN_TRAINED = {"FTDS": "doctors"}
UNKNOWN = "unknown"
