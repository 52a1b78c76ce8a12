"""statistics: OECD figures, each professional's primary occupation and country of training

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import registry.db

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "oecd_figures",
        sa.Column("destination", sa.String(length=2), nullable=False),
        sa.Column("variable", sa.String(length=8), nullable=False),
        sa.Column("origin", sa.String(length=2), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("loaded_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["destination"], ["countries.code"], name=op.f("fk_oecd_figures_destination_countries")
        ),
        sa.PrimaryKeyConstraint(
            "destination", "variable", "origin", "year", name=op.f("pk_oecd_figures")
        ),
    )
    with op.batch_alter_table("oecd_figures", schema=None) as batch_op:
        batch_op.create_index(
            "ix_oecd_figures_lookup", ["destination", "year", "variable"], unique=False
        )

    with op.batch_alter_table("professionals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("primary_isco_code", sa.String(length=4), nullable=True))
        batch_op.add_column(
            sa.Column("primary_training_country", sa.String(length=2), nullable=True)
        )
        batch_op.create_index(
            "ix_professionals_statistics", ["residence_country", "primary_isco_code"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_professionals_primary_isco_code_occupations"),
            "occupations",
            ["primary_isco_code"],
            ["isco_code"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_professionals_primary_training_country_countries"),
            "countries",
            ["primary_training_country"],
            ["code"],
        )

    # The latest credential with an occupation, as registry.credentials.services keeps it.
    op.execute(
        "UPDATE professionals SET "
        "primary_isco_code = (SELECT q.isco_code FROM qualifications q "
        "WHERE q.professional_id = professionals.id AND q.isco_code IS NOT NULL "
        "ORDER BY (q.award_date IS NULL), q.award_date DESC, q.created_at DESC, q.id DESC "
        "LIMIT 1), "
        "primary_training_country = (SELECT q.training_country FROM qualifications q "
        "WHERE q.professional_id = professionals.id AND q.isco_code IS NOT NULL "
        "ORDER BY (q.award_date IS NULL), q.award_date DESC, q.created_at DESC, q.id DESC "
        "LIMIT 1)"
    )

    if op.get_bind().dialect.name == "postgresql":
        # Without it the planner guesses a million groups for the statistics query and
        # will not aggregate in parallel (registry.statistics.sql.utc_year).
        op.execute(
            "CREATE STATISTICS st_professionals_statistics (ndistinct) ON residence_country, "
            "primary_isco_code, (CAST(EXTRACT(YEAR FROM (created_at AT TIME ZONE 'UTC')) "
            "AS INTEGER)) FROM professionals"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP STATISTICS IF EXISTS st_professionals_statistics")
    with op.batch_alter_table("professionals", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_professionals_primary_training_country_countries"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_professionals_primary_isco_code_occupations"), type_="foreignkey"
        )
        batch_op.drop_index("ix_professionals_statistics")
        batch_op.drop_column("primary_training_country")
        batch_op.drop_column("primary_isco_code")

    with op.batch_alter_table("oecd_figures", schema=None) as batch_op:
        batch_op.drop_index("ix_oecd_figures_lookup")

    op.drop_table("oecd_figures")
