"""Domain enums exposed to GraphQL under their domain names."""

from __future__ import annotations

import strawberry

from registry.credentials.enums import EvidenceLevel, MappingMethod, QualificationKind
from registry.professionals.enums import LanguageLevel, ProtectionStatus, Sex
from registry.professionals.search import ProfessionalOrder

ProtectionStatusType = strawberry.enum(ProtectionStatus, name="ProtectionStatus")
SexType = strawberry.enum(Sex, name="Sex")
LanguageLevelType = strawberry.enum(
    LanguageLevel, name="LanguageLevel", description="CEFR level; NATIVE for a first language"
)
QualificationKindType = strawberry.enum(QualificationKind, name="QualificationKind")
EvidenceLevelType = strawberry.enum(EvidenceLevel, name="EvidenceLevel")
MappingMethodType = strawberry.enum(MappingMethod, name="MappingMethod")
ProfessionalOrderType = strawberry.enum(ProfessionalOrder, name="ProfessionalOrder")
