"""providers, venues, changes, outbox, inbox

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 05:56:56.911923
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from pfdo_kit.messaging_migration import create_messaging_tables_v1, drop_messaging_tables_v1

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables_v1()
    op.create_table('providers',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('full_name', sa.Text(), nullable=False),
    sa.Column('short_name', sa.Text(), nullable=False),
    sa.Column('inn', sa.Text(), nullable=False),
    sa.Column('ogrn', sa.Text(), nullable=False),
    sa.Column('kpp', sa.Text(), nullable=True),
    sa.Column('municipality', sa.Text(), nullable=False),
    sa.Column('legal_address', sa.Text(), nullable=False),
    sa.Column('email', sa.Text(), nullable=False),
    sa.Column('phone', sa.Text(), nullable=False),
    sa.Column('teaches_alone', sa.Boolean(), nullable=False),
    sa.Column('licence_number', sa.Text(), nullable=True),
    sa.Column('licence_date', sa.Date(), nullable=True),
    sa.Column('bank_bik', sa.Text(), nullable=False),
    sa.Column('bank_account', sa.Text(), nullable=False),
    sa.Column('payment_agreement_number', sa.Text(), nullable=True),
    sa.Column('payment_agreement_date', sa.Date(), nullable=True),
    sa.Column('submitted_by', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.CheckConstraint("status IN ('submitted','approved','rejected','suspended','excluded')", name='providers_status_known'),
    sa.CheckConstraint("kind IN ('municipal','state','private','individual_entrepreneur')", name='providers_kind_known'),
    )
    op.create_index('providers_inn_live', 'providers', ['inn'], unique=True, postgresql_where=sa.text("status <> 'rejected'"))
    op.create_index('providers_listing', 'providers', ['municipality', 'status', 'created_at', 'id'], unique=False)
    op.create_table('provider_changes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('provider_id', sa.UUID(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('actor', sa.Text(), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('from_status', sa.Text(), nullable=True),
    sa.Column('to_status', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('changes', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('request_id', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_provider_changes_provider_id'), 'provider_changes', ['provider_id'], unique=False)
    op.create_table('venues',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('provider_id', sa.UUID(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_venues_provider_id'), 'venues', ['provider_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_venues_provider_id'), table_name='venues')
    op.drop_table('venues')
    op.drop_index(op.f('ix_provider_changes_provider_id'), table_name='provider_changes')
    op.drop_table('provider_changes')
    op.drop_index('providers_listing', table_name='providers')
    op.drop_index('providers_inn_live', table_name='providers', postgresql_where=sa.text("status <> 'rejected'"))
    op.drop_table('providers')
    drop_messaging_tables_v1()
