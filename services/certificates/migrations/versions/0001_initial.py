"""initial

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 06:20:24.224106
"""
from alembic import op
import sqlalchemy as sa

from pfdo_kit.messaging_migration import create_messaging_tables_v1, drop_messaging_tables_v1

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence('certificate_serial', start=1)))
    op.create_table('children',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('owner', sa.Text(), nullable=False),
    sa.Column('full_name', sa.Text(), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('snils', sa.Text(), nullable=False),
    sa.Column('municipality', sa.Text(), nullable=False),
    sa.Column('ovz', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('snils', name='children_snils_once')
    )
    op.create_index('children_name_birth_once', 'children', [sa.literal_column('lower(full_name)'), 'birth_date'], unique=True)
    op.create_index(op.f('ix_children_owner'), 'children', ['owner'], unique=False)
    create_messaging_tables_v1()
    op.create_table('certificates',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('child_id', sa.UUID(), nullable=True),
    sa.Column('number', sa.Text(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('municipality', sa.Text(), nullable=False),
    sa.Column('credited_kop', sa.BigInteger(), nullable=False),
    sa.Column('expired_kop', sa.BigInteger(), nullable=False),
    sa.Column('held_kop', sa.BigInteger(), nullable=False),
    sa.Column('debited_kop', sa.BigInteger(), nullable=False),
    sa.Column('reversed_kop', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('accounting','funded')", name='certificates_kind_known'),
    sa.CheckConstraint("status IN ('pending_verification','active','suspended','closed')", name='certificates_status_known'),
    sa.CheckConstraint('credited_kop - expired_kop - held_kop - debited_kop + reversed_kop >= 0', name='certificates_available_not_negative'),
    sa.CheckConstraint('held_kop >= 0', name='certificates_held_not_negative'),
    sa.CheckConstraint('reversed_kop <= debited_kop', name='certificates_reversal_within_debits'),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('child_id'),
    sa.UniqueConstraint('number')
    )
    op.create_table('ledger_entries',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('certificate_id', sa.UUID(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('amount_kop', sa.BigInteger(), nullable=False),
    sa.Column('cause', sa.Text(), nullable=False),
    sa.Column('contract_id', sa.UUID(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('credit','expire','reserve','release','debit','reversal')", name='ledger_kind_known'),
    sa.CheckConstraint('amount_kop > 0', name='ledger_amount_positive'),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('certificate_id', 'kind', 'cause', name='ledger_one_entry_per_cause')
    )
    op.create_index(op.f('ix_ledger_entries_certificate_id'), 'ledger_entries', ['certificate_id'], unique=False)
    op.create_index(op.f('ix_ledger_entries_contract_id'), 'ledger_entries', ['contract_id'], unique=False)
    op.create_table('reservations',
    sa.Column('contract_id', sa.UUID(), nullable=False),
    sa.Column('certificate_id', sa.UUID(), nullable=False),
    sa.Column('held_kop', sa.BigInteger(), nullable=False),
    sa.Column('debited_kop', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('held_kop >= 0 AND debited_kop >= 0', name='reservations_not_negative'),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], ),
    sa.PrimaryKeyConstraint('contract_id')
    )
    op.create_index(op.f('ix_reservations_certificate_id'), 'reservations', ['certificate_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_reservations_certificate_id'), table_name='reservations')
    op.drop_table('reservations')
    op.drop_index(op.f('ix_ledger_entries_contract_id'), table_name='ledger_entries')
    op.drop_index(op.f('ix_ledger_entries_certificate_id'), table_name='ledger_entries')
    op.drop_table('ledger_entries')
    op.drop_table('certificates')
    drop_messaging_tables_v1()
    op.drop_index(op.f('ix_children_owner'), table_name='children')
    op.drop_index('children_name_birth_once', table_name='children')
    op.drop_table('children')
    op.execute(sa.schema.DropSequence(sa.Sequence('certificate_serial')))
