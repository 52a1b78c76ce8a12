"""accreditation: organisations, verifications, recognition cases, case events, licences

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import registry.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "competent_authority",
                "employer",
                "recruitment_agency",
                "government_body",
                name="organisation_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("subdivision", sa.String(length=6), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["country"], ["countries.code"], name=op.f("fk_organisations_country_countries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index("ix_organisations_country_kind", ["country", "kind"], unique=False)

    op.create_table(
        "recognition_cases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("professional_id", sa.Uuid(), nullable=False),
        sa.Column("host_country", sa.String(length=2), nullable=False),
        sa.Column("subdivision", sa.String(length=6), nullable=True),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("isco_code", sa.String(length=4), nullable=False),
        sa.Column(
            "pathway",
            sa.Enum(
                "automatic",
                "general_system",
                "partial_access",
                "national",
                "refugee_assessment",
                name="recognition_pathway",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "submitted",
                "under_review",
                "compensation_required",
                "recognised",
                "conditionally_recognised",
                "refused",
                "withdrawn",
                name="case_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("file_complete_on", sa.Date(), nullable=True),
        sa.Column("decision_due", sa.Date(), nullable=True),
        sa.Column("deadline_extended", sa.Boolean(), nullable=False),
        sa.Column("extension_reason", sa.String(length=2000), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column(
            "compensation_measure",
            sa.Enum(
                "aptitude_test",
                "adaptation_period",
                name="compensation_measure",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("adaptation_months", sa.Integer(), nullable=True),
        sa.Column("conditions", sa.String(length=2000), nullable=True),
        sa.Column("required_language", sa.String(length=3), nullable=True),
        sa.Column(
            "required_language_level",
            sa.Enum(
                "A1",
                "A2",
                "B1",
                "B2",
                "C1",
                "C2",
                "native",
                name="required_language_level",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["organisations.id"],
            name=op.f("fk_recognition_cases_authority_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["host_country"],
            ["countries.code"],
            name=op.f("fk_recognition_cases_host_country_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["isco_code"],
            ["occupations.isco_code"],
            name=op.f("fk_recognition_cases_isco_code_occupations"),
        ),
        sa.ForeignKeyConstraint(
            ["professional_id"],
            ["professionals.id"],
            name=op.f("fk_recognition_cases_professional_id_professionals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recognition_cases")),
    )
    with op.batch_alter_table("recognition_cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_recognition_cases_authority", ["authority_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_recognition_cases_due", ["host_country", "status", "decision_due"], unique=False
        )
        batch_op.create_index(
            "ix_recognition_cases_professional", ["professional_id", "host_country"], unique=False
        )
        batch_op.create_index(
            "ix_recognition_cases_queue",
            ["host_country", "status", "created_at", "id"],
            unique=False,
        )

    op.create_table(
        "case_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "submitted",
                "transition",
                "deadline_extended",
                "licence_issued",
                "licence_status",
                name="case_event_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("from_status", sa.String(length=40), nullable=True),
        sa.Column("to_status", sa.String(length=40), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["recognition_cases.id"],
            name=op.f("fk_case_events_case_id_recognition_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index("ix_case_events_case", ["case_id", "occurred_at"], unique=False)

    op.create_table(
        "licences",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("professional_id", sa.Uuid(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("isco_code", sa.String(length=4), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "suspended",
                "expired",
                "revoked",
                "lapsed",
                name="licence_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["recognition_cases.id"],
            name=op.f("fk_licences_case_id_recognition_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["country"], ["countries.code"], name=op.f("fk_licences_country_countries")
        ),
        sa.ForeignKeyConstraint(
            ["isco_code"], ["occupations.isco_code"], name=op.f("fk_licences_isco_code_occupations")
        ),
        sa.ForeignKeyConstraint(
            ["professional_id"],
            ["professionals.id"],
            name=op.f("fk_licences_professional_id_professionals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_licences")),
        sa.UniqueConstraint("case_id", name=op.f("uq_licences_case_id")),
        sa.UniqueConstraint("country", "number", name=op.f("uq_licences_country_number")),
    )
    with op.batch_alter_table("licences", schema=None) as batch_op:
        batch_op.create_index(
            "ix_licences_expiry", ["country", "status", "valid_until", "id"], unique=False
        )
        batch_op.create_index("ix_licences_professional", ["professional_id"], unique=False)

    op.create_table(
        "verifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("qualification_id", sa.Uuid(), nullable=False),
        sa.Column("professional_id", sa.Uuid(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=True),
        sa.Column(
            "method",
            sa.Enum(
                "primary_source",
                "document_review",
                "attestation",
                "structured_interview",
                name="verification_method",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "in_process",
                "validated",
                "attested",
                "validation_failed",
                "revalidation_required",
                "revalidation_failed",
                name="verification_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("primary_source", sa.String(length=300), nullable=True),
        sa.Column("verifier", sa.String(length=200), nullable=False),
        sa.Column(
            "assessors",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("status_date", sa.Date(), nullable=False),
        sa.Column("next_review_date", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["organisations.id"],
            name=op.f("fk_verifications_authority_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["country"], ["countries.code"], name=op.f("fk_verifications_country_countries")
        ),
        sa.ForeignKeyConstraint(
            ["professional_id"],
            ["professionals.id"],
            name=op.f("fk_verifications_professional_id_professionals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["qualification_id"],
            ["qualifications.id"],
            name=op.f("fk_verifications_qualification_id_qualifications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verifications")),
    )
    with op.batch_alter_table("verifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_verifications_professional", ["professional_id", "country"], unique=False
        )
        batch_op.create_index(
            "ix_verifications_qualification", ["qualification_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_verifications_review", ["country", "next_review_date", "id"], unique=False
        )

    # Tokens issued before organisations existed name organisations that cannot exist:
    # revoke them rather than silently widen them to their whole country.
    op.execute(
        "UPDATE api_tokens SET revoked_at = CURRENT_TIMESTAMP, organisation_id = NULL "
        "WHERE organisation_id IS NOT NULL"
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_api_tokens_organisation_id_organisations"),
            "organisations",
            ["organisation_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_api_tokens_organisation_id_organisations"), type_="foreignkey"
        )

    with op.batch_alter_table("verifications", schema=None) as batch_op:
        batch_op.drop_index("ix_verifications_review")
        batch_op.drop_index("ix_verifications_qualification")
        batch_op.drop_index("ix_verifications_professional")

    op.drop_table("verifications")
    with op.batch_alter_table("licences", schema=None) as batch_op:
        batch_op.drop_index("ix_licences_professional")
        batch_op.drop_index("ix_licences_expiry")

    op.drop_table("licences")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index("ix_case_events_case")

    op.drop_table("case_events")
    with op.batch_alter_table("recognition_cases", schema=None) as batch_op:
        batch_op.drop_index("ix_recognition_cases_queue")
        batch_op.drop_index("ix_recognition_cases_professional")
        batch_op.drop_index("ix_recognition_cases_due")
        batch_op.drop_index("ix_recognition_cases_authority")

    op.drop_table("recognition_cases")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index("ix_organisations_country_kind")

    op.drop_table("organisations")
