"""the PDFs stored out of line without compression

A PDF's content streams are compressed already: PostgreSQL's default TOAST storage tried to compress
each ~15–20 KB offer again, failed, and stored it as it was — ~60 µs of the server's CPU per insert
for nothing (an offer is inserted twice: its rendering and the signed copy). EXTERNAL stores the
same bytes out of line without trying. Rows written before keep their storage until rewritten.

Revision ID: 0008
Revises: 0007
"""
from __future__ import annotations

from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_COLUMNS = (("offer_renderings", "pdf"), ("contract_documents", "pdf"))


def upgrade() -> None:
    for table, column in _COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE EXTERNAL")


def downgrade() -> None:
    for table, column in _COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE EXTENDED")
