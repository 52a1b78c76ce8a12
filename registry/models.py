"""Imports every model module so the mapper registry and ``Base.metadata`` are complete
(Alembic autogenerate and ``alembic check`` compare against it)."""

from registry.accreditation.models import CaseEvent, Licence, RecognitionCase, Verification
from registry.audit.models import AuditEvent
from registry.auth.models import ApiToken
from registry.credentials.models import Qualification
from registry.db import Base
from registry.organisations.models import Organisation
from registry.professionals.models import Citizenship, LanguageSkill, Professional
from registry.recruitment.models import (
    BilateralAgreement,
    DestinationPolicy,
    Recruitment,
    RecruitmentEvent,
    SafeguardListCountry,
    SafeguardListEdition,
)
from registry.reference.models import Country, Occupation
from registry.shortages.models import Shortage, ShortageLanguage
from registry.statistics.models import OecdFigure

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "BilateralAgreement",
    "CaseEvent",
    "Citizenship",
    "Country",
    "DestinationPolicy",
    "LanguageSkill",
    "Licence",
    "Occupation",
    "OecdFigure",
    "Organisation",
    "Professional",
    "Qualification",
    "RecognitionCase",
    "Recruitment",
    "RecruitmentEvent",
    "SafeguardListCountry",
    "SafeguardListEdition",
    "Shortage",
    "ShortageLanguage",
    "Verification",
]
