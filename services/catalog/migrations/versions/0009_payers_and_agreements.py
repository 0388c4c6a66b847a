"""regions: an application's payer (its certificate's municipality); copies of payment agreements
and of their usage for the payment check

Every application's payer is its certificate's municipality, as the catalog's copy of the
certificate has it (every application names a known certificate). The agreements' copies start
empty: the registry's migration announces every agreement it made of the old single ones.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("applications", sa.Column("payer", sa.Text(), nullable=True))
    op.execute("UPDATE applications a SET payer = c.municipality FROM certificates c WHERE c.id = a.certificate_id")
    op.alter_column("applications", "payer", nullable=False)
    op.create_index("applications_payer", "applications", ["payer", "created_at"], unique=False)
    op.create_table(
        "agreements",
        sa.Column("provider_id", sa.UUID(), nullable=False),
        sa.Column("municipality", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("limit_kop", sa.BigInteger(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("event_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("provider_id", "municipality", "year"),
    )
    op.create_table(
        "agreement_usage",
        sa.Column("provider_id", sa.UUID(), nullable=False),
        sa.Column("municipality", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("used_kop", sa.BigInteger(), nullable=False),
        sa.Column("event_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("provider_id", "municipality", "year"),
    )


def downgrade() -> None:
    op.drop_table("agreement_usage")
    op.drop_table("agreements")
    op.drop_index("applications_payer", table_name="applications")
    op.drop_column("applications", "payer")
