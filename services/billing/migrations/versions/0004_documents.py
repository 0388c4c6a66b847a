"""contract documents (issue 18)

What the family signs is a rendered PDF of the contract offer; it is stored unchanged with its
SHA-256, the moment and the account that signed, and served again byte for byte; a signed
contract's termination stores a notice the same way (`contract_documents`, one of each kind per
contract). The parties reach billing through events: the provider's requisites on its copy (the
registry's snapshot), the certificate's number and the child's name and birth date on the contract
(the reservation's answer, kept on its outcome when it comes before the acceptance), the group's
name and venue (the acceptance), and the family's account (`accounts_copy`, from the gateway).

Existing rows get nulls: a contract from before documents has no stored offer, and a document
rendered for it says «не указано» where a party's datum is missing. Nothing is rewritten.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

CONTRACT_PARTIES = (('certificate_number', sa.Text()), ('child_full_name', sa.Text()),
                    ('child_birth_date', sa.Date()))


def upgrade() -> None:
    for name, kind in (*CONTRACT_PARTIES, ('group_name', sa.Text()), ('venue', sa.Text())):
        op.add_column('contracts', sa.Column(name, kind, nullable=True))
    for name, kind in CONTRACT_PARTIES:
        op.add_column('reservation_outcomes', sa.Column(name, kind, nullable=True))
    op.add_column('providers_copy', sa.Column('requisites', postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.create_table(
        'accounts_copy',
        sa.Column('subject', sa.Text(), nullable=False),
        sa.Column('email', sa.Text(), nullable=False),
        sa.Column('full_name', sa.Text(), nullable=True),
        sa.Column('event_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('subject'),
    )
    op.create_table(
        'contract_documents',
        sa.Column('id', sa.UUID(), nullable=False),
        sa.Column('contract_id', sa.UUID(), nullable=False),
        sa.Column('kind', sa.Text(), nullable=False),
        sa.Column('template', sa.Text(), nullable=False),
        sa.Column('sha256', sa.Text(), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor', sa.Text(), nullable=False),
        sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('offer','termination')", name='contract_documents_kind_known'),
        sa.CheckConstraint("size = octet_length(pdf) AND sha256 ~ '^[0-9a-f]{64}$'",
                           name='contract_documents_intact'),
        sa.CheckConstraint("(kind = 'offer') = (signed_at IS NOT NULL)", name='contract_documents_offer_signed'),
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('contract_id', 'kind', name='contract_documents_one_per_kind'),
    )


def downgrade() -> None:
    op.drop_table('contract_documents')
    op.drop_table('accounts_copy')
    op.drop_column('providers_copy', 'requisites')
    for name, _ in CONTRACT_PARTIES:
        op.drop_column('reservation_outcomes', name)
    for name, _ in (*CONTRACT_PARTIES, ('group_name', None), ('venue', None)):
        op.drop_column('contracts', name)
