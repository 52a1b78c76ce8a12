"""recruitment: safeguard-list editions, agreements, destination policies, recruitments

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import registry.db

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "safeguard_list_editions",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("criteria", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("loaded_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_safeguard_list_editions")),
    )
    op.create_table(
        "bilateral_agreements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("source_country", sa.String(length=2), nullable=False),
        sa.Column("destination_country", sa.String(length=2), nullable=False),
        sa.Column(
            "occupations",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("terms", sa.Text(), nullable=True),
        sa.Column("notified_to_who", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["destination_country"],
            ["countries.code"],
            name=op.f("fk_bilateral_agreements_destination_country_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["source_country"],
            ["countries.code"],
            name=op.f("fk_bilateral_agreements_source_country_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bilateral_agreements")),
    )
    with op.batch_alter_table("bilateral_agreements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bilateral_agreements_countries",
            ["destination_country", "source_country"],
            unique=False,
        )

    op.create_table(
        "destination_policies",
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column(
            "basis",
            sa.Enum(
                "residence",
                "citizenship",
                "training",
                name="tested_country_basis",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("updated_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["country_code"],
            ["countries.code"],
            name=op.f("fk_destination_policies_country_code_countries"),
        ),
        sa.PrimaryKeyConstraint("country_code", name=op.f("pk_destination_policies")),
    )
    op.create_table(
        "safeguard_list_countries",
        sa.Column("edition_year", sa.Integer(), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["country_code"],
            ["countries.code"],
            name=op.f("fk_safeguard_list_countries_country_code_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["edition_year"],
            ["safeguard_list_editions.year"],
            name=op.f("fk_safeguard_list_countries_edition_year_safeguard_list_editions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "edition_year", "country_code", name=op.f("pk_safeguard_list_countries")
        ),
    )
    op.create_table(
        "recruitments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("professional_id", sa.Uuid(), nullable=False),
        sa.Column("employer_id", sa.Uuid(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_by_id", sa.Uuid(), nullable=True),
        sa.Column("source_country", sa.String(length=2), nullable=False),
        sa.Column("destination_country", sa.String(length=2), nullable=False),
        sa.Column("isco_code", sa.String(length=4), nullable=False),
        sa.Column(
            "mode",
            sa.Enum(
                "active_recruitment",
                "direct_application",
                "government_agreement",
                name="recruitment_mode",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("agreement_id", sa.Uuid(), nullable=True),
        sa.Column("candidate_fee", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("candidate_fee_currency", sa.String(length=3), nullable=True),
        sa.Column("equal_treatment_attested", sa.Boolean(), nullable=False),
        sa.Column(
            "facts",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "offered",
                "accepted",
                "visa",
                "arrived",
                "employed",
                "ended",
                "withdrawn",
                name="recruitment_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("proposed_on", sa.Date(), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=False),
        sa.Column(
            "verdict",
            sa.Enum(
                "compliant",
                "non_compliant",
                "needs_review",
                name="compliance_verdict",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "findings",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("verdict_edition_year", sa.Integer(), nullable=True),
        sa.Column(
            "verdict_basis",
            sa.Enum(
                "residence",
                "citizenship",
                "training",
                name="verdict_basis",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("judged_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "previous_verdict",
            sa.Enum(
                "compliant",
                "non_compliant",
                "needs_review",
                name="previous_verdict",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("verdict_changed_at", registry.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["organisations.id"],
            name=op.f("fk_recruitments_agency_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["bilateral_agreements.id"],
            name=op.f("fk_recruitments_agreement_id_bilateral_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["destination_country"],
            ["countries.code"],
            name=op.f("fk_recruitments_destination_country_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["employer_id"],
            ["organisations.id"],
            name=op.f("fk_recruitments_employer_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["isco_code"],
            ["occupations.isco_code"],
            name=op.f("fk_recruitments_isco_code_occupations"),
        ),
        sa.ForeignKeyConstraint(
            ["professional_id"],
            ["professionals.id"],
            name=op.f("fk_recruitments_professional_id_professionals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["organisations.id"],
            name=op.f("fk_recruitments_recorded_by_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["source_country"],
            ["countries.code"],
            name=op.f("fk_recruitments_source_country_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitments")),
    )
    with op.batch_alter_table("recruitments", schema=None) as batch_op:
        batch_op.create_index("ix_recruitments_agency", ["agency_id", "created_at"], unique=False)
        batch_op.create_index("ix_recruitments_changed", ["verdict_changed_at", "id"], unique=False)
        batch_op.create_index(
            "ix_recruitments_employer", ["employer_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_recruitments_flow",
            ["destination_country", "proposed_on", "source_country"],
            unique=False,
        )
        batch_op.create_index("ix_recruitments_professional", ["professional_id"], unique=False)

    op.create_table(
        "recruitment_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("recruitment_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "created",
                "status",
                "terms_changed",
                "rejudged",
                name="recruitment_event_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("from_value", sa.String(length=40), nullable=True),
        sa.Column("to_value", sa.String(length=40), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["recruitment_id"],
            ["recruitments.id"],
            name=op.f("fk_recruitment_events_recruitment_id_recruitments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_events")),
    )
    with op.batch_alter_table("recruitment_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_recruitment_events_recruitment", ["recruitment_id", "occurred_at"], unique=False
        )

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("authorisation", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("authorised_until", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "charges_candidate_fees", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("charges_candidate_fees")
        batch_op.drop_column("authorised_until")
        batch_op.drop_column("authorisation")

    with op.batch_alter_table("recruitment_events", schema=None) as batch_op:
        batch_op.drop_index("ix_recruitment_events_recruitment")

    op.drop_table("recruitment_events")
    with op.batch_alter_table("recruitments", schema=None) as batch_op:
        batch_op.drop_index("ix_recruitments_professional")
        batch_op.drop_index("ix_recruitments_flow")
        batch_op.drop_index("ix_recruitments_employer")
        batch_op.drop_index("ix_recruitments_changed")
        batch_op.drop_index("ix_recruitments_agency")

    op.drop_table("recruitments")
    op.drop_table("safeguard_list_countries")
    op.drop_table("destination_policies")
    with op.batch_alter_table("bilateral_agreements", schema=None) as batch_op:
        batch_op.drop_index("ix_bilateral_agreements_countries")

    op.drop_table("bilateral_agreements")
    op.drop_table("safeguard_list_editions")
