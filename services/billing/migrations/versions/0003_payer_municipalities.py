"""payer municipalities: a regional installation (issue 17)

Each municipality of the region pays for its own children. A contract has its payer (the
certificate's municipality) and the year of its money; a month is closed per payer, its charges
and the invoices (per provider × payer × month) name that payer; an advance is split into parts
per payer; billing keeps a copy of the providers' payment agreements per payer and year.

Today's single-district data becomes one municipality's, nothing lost: the contracts' single
distinct municipality; with no contracts the first of BILLING_MUNICIPALITIES; with several the
migration stops unless BILLING_LEGACY_MUNICIPALITY names the one (it is honoured whenever set).
Every existing contract, month close, charge, invoice and advance becomes that payer's; a provider
that had the district's payment agreement gets an active agreement with it for each year of its
contracts (dated 1970, so any agreement event of the registry supersedes it).

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pfdo_kit.legacy_municipality import legacy_municipality

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

PREFIX = "BILLING_"


def _needs_a_municipality(bind) -> bool:
    return bool(bind.execute(sa.text(
        "SELECT EXISTS (SELECT 1 FROM contracts) OR EXISTS (SELECT 1 FROM month_closes) "
        "OR EXISTS (SELECT 1 FROM invoices) OR EXISTS (SELECT 1 FROM advances)")).scalar())


def upgrade() -> None:
    bind = op.get_bind()
    legacy = None
    if _needs_a_municipality(bind):
        found = list(bind.execute(sa.text(
            "SELECT DISTINCT municipality FROM contracts ORDER BY municipality")).scalars())
        legacy = legacy_municipality(PREFIX, found, "the contracts")
    fill = {"legacy": legacy}

    # Contracts: their payer and the year of their money (in the number ДС-<year>-<serial>).
    op.add_column('contracts', sa.Column('payer', sa.Text(), nullable=True))
    op.add_column('contracts', sa.Column('period_year', sa.Integer(), nullable=True))
    op.execute(sa.text(
        "UPDATE contracts SET payer = :legacy, period_year = CASE WHEN number ~ '^ДС-[0-9]{4}-' "
        "THEN substring(number FROM 4 FOR 4)::int ELSE extract(year FROM starts_on)::int END").bindparams(**fill))
    op.alter_column('contracts', 'payer', nullable=False)
    op.alter_column('contracts', 'period_year', nullable=False)
    op.create_index(op.f('ix_contracts_payer'), 'contracts', ['payer'], unique=False)

    # Month closes per (month, payer); charges and invoices point at theirs.
    op.drop_constraint('charges_month_fkey', 'charges', type_='foreignkey')
    op.drop_constraint('invoices_month_fkey', 'invoices', type_='foreignkey')
    op.add_column('month_closes', sa.Column('municipality', sa.Text(), nullable=True))
    op.execute(sa.text("UPDATE month_closes SET municipality = :legacy").bindparams(**fill))
    op.alter_column('month_closes', 'municipality', nullable=False)
    op.drop_constraint('month_closes_pkey', 'month_closes', type_='primary')
    op.create_primary_key('month_closes_pkey', 'month_closes', ['month', 'municipality'])

    op.add_column('charges', sa.Column('payer', sa.Text(), nullable=True))
    op.execute(sa.text("UPDATE charges SET payer = :legacy").bindparams(**fill))
    op.alter_column('charges', 'payer', nullable=False)
    op.create_foreign_key('charges_month_close_fkey', 'charges', 'month_closes', ['month', 'payer'],
                          ['month', 'municipality'])
    op.drop_index('charges_unposted', table_name='charges')
    op.create_index('charges_unposted', 'charges', ['month', 'payer', 'id'], unique=False,
                    postgresql_where=sa.text('batch_id IS NULL'))
    op.drop_index('charges_unconfirmed', table_name='charges')
    op.create_index('charges_unconfirmed', 'charges', ['month', 'payer'], unique=False,
                    postgresql_where=sa.text('confirmed_at IS NULL'))

    # Invoices name their payer (the column held the provider's municipality: in one district, the payer).
    op.alter_column('invoices', 'municipality', new_column_name='payer')
    op.execute(sa.text("UPDATE invoices SET payer = :legacy").bindparams(**fill))
    op.drop_constraint('invoices_once_per_provider_month', 'invoices', type_='unique')
    op.create_unique_constraint('invoices_once_per_provider_payer_month', 'invoices', ['provider_id', 'payer', 'month'])
    op.create_foreign_key('invoices_month_close_fkey', 'invoices', 'month_closes', ['month', 'payer'],
                          ['month', 'municipality'])
    op.create_index('invoices_by_payer_month', 'invoices', ['payer', 'month'], unique=False)

    # Advances: each split into parts per payer; today's are wholly the one payer's.
    op.create_table('advance_parts',
    sa.Column('advance_id', sa.UUID(), nullable=False),
    sa.Column('payer', sa.Text(), nullable=False),
    sa.Column('amount_kop', sa.BigInteger(), nullable=False),
    sa.Column('limit_kop', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('amount_kop >= 0 AND amount_kop <= limit_kop', name='advance_parts_within_limit'),
    sa.ForeignKeyConstraint(['advance_id'], ['advances.id'], ),
    sa.PrimaryKeyConstraint('advance_id', 'payer')
    )
    op.create_index('advance_parts_by_payer', 'advance_parts', ['payer'], unique=False)
    op.execute(sa.text("INSERT INTO advance_parts (advance_id, payer, amount_kop, limit_kop) "
                       "SELECT id, :legacy, amount_kop, limit_kop FROM advances").bindparams(**fill))

    # The providers' agreements per payer and year; the district's agreement becomes the payer's.
    op.create_table('agreements_copy',
    sa.Column('provider_id', sa.UUID(), nullable=False),
    sa.Column('municipality', sa.Text(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('limit_kop', sa.BigInteger(), nullable=True),
    sa.Column('event_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('provider_id', 'municipality', 'year')
    )
    if legacy is not None:
        op.execute(sa.text(
            "INSERT INTO agreements_copy (provider_id, municipality, year, active, limit_kop, event_at) "
            "SELECT DISTINCT p.id, :legacy, c.period_year, true, NULL::bigint, timestamptz '1970-01-01 00:00+00' "
            "  FROM providers_copy p JOIN contracts c ON c.provider_id = p.id "
            " WHERE p.has_payment_agreement").bindparams(**fill))


def downgrade() -> None:
    """Back to one district: only possible while a single payer holds the data."""
    op.drop_table('agreements_copy')
    op.drop_index('advance_parts_by_payer', table_name='advance_parts')
    op.drop_table('advance_parts')
    op.drop_index('invoices_by_payer_month', table_name='invoices')
    op.drop_constraint('invoices_month_close_fkey', 'invoices', type_='foreignkey')
    op.drop_constraint('invoices_once_per_provider_payer_month', 'invoices', type_='unique')
    op.create_unique_constraint('invoices_once_per_provider_month', 'invoices', ['provider_id', 'month'])
    op.alter_column('invoices', 'payer', new_column_name='municipality')
    op.drop_index('charges_unconfirmed', table_name='charges')
    op.create_index('charges_unconfirmed', 'charges', ['month'], unique=False,
                    postgresql_where=sa.text('confirmed_at IS NULL'))
    op.drop_index('charges_unposted', table_name='charges')
    op.create_index('charges_unposted', 'charges', ['month', 'id'], unique=False,
                    postgresql_where=sa.text('batch_id IS NULL'))
    op.drop_constraint('charges_month_close_fkey', 'charges', type_='foreignkey')
    op.drop_column('charges', 'payer')
    op.drop_constraint('month_closes_pkey', 'month_closes', type_='primary')
    op.create_primary_key('month_closes_pkey', 'month_closes', ['month'])
    op.drop_column('month_closes', 'municipality')
    op.create_foreign_key('invoices_month_fkey', 'invoices', 'month_closes', ['month'], ['month'])
    op.create_foreign_key('charges_month_fkey', 'charges', 'month_closes', ['month'], ['month'])
    op.drop_index(op.f('ix_contracts_payer'), table_name='contracts')
    op.drop_column('contracts', 'period_year')
    op.drop_column('contracts', 'payer')
