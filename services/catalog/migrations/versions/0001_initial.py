"""initial

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 06:34:21.282252
"""
from alembic import op
import sqlalchemy as sa

from pfdo_kit.messaging_migration import create_messaging_tables_v1, drop_messaging_tables_v1
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables_v1()
    op.create_table('providers',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('short_name', sa.Text(), nullable=False),
    sa.Column('municipality', sa.Text(), nullable=False),
    sa.Column('has_payment_agreement', sa.Boolean(), nullable=False),
    sa.Column('event_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('programs',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('provider_id', sa.UUID(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('direction', sa.Text(), nullable=False),
    sa.Column('level', sa.Text(), nullable=False),
    sa.Column('form', sa.Text(), nullable=False),
    sa.Column('min_age', sa.Integer(), nullable=False),
    sa.Column('max_age', sa.Integer(), nullable=False),
    sa.Column('ovz_adapted', sa.Boolean(), nullable=False),
    sa.Column('registers', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('certification_score', sa.Integer(), nullable=True),
    sa.Column('certified_until', sa.Date(), nullable=True),
    sa.Column('enrollment_limit', sa.Integer(), nullable=True),
    sa.Column('municipality', sa.Text(), nullable=False),
    sa.Column('rating_sum', sa.Integer(), nullable=False),
    sa.Column('rating_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('search', postgresql.TSVECTOR(), sa.Computed("setweight(to_tsvector('russian', coalesce(title, '')), 'A') || setweight(to_tsvector('russian', coalesce(description, '')), 'B')", persisted=True), nullable=False),
    sa.CheckConstraint("status IN ('draft','published','unpublished')", name='programs_status_known'),
    sa.CheckConstraint('min_age <= max_age', name='programs_ages_ordered'),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('programs_listing', 'programs', ['municipality', 'direction', 'status'], unique=False)
    op.create_index('programs_provider', 'programs', ['provider_id'], unique=False)
    op.create_index('programs_search', 'programs', ['search'], unique=False, postgresql_using='gin')
    op.create_table('modules',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('program_id', sa.UUID(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('price_kop', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('hours > 0 AND price_kop >= 0', name='modules_positive'),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_modules_program_id'), 'modules', ['program_id'], unique=False)
    op.create_table('groups',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('program_id', sa.UUID(), nullable=False),
    sa.Column('module_id', sa.UUID(), nullable=False),
    sa.Column('venue', sa.Text(), nullable=False),
    sa.Column('teacher', sa.Text(), nullable=False),
    sa.Column('schedule', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('weekdays', postgresql.ARRAY(sa.Integer()), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('taken', sa.Integer(), nullable=False),
    sa.Column('enrollment_open', sa.Boolean(), nullable=False),
    sa.CheckConstraint('starts_on <= ends_on', name='groups_dates_ordered'),
    sa.CheckConstraint('taken >= 0 AND taken <= capacity', name='groups_seats_within_capacity'),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], ),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('groups_weekdays', 'groups', ['weekdays'], unique=False, postgresql_using='gin')
    op.create_index(op.f('ix_groups_program_id'), 'groups', ['program_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_groups_program_id'), table_name='groups')
    op.drop_index('groups_weekdays', table_name='groups', postgresql_using='gin')
    op.drop_table('groups')
    op.drop_index(op.f('ix_modules_program_id'), table_name='modules')
    op.drop_table('modules')
    op.drop_index('programs_search', table_name='programs', postgresql_using='gin')
    op.drop_index('programs_provider', table_name='programs')
    op.drop_index('programs_listing', table_name='programs')
    op.drop_table('programs')
    op.drop_table('providers')
    drop_messaging_tables_v1()
