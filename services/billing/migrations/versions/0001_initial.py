"""initial

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 09:02:14.508871
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from pfdo_kit.messaging_migration import (
    create_idempotency_table_v1,
    create_messaging_tables_v1,
    drop_messaging_tables_v1,
)

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables_v1()
    create_idempotency_table_v1()
    op.execute(sa.schema.CreateSequence(sa.Sequence('contract_serial', start=1)))
    op.execute(sa.schema.CreateSequence(sa.Sequence('invoice_serial', start=1)))
    op.create_table('advances',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('provider_id', sa.UUID(), nullable=False),
    sa.Column('month', sa.Text(), nullable=False),
    sa.Column('amount_kop', sa.BigInteger(), nullable=False),
    sa.Column('limit_kop', sa.BigInteger(), nullable=False),
    sa.Column('requested_by', sa.Text(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('amount_kop > 0 AND amount_kop <= limit_kop', name='advances_within_limit'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('provider_id', 'month', name='advances_once_per_month')
    )
    op.create_table('attendance_history',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('contract_id', sa.UUID(), nullable=False),
    sa.Column('lesson_date', sa.Date(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('was_present', sa.Boolean(), nullable=True),
    sa.Column('marked_by', sa.Text(), nullable=False),
    sa.Column('request_id', sa.Text(), nullable=True),
    sa.Column('marked_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_attendance_history_contract_id'), 'attendance_history', ['contract_id'], unique=False)
    op.create_table('contracts',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('number', sa.Text(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('owner', sa.Text(), nullable=False),
    sa.Column('municipality', sa.Text(), nullable=False),
    sa.Column('child_id', sa.UUID(), nullable=False),
    sa.Column('certificate_id', sa.UUID(), nullable=False),
    sa.Column('provider_id', sa.UUID(), nullable=False),
    sa.Column('provider_name', sa.Text(), nullable=False),
    sa.Column('program_id', sa.UUID(), nullable=False),
    sa.Column('program_title', sa.Text(), nullable=False),
    sa.Column('group_id', sa.UUID(), nullable=False),
    sa.Column('program_register', sa.Text(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('weekly_schedule', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('first_month', sa.Text(), nullable=True),
    sa.Column('last_month', sa.Text(), nullable=True),
    sa.Column('reserved_kop', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('released_kop', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('charged_kop', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('closed_out', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('signed_by', sa.Text(), nullable=True),
    sa.Column('terminated_on', sa.Date(), nullable=True),
    sa.Column('terminated_by', sa.Text(), nullable=True),
    sa.Column('end_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('draft','offered','signed','terminated','void')", name='contracts_status_known'),
    sa.CheckConstraint('released_kop + charged_kop <= reserved_kop', name='contracts_within_reservation'),
    sa.CheckConstraint('reserved_kop >= 0 AND released_kop >= 0 AND charged_kop >= 0', name='contracts_money_not_negative'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    op.create_index('contracts_billable', 'contracts', ['last_month'], unique=False, postgresql_where=sa.text('signed_on IS NOT NULL AND NOT closed_out'))
    op.create_index(op.f('ix_contracts_certificate_id'), 'contracts', ['certificate_id'], unique=False)
    op.create_index(op.f('ix_contracts_child_id'), 'contracts', ['child_id'], unique=False)
    op.create_index(op.f('ix_contracts_group_id'), 'contracts', ['group_id'], unique=False)
    op.create_index(op.f('ix_contracts_owner'), 'contracts', ['owner'], unique=False)
    op.create_index(op.f('ix_contracts_provider_id'), 'contracts', ['provider_id'], unique=False)
    op.create_table('month_closes',
    sa.Column('month', sa.Text(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('rule', sa.Text(), nullable=False),
    sa.Column('requested_by', sa.Text(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('charges_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('charges_kop', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('batches_posted', sa.Integer(), server_default='0', nullable=False),
    sa.Column('confirmed_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('invoices_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('charging','posting','posted','closed')", name='month_closes_status_known'),
    sa.PrimaryKeyConstraint('month')
    )
    op.create_table('providers_copy',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('short_name', sa.Text(), nullable=False),
    sa.Column('municipality', sa.Text(), nullable=False),
    sa.Column('has_payment_agreement', sa.Boolean(), nullable=False),
    sa.Column('event_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('reservation_outcomes',
    sa.Column('application_id', sa.UUID(), nullable=False),
    sa.Column('reserved', sa.Boolean(), nullable=False),
    sa.Column('amount_kop', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('application_id')
    )
    op.create_table('attendance',
    sa.Column('contract_id', sa.UUID(), nullable=False),
    sa.Column('lesson_date', sa.Date(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('group_id', sa.UUID(), nullable=False),
    sa.Column('marked_by', sa.Text(), nullable=False),
    sa.Column('marked_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], ),
    sa.PrimaryKeyConstraint('contract_id', 'lesson_date')
    )
    op.create_index('attendance_by_group_date', 'attendance', ['group_id', 'lesson_date'], unique=False)
    op.create_table('charges',
    sa.Column('id', sa.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('month', sa.Text(), nullable=False),
    sa.Column('contract_id', sa.UUID(), nullable=False),
    sa.Column('certificate_id', sa.UUID(), nullable=False),
    sa.Column('provider_id', sa.UUID(), nullable=False),
    sa.Column('share_kop', sa.BigInteger(), nullable=False),
    sa.Column('planned_lessons', sa.Integer(), nullable=False),
    sa.Column('attended_lessons', sa.Integer(), nullable=False),
    sa.Column('amount_kop', sa.BigInteger(), nullable=False),
    sa.Column('release_kop', sa.BigInteger(), nullable=False),
    sa.Column('final', sa.Boolean(), nullable=False),
    sa.Column('batch_id', sa.UUID(), nullable=True),
    sa.Column('debited_kop', sa.BigInteger(), nullable=True),
    sa.Column('shortfall_kop', sa.BigInteger(), nullable=True),
    sa.Column('released_kop', sa.BigInteger(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('amount_kop >= 0 AND release_kop >= 0 AND (amount_kop > 0 OR release_kop > 0 OR final)', name='charges_something_to_do'),
    sa.CheckConstraint('debited_kop IS NULL OR debited_kop <= amount_kop', name='charges_debit_within_charge'),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], ),
    sa.ForeignKeyConstraint(['month'], ['month_closes.month'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('contract_id', 'month', name='charges_one_per_contract_month')
    )
    op.create_index('charges_by_provider_month', 'charges', ['provider_id', 'month'], unique=False)
    op.create_index('charges_unconfirmed', 'charges', ['month'], unique=False, postgresql_where=sa.text('confirmed_at IS NULL'))
    op.create_index('charges_unposted', 'charges', ['month'], unique=False, postgresql_where=sa.text('batch_id IS NULL'))
    op.create_table('contract_months',
    sa.Column('contract_id', sa.UUID(), nullable=False),
    sa.Column('month', sa.Text(), nullable=False),
    sa.Column('certificate_kop', sa.BigInteger(), nullable=False),
    sa.Column('copay_kop', sa.BigInteger(), nullable=False),
    sa.Column('planned_lessons', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], ),
    sa.PrimaryKeyConstraint('contract_id', 'month')
    )
    op.create_index('contract_months_by_month', 'contract_months', ['month'], unique=False)
    op.create_table('invoices',
    sa.Column('id', sa.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('number', sa.Text(), nullable=False),
    sa.Column('provider_id', sa.UUID(), nullable=False),
    sa.Column('provider_name', sa.Text(), nullable=False),
    sa.Column('municipality', sa.Text(), nullable=False),
    sa.Column('month', sa.Text(), nullable=False),
    sa.Column('charges_kop', sa.BigInteger(), nullable=False),
    sa.Column('advance_kop', sa.BigInteger(), nullable=False),
    sa.Column('carried_in_kop', sa.BigInteger(), nullable=False),
    sa.Column('settlement_kop', sa.BigInteger(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('carried_in_kop <= 0', name='invoices_carry_in_is_owed'),
    sa.CheckConstraint('settlement_kop = charges_kop - advance_kop + carried_in_kop', name='invoices_settlement_adds_up'),
    sa.ForeignKeyConstraint(['month'], ['month_closes.month'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number'),
    sa.UniqueConstraint('provider_id', 'month', name='invoices_once_per_provider_month')
    )


def downgrade() -> None:
    op.drop_table('invoices')
    op.drop_index('contract_months_by_month', table_name='contract_months')
    op.drop_table('contract_months')
    op.drop_index('charges_unposted', table_name='charges', postgresql_where=sa.text('batch_id IS NULL'))
    op.drop_index('charges_unconfirmed', table_name='charges', postgresql_where=sa.text('confirmed_at IS NULL'))
    op.drop_index('charges_by_provider_month', table_name='charges')
    op.drop_table('charges')
    op.drop_index('attendance_by_group_date', table_name='attendance')
    op.drop_table('attendance')
    op.drop_table('reservation_outcomes')
    op.drop_table('providers_copy')
    op.drop_table('month_closes')
    op.drop_index(op.f('ix_contracts_provider_id'), table_name='contracts')
    op.drop_index(op.f('ix_contracts_owner'), table_name='contracts')
    op.drop_index(op.f('ix_contracts_group_id'), table_name='contracts')
    op.drop_index(op.f('ix_contracts_child_id'), table_name='contracts')
    op.drop_index(op.f('ix_contracts_certificate_id'), table_name='contracts')
    op.drop_index('contracts_billable', table_name='contracts', postgresql_where=sa.text('signed_on IS NOT NULL AND NOT closed_out'))
    op.drop_table('contracts')
    op.drop_index(op.f('ix_attendance_history_contract_id'), table_name='attendance_history')
    op.drop_table('attendance_history')
    op.drop_table('advances')
    op.drop_table('idempotency_keys')
    drop_messaging_tables_v1()
    op.execute(sa.schema.DropSequence(sa.Sequence('invoice_serial')))
    op.execute(sa.schema.DropSequence(sa.Sequence('contract_serial')))
