"""Domain enums exposed to GraphQL under their domain names."""

from __future__ import annotations

import strawberry

from registry.accreditation.enums import (
    CaseEventKind,
    CaseStatus,
    CompensationMeasure,
    LicenceStatus,
    Pathway,
    VerificationMethod,
    VerificationStatus,
)
from registry.credentials.enums import EvidenceLevel, MappingMethod, QualificationKind
from registry.organisations.enums import OrganisationKind
from registry.professionals.enums import LanguageLevel, ProtectionStatus, Sex
from registry.professionals.search import ProfessionalOrder
from registry.recruitment.enums import (
    RecruitmentEventKind,
    RecruitmentMode,
    RecruitmentStatus,
    Severity,
    TestedCountryBasis,
    Verdict,
)
from registry.recruitment.reporting import FlowDimension
from registry.shortages.enums import CodeStatus, Readiness

ProtectionStatusType = strawberry.enum(ProtectionStatus, name="ProtectionStatus")
SexType = strawberry.enum(Sex, name="Sex")
LanguageLevelType = strawberry.enum(
    LanguageLevel, name="LanguageLevel", description="CEFR level; NATIVE for a first language"
)
QualificationKindType = strawberry.enum(QualificationKind, name="QualificationKind")
EvidenceLevelType = strawberry.enum(EvidenceLevel, name="EvidenceLevel")
MappingMethodType = strawberry.enum(MappingMethod, name="MappingMethod")
ProfessionalOrderType = strawberry.enum(ProfessionalOrder, name="ProfessionalOrder")
OrganisationKindType = strawberry.enum(OrganisationKind, name="OrganisationKind")
VerificationStatusType = strawberry.enum(
    VerificationStatus, name="VerificationStatus", description="FHIR VerificationResult.status"
)
VerificationMethodType = strawberry.enum(VerificationMethod, name="VerificationMethod")
PathwayType = strawberry.enum(Pathway, name="RecognitionPathway")
CaseStatusType = strawberry.enum(CaseStatus, name="CaseStatus")
CompensationMeasureType = strawberry.enum(CompensationMeasure, name="CompensationMeasure")
LicenceStatusType = strawberry.enum(LicenceStatus, name="LicenceStatus")
CaseEventKindType = strawberry.enum(CaseEventKind, name="CaseEventKind")
RecruitmentModeType = strawberry.enum(RecruitmentMode, name="RecruitmentMode")
RecruitmentStatusType = strawberry.enum(RecruitmentStatus, name="RecruitmentStatus")
VerdictType = strawberry.enum(Verdict, name="ComplianceVerdict")
SeverityType = strawberry.enum(Severity, name="FindingSeverity")
TestedCountryBasisType = strawberry.enum(TestedCountryBasis, name="TestedCountryBasis")
RecruitmentEventKindType = strawberry.enum(RecruitmentEventKind, name="RecruitmentEventKind")
FlowDimensionType = strawberry.enum(FlowDimension, name="FlowDimension")
ReadinessType = strawberry.enum(Readiness, name="Readiness")
CodeStatusType = strawberry.enum(
    CodeStatus, name="CodeStatus", description="The WHO Code on actively recruiting a candidate"
)
