"""contacts, mail_off, notifications, deliveries, enrollments, pending checks, job runs, outbox, inbox

Revision ID: 0001
Revises: 
Create Date: 2026-11-29 23:37:04.713270
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
    op.create_table('contacts',
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('email', sa.Text(), nullable=False),
    sa.Column('role', sa.Text(), nullable=False),
    sa.Column('municipality', sa.Text(), nullable=True),
    sa.Column('provider_id', sa.UUID(), nullable=True),
    sa.Column('full_name', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('event_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('subject')
    )
    op.create_index('contacts_municipality', 'contacts', ['municipality', 'role'], unique=False)
    op.create_index('contacts_provider', 'contacts', ['provider_id'], unique=False, postgresql_where=sa.text('provider_id IS NOT NULL'))
    op.create_table('enrollments',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('provider_id', sa.UUID(), nullable=True),
    sa.Column('program_title', sa.Text(), nullable=True),
    sa.Column('provider_name', sa.Text(), nullable=True),
    sa.Column('contract_number', sa.Text(), nullable=True),
    sa.Column('decide_by', sa.Date(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('offered_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('offer_closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contract_offered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contract_closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('decision_reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('offer_reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contract_reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('enrollments_contract_watch', 'enrollments', ['contract_offered_at'], unique=False, postgresql_where=sa.text('contract_closed_at IS NULL AND contract_reminded_at IS NULL'))
    op.create_index('enrollments_decision_watch', 'enrollments', ['decide_by'], unique=False, postgresql_where=sa.text('decided_at IS NULL AND decision_reminded_at IS NULL'))
    op.create_index('enrollments_offer_watch', 'enrollments', ['offered_until'], unique=False, postgresql_where=sa.text('offer_closed_at IS NULL AND offer_reminded_at IS NULL'))
    op.create_table('job_runs',
    sa.Column('job', sa.Text(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('job', 'day')
    )
    op.create_table('mail_off',
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('subject', 'kind')
    )
    op.create_table('notifications',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('recipient', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('ref', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.Text(), nullable=True),
    sa.Column('in_feed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source', 'recipient', 'kind', 'ref', name='notifications_once')
    )
    op.create_index('notifications_feed', 'notifications', ['recipient', 'created_at', 'id'], unique=False, postgresql_where=sa.text('in_feed'))
    op.create_index('notifications_unread', 'notifications', ['recipient'], unique=False, postgresql_where=sa.text('in_feed AND read_at IS NULL'))
    op.create_table('pending_checks',
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('ref', sa.UUID(), nullable=False),
    sa.Column('municipality', sa.Text(), nullable=False),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('since', sa.DateTime(timezone=True), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('certificate','provider')", name='pending_checks_kind_known'),
    sa.PrimaryKeyConstraint('kind', 'ref')
    )
    op.create_index('pending_checks_open', 'pending_checks', ['municipality', 'since'], unique=False, postgresql_where=sa.text('done_at IS NULL'))
    op.create_table('deliveries',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('notification_id', sa.UUID(), nullable=False),
    sa.Column('recipient', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending','sending','sent')", name='deliveries_status_known'),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('notification_id')
    )
    op.create_index('deliveries_due', 'deliveries', ['next_attempt_at'], unique=False, postgresql_where=sa.text("status <> 'sent'"))
    op.create_index('deliveries_recent', 'deliveries', ['recipient', 'last_attempt_at'], unique=False, postgresql_where=sa.text("status <> 'pending'"))


def downgrade() -> None:
    op.drop_index('deliveries_recent', table_name='deliveries', postgresql_where=sa.text("status <> 'pending'"))
    op.drop_index('deliveries_due', table_name='deliveries', postgresql_where=sa.text("status <> 'sent'"))
    op.drop_table('deliveries')
    op.drop_index('pending_checks_open', table_name='pending_checks', postgresql_where=sa.text('done_at IS NULL'))
    op.drop_table('pending_checks')
    op.drop_index('notifications_unread', table_name='notifications', postgresql_where=sa.text('in_feed AND read_at IS NULL'))
    op.drop_index('notifications_feed', table_name='notifications', postgresql_where=sa.text('in_feed'))
    op.drop_table('notifications')
    op.drop_table('mail_off')
    op.drop_table('job_runs')
    op.drop_index('enrollments_offer_watch', table_name='enrollments', postgresql_where=sa.text('offer_closed_at IS NULL AND offer_reminded_at IS NULL'))
    op.drop_index('enrollments_decision_watch', table_name='enrollments', postgresql_where=sa.text('decided_at IS NULL AND decision_reminded_at IS NULL'))
    op.drop_index('enrollments_contract_watch', table_name='enrollments', postgresql_where=sa.text('contract_closed_at IS NULL AND contract_reminded_at IS NULL'))
    op.drop_table('enrollments')
    op.drop_index('contacts_provider', table_name='contacts', postgresql_where=sa.text('provider_id IS NOT NULL'))
    op.drop_index('contacts_municipality', table_name='contacts')
    op.drop_table('contacts')
    drop_messaging_tables_v1()
