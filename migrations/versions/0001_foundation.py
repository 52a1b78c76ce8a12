"""foundation: reference data, professionals, qualifications, audit, tokens

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import registry.db

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=80), nullable=False),
        sa.Column("entity_type", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column(
            "before",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "after",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_events_entity", ["entity_type", "entity_id", "occurred_at"], unique=False
        )

    op.create_table(
        "countries",
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.Column("alpha3", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("who_region", sa.String(length=4), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_countries")),
        sa.UniqueConstraint("alpha3", name=op.f("uq_countries_alpha3")),
    )
    op.create_table(
        "occupations",
        sa.Column("isco_code", sa.String(length=4), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("title_fr", sa.String(length=200), nullable=False),
        sa.Column("title_es", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("human_health", sa.Boolean(), nullable=False),
        sa.Column("sub_major_group", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("isco_code", name=op.f("pk_occupations")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "accreditation_body",
                "placement_agency",
                "researcher",
                name="role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("created_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", registry.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["country_code"], ["countries.code"], name=op.f("fk_api_tokens_country_code_countries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_table(
        "professionals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("given_names", sa.String(length=200), nullable=False),
        sa.Column("name_search", sa.String(length=450), nullable=False),
        sa.Column("sort_name", sa.String(length=450), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column(
            "sex",
            sa.Enum(
                "female",
                "male",
                "other",
                "unknown",
                name="sex",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("birth_country", sa.String(length=2), nullable=False),
        sa.Column("residence_country", sa.String(length=2), nullable=False),
        sa.Column(
            "protection_status",
            sa.Enum(
                "refugee",
                "asylum_seeker",
                "temporary_protection",
                "stateless",
                "migrant_worker",
                "other",
                name="protection_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("consent_to_placement", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["birth_country"],
            ["countries.code"],
            name=op.f("fk_professionals_birth_country_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["residence_country"],
            ["countries.code"],
            name=op.f("fk_professionals_residence_country_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_professionals")),
    )
    with op.batch_alter_table("professionals", schema=None) as batch_op:
        batch_op.create_index("ix_professionals_created", ["created_at", "id"], unique=False)
        batch_op.create_index(
            "ix_professionals_dedupe", ["birth_date", "birth_country"], unique=False
        )
        batch_op.create_index("ix_professionals_protection", ["protection_status"], unique=False)
        batch_op.create_index("ix_professionals_residence", ["residence_country"], unique=False)
        batch_op.create_index("ix_professionals_sort", ["sort_name", "id"], unique=False)

    op.create_table(
        "professional_citizenships",
        sa.Column("professional_id", sa.Uuid(), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["country_code"],
            ["countries.code"],
            name=op.f("fk_professional_citizenships_country_code_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["professional_id"],
            ["professionals.id"],
            name=op.f("fk_professional_citizenships_professional_id_professionals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "professional_id", "country_code", name=op.f("pk_professional_citizenships")
        ),
    )
    with op.batch_alter_table("professional_citizenships", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_professional_citizenships_country_code"), ["country_code"], unique=False
        )

    op.create_table(
        "professional_languages",
        sa.Column("professional_id", sa.Uuid(), nullable=False),
        sa.Column("language_code", sa.String(length=3), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "A1",
                "A2",
                "B1",
                "B2",
                "C1",
                "C2",
                "native",
                name="language_level",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["professional_id"],
            ["professionals.id"],
            name=op.f("fk_professional_languages_professional_id_professionals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "professional_id", "language_code", name=op.f("pk_professional_languages")
        ),
    )
    with op.batch_alter_table("professional_languages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_professional_languages_lookup", ["language_code", "level"], unique=False
        )

    op.create_table(
        "qualifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("professional_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "basic_degree",
                "specialist",
                "licence",
                "registration",
                "diploma",
                "certificate",
                "transcript",
                "internship",
                name="qualification_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("original_title", sa.String(length=300), nullable=False),
        sa.Column("title_language", sa.String(length=3), nullable=False),
        sa.Column("institution", sa.String(length=300), nullable=True),
        sa.Column("training_country", sa.String(length=2), nullable=False),
        sa.Column("award_date", sa.Date(), nullable=True),
        sa.Column("isco_code", sa.String(length=4), nullable=True),
        sa.Column(
            "mapping_method",
            sa.Enum(
                "manual",
                "alias",
                "fuzzy",
                "override",
                name="mapping_method",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("mapping_score", sa.Double(), nullable=True),
        sa.Column("matched_alias", sa.String(length=300), nullable=True),
        sa.Column("alias_table_version", sa.String(length=40), nullable=True),
        sa.Column("mapping_confirmed_by", sa.String(length=200), nullable=True),
        sa.Column("mapping_confirmed_at", registry.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "evidence_level",
            sa.Enum(
                "full",
                "partial",
                "none",
                name="evidence_level",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "documents",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["isco_code"],
            ["occupations.isco_code"],
            name=op.f("fk_qualifications_isco_code_occupations"),
        ),
        sa.ForeignKeyConstraint(
            ["professional_id"],
            ["professionals.id"],
            name=op.f("fk_qualifications_professional_id_professionals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["training_country"],
            ["countries.code"],
            name=op.f("fk_qualifications_training_country_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qualifications")),
    )
    with op.batch_alter_table("qualifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_qualifications_isco", ["isco_code", "professional_id"], unique=False
        )
        batch_op.create_index(
            "ix_qualifications_professional", ["professional_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_qualifications_training", ["training_country", "professional_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("qualifications", schema=None) as batch_op:
        batch_op.drop_index("ix_qualifications_training")
        batch_op.drop_index("ix_qualifications_professional")
        batch_op.drop_index("ix_qualifications_isco")

    op.drop_table("qualifications")
    with op.batch_alter_table("professional_languages", schema=None) as batch_op:
        batch_op.drop_index("ix_professional_languages_lookup")

    op.drop_table("professional_languages")
    with op.batch_alter_table("professional_citizenships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_professional_citizenships_country_code"))

    op.drop_table("professional_citizenships")
    with op.batch_alter_table("professionals", schema=None) as batch_op:
        batch_op.drop_index("ix_professionals_sort")
        batch_op.drop_index("ix_professionals_residence")
        batch_op.drop_index("ix_professionals_protection")
        batch_op.drop_index("ix_professionals_dedupe")
        batch_op.drop_index("ix_professionals_created")

    op.drop_table("professionals")
    op.drop_table("api_tokens")
    op.drop_table("occupations")
    op.drop_table("countries")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_entity")

    op.drop_table("audit_events")
