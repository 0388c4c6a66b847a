"""free enrollments counted per register

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "free_enrollments",
        sa.Column("application_id", sa.UUID(), nullable=False),
        sa.Column("certificate_id", sa.UUID(), nullable=False),
        sa.Column("period_year", sa.Integer(), nullable=False),
        sa.Column("program_register", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["certificate_id"], ["certificates.id"]),
        sa.PrimaryKeyConstraint("application_id"),
    )
    op.create_index("free_enrollments_count", "free_enrollments",
                    ["certificate_id", "period_year", "program_register"], unique=False)


def downgrade() -> None:
    op.drop_index("free_enrollments_count", table_name="free_enrollments")
    op.drop_table("free_enrollments")
