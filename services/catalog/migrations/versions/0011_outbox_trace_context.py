"""outbox: the trace each event was staged in (OpenTelemetry, sent on in the message's headers)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 12:00:00
"""
from pfdo_kit.messaging_migration import add_outbox_trace_context_v2, drop_outbox_trace_context_v2

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_outbox_trace_context_v2()


def downgrade() -> None:
    drop_outbox_trace_context_v2()
