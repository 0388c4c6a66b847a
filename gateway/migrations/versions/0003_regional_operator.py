"""the regional operator's role

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint("accounts_role_known", "accounts", type_="check")
    op.create_check_constraint("accounts_role_known", "accounts",
                               "role IN ('parent','provider','operator','regional_operator','admin')")


def downgrade() -> None:
    op.drop_constraint("accounts_role_known", "accounts", type_="check")
    op.create_check_constraint("accounts_role_known", "accounts", "role IN ('parent','provider','operator','admin')")
