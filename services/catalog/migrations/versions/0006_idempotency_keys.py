"""Idempotency-Key answers for writes that move seats

Revision ID: 0006
Revises: 0005
"""
from alembic import op

from pfdo_kit.messaging_migration import create_idempotency_table_v1

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_idempotency_table_v1()


def downgrade() -> None:
    op.drop_table("idempotency_keys")
