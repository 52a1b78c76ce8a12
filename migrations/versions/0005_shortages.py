"""shortages: unfilled posts and the languages they need

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 09:26:08.888052
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import registry.db

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Candidates for a shortage are retrieved by primary occupation.
    with op.batch_alter_table("professionals", schema=None) as batch_op:
        batch_op.create_index("ix_professionals_occupation", ["primary_isco_code"], unique=False)

    op.create_table(
        "shortages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("host_country", sa.String(length=2), nullable=False),
        sa.Column("subdivision", sa.String(length=6), nullable=True),
        sa.Column("employer_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_by_id", sa.Uuid(), nullable=True),
        sa.Column("isco_code", sa.String(length=4), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("recognition_required", sa.Boolean(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["employer_id"],
            ["organisations.id"],
            name=op.f("fk_shortages_employer_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["host_country"], ["countries.code"], name=op.f("fk_shortages_host_country_countries")
        ),
        sa.ForeignKeyConstraint(
            ["isco_code"],
            ["occupations.isco_code"],
            name=op.f("fk_shortages_isco_code_occupations"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["organisations.id"],
            name=op.f("fk_shortages_recorded_by_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shortages")),
    )
    with op.batch_alter_table("shortages", schema=None) as batch_op:
        batch_op.create_index("ix_shortages_lookup", ["host_country", "isco_code"], unique=False)

    op.create_table(
        "shortage_languages",
        sa.Column("shortage_id", sa.Uuid(), nullable=False),
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
            ["shortage_id"],
            ["shortages.id"],
            name=op.f("fk_shortage_languages_shortage_id_shortages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("shortage_id", "language_code", name=op.f("pk_shortage_languages")),
    )


def downgrade() -> None:
    with op.batch_alter_table("professionals", schema=None) as batch_op:
        batch_op.drop_index("ix_professionals_occupation")
    op.drop_table("shortage_languages")
    with op.batch_alter_table("shortages", schema=None) as batch_op:
        batch_op.drop_index("ix_shortages_lookup")

    op.drop_table("shortages")
