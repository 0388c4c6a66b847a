"""a regional installation: funding periods per municipality, payment agreements and their usage,
reservations naming their year, provider and payer

Today's single-district data goes into one municipality with nothing lost. A period (and a
period's run) names no municipality: it takes the one its certificates belong to, or with no
certificates the first configured (CERTIFICATES_MUNICIPALITIES); certificates of several
municipalities make it ambiguous, and the migration stops unless CERTIFICATES_LEGACY_MUNICIPALITY
names it (always honoured when set). A reservation takes its money's year from its reserve entry's
day in the installation's time zone (CERTIFICATES_TIMEZONE); it was made before agreements, so it
names no provider and counts against no agreement.

Revision ID: 0008
Revises: 0007
"""
import os

import sqlalchemy as sa
from alembic import op

from pfdo_kit.legacy_municipality import legacy_municipality

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

PREFIX = "CERTIFICATES_"


def _legacy(conn) -> str:
    found = [row[0] for row in conn.execute(sa.text(
        "SELECT DISTINCT municipality FROM certificates ORDER BY municipality"))]
    return legacy_municipality(PREFIX, found, "the certificates")


def upgrade() -> None:
    conn = op.get_bind()
    op.add_column("funding_periods", sa.Column("municipality", sa.Text(), nullable=True))
    needs = conn.execute(sa.text(
        "SELECT (SELECT count(*) FROM funding_periods) + "
        "(SELECT count(*) FROM runs WHERE period_year IS NOT NULL AND municipality IS NULL)")).scalar_one()
    if needs:
        municipality = _legacy(conn)
        conn.execute(sa.text("UPDATE funding_periods SET municipality = :m"), {"m": municipality})
        conn.execute(sa.text("UPDATE runs SET municipality = :m WHERE period_year IS NOT NULL AND municipality IS NULL"),
                     {"m": municipality})
    op.alter_column("funding_periods", "municipality", nullable=False)
    op.drop_constraint("funding_periods_pkey", "funding_periods", type_="primary")
    op.create_primary_key("funding_periods_pkey", "funding_periods", ["municipality", "year"])

    op.add_column("reservations", sa.Column("period_year", sa.Integer(), nullable=True))
    op.add_column("reservations", sa.Column("provider_id", sa.UUID(), nullable=True))
    op.add_column("reservations", sa.Column("payer", sa.Text(), nullable=True))
    conn.execute(sa.text("""
        UPDATE reservations r SET period_year = y.year
          FROM (SELECT contract_id, extract(year FROM min(at) AT TIME ZONE :tz)::int AS year
                  FROM ledger_entries WHERE kind = 'reserve' AND contract_id IS NOT NULL GROUP BY contract_id) y
         WHERE y.contract_id = r.contract_id"""), {"tz": os.environ.get(PREFIX + "TIMEZONE", "Europe/Moscow")})

    op.create_table(
        "agreements",
        sa.Column("provider_id", sa.UUID(), nullable=False),
        sa.Column("municipality", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("limit_kop", sa.BigInteger(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("used_kop", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("used_kop >= 0", name="agreements_used_not_negative"),
        sa.CheckConstraint("limit_kop IS NULL OR limit_kop >= 0", name="agreements_limit_not_negative"),
        sa.PrimaryKeyConstraint("provider_id", "municipality", "year"),
    )


def downgrade() -> None:
    op.drop_table("agreements")
    op.drop_column("reservations", "payer")
    op.drop_column("reservations", "provider_id")
    op.drop_column("reservations", "period_year")
    op.drop_constraint("funding_periods_pkey", "funding_periods", type_="primary")
    op.execute("DELETE FROM funding_periods f USING funding_periods g WHERE f.year = g.year "
               "AND f.municipality > g.municipality")  # one district again: one period per year
    op.create_primary_key("funding_periods_pkey", "funding_periods", ["year"])
    op.drop_column("funding_periods", "municipality")
