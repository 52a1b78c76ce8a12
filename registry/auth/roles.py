"""The roles a token can carry, apart from the models so that the command line can offer
them without loading the database layer."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    ACCREDITATION_BODY = "accreditation_body"
    PLACEMENT_AGENCY = "placement_agency"
    RESEARCHER = "researcher"
