"""qualifications: a mapping decided by the unit groups' vocabularies

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 02:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONSTRAINT = "ck_qualifications_mapping_method"
BEFORE = ("manual", "alias", "fuzzy", "override")
AFTER = ("manual", "alias", "fuzzy", "vocabulary", "override")


def _replace(values: Sequence[str], length: int, previous_length: int) -> None:
    # Batch mode: SQLite rebuilds the table, and a named CHECK constraint must be dropped
    # before the column it names is altered.
    with op.batch_alter_table("qualifications", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CONSTRAINT), type_="check")
        batch_op.alter_column(
            "mapping_method",
            existing_type=sa.String(length=previous_length),
            type_=sa.String(length=length),
            existing_nullable=True,
        )
        batch_op.create_check_constraint(op.f(CONSTRAINT), sa.column("mapping_method").in_(values))


def upgrade() -> None:
    _replace(AFTER, length=len("vocabulary"), previous_length=len("override"))


def downgrade() -> None:
    # The earlier schema has no such method: those mappings were automatic, fuzzy ones.
    op.execute(
        "UPDATE qualifications SET mapping_method = 'fuzzy' WHERE mapping_method = 'vocabulary'"
    )
    _replace(BEFORE, length=len("override"), previous_length=len("vocabulary"))
