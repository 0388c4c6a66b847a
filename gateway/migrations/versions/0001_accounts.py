"""accounts

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 09:28:38.217756
"""
from alembic import op
import sqlalchemy as sa

from pfdo_kit.messaging_migration import create_messaging_tables_v1, drop_messaging_tables_v1

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables_v1()
    op.create_table('accounts',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('email', sa.Text(), nullable=False),
    sa.Column('phone', sa.Text(), nullable=True),
    sa.Column('full_name', sa.Text(), nullable=True),
    sa.Column('password_hash', sa.Text(), nullable=False),
    sa.Column('role', sa.Text(), nullable=False),
    sa.Column('municipality', sa.Text(), nullable=True),
    sa.Column('provider_id', sa.UUID(), nullable=True),
    sa.Column('status', sa.Text(), server_default='active', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("role IN ('parent','provider','operator','admin')", name='accounts_role_known'),
    sa.CheckConstraint("status IN ('active','blocked')", name='accounts_status_known'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('accounts_email_once', 'accounts', [sa.literal_column('lower(email)')], unique=True)
    op.create_table('refresh_tokens',
    sa.Column('token_hash', sa.Text(), nullable=False),
    sa.Column('account_id', sa.UUID(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ),
    sa.PrimaryKeyConstraint('token_hash')
    )
    op.create_index(op.f('ix_refresh_tokens_account_id'), 'refresh_tokens', ['account_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_refresh_tokens_account_id'), table_name='refresh_tokens')
    op.drop_table('refresh_tokens')
    op.drop_index('accounts_email_once', table_name='accounts')
    op.drop_table('accounts')
    drop_messaging_tables_v1()
