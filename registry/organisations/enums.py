from __future__ import annotations

from enum import StrEnum


class OrganisationKind(StrEnum):
    COMPETENT_AUTHORITY = "competent_authority"
    EMPLOYER = "employer"
    RECRUITMENT_AGENCY = "recruitment_agency"
    GOVERNMENT_BODY = "government_body"
